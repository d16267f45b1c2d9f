"""Three replicas work offline with planned overlaps and sync in random order: all converge.

The second test adds every write path (bulk, undo, merges, imports, the Trash emptied, notes),
connections the server drops at random points of a push or a pull, and kill -9 mid-push.
"""

import json
import random

import peewee as pw
import psycopg
import pytest

from app.db.connection import database
from app.db.models import Lead, LeadTag, Tag
from app.services import bulk, duplicates, leads, trash, undo
from app.services.importing import import_file, undo_import
from app.services.sync import engine, replica
from app.services.team import conflicts as team_conflicts
from tests.helpers.team import Team, local_state, server_state

pytestmark = pytest.mark.postgres

REPS = ("ann", "bob", "cy")
FIELDS = ("job_title", "company_name", "location_name", "country_name", "timezone", "first_name")
TAGS = ("hot", "cold", "call")


def _edit(rng, rep, round_no, number, lead_uid, field):
    lead_id = Lead.get(Lead.uid == lead_uid).id
    for attempt in range(rng.choice((1, 1, 2))):  # sometimes the same field twice offline
        leads.update_field(lead_id, field, f"{rep}-{round_no}-{number}-{attempt}")


def test_three_replicas_converge_and_conflicts_equal_planned_overlaps(pg_cluster, tmp_path):
    rng = random.Random(15)
    team = Team(pg_cluster, tmp_path)
    replicas = {rep: team.replica(rep) for rep in REPS}
    with replicas["ann"].open():
        replica.enable(team.url, team.role("ann"))
        for i in range(40):
            Lead.create(id_lead=f"L{i}", first_name=f"Ann{i}", email=f"p{i}@example.com")
        uids = [lead.uid for lead in Lead.select()]
    for rep in REPS:
        replicas[rep].sync()

    planned = conflicts = edits = 0
    for round_no in range(6):
        slots = [(u, f) for u in uids for f in FIELDS]
        rng.shuffle(slots)
        overlaps = [slots.pop() for _ in range(2)]
        planned += len(overlaps)
        for number, rep in enumerate(REPS):
            with replicas[rep].open():
                mine = [slots.pop() for _ in range(15)]
                if rep != "cy":  # ann and bob both change the overlapping fields
                    mine += overlaps
                for k, (uid, field) in enumerate(mine):
                    _edit(rng, rep, round_no, k, uid, field)
                    edits += 1
                for _ in range(5):  # sets: add or remove a tag, never a conflict
                    lead_id = Lead.get(Lead.uid == rng.choice(uids)).id
                    tag, _ = Tag.get_or_create(name=rng.choice(TAGS))
                    if not LeadTag.delete().where(LeadTag.lead == lead_id, LeadTag.tag == tag).execute():
                        LeadTag.create(lead=lead_id, tag=tag)
        for _ in range(2):  # the second pass only pulls what the others pushed after each one's sync
            for rep in rng.sample(REPS, len(REPS)):
                conflicts += replicas[rep].sync().conflicts

    assert edits >= 250
    assert conflicts == planned
    with team.admin() as admin:
        expected = server_state(admin)
    assert len(expected[0]) == 40
    for rep in REPS:
        with replicas[rep].open():
            assert local_state() == expected, rep
            assert replica.waiting() == 0


class _Chaos:
    """Three reps' offline work for one round, planned so that the expected conflicts are known.

    Every edited (lead, field) belongs to one rep in a round except the planned overlaps, which
    ann and bob both change; whole-lead work (bulk, merge, Trash) takes leads nobody else touches
    that round. cy is a manager (only an owner or a manager may empty the Trash for good).
    """

    def __init__(self, rng, team, replicas, tmp_path):
        self.rng, self.team, self.replicas, self.tmp_path = rng, team, replicas, tmp_path
        self.ops = self.planned = 0
        self.acknowledged: dict[tuple, set] = {}  # (uid, field) -> the final values reps typed

    def round(self, number: int, live: list[str]) -> None:
        rng = self.rng
        pool = list(live)
        rng.shuffle(pool)
        overlaps = [(pool.pop(), rng.choice(FIELDS)) for _ in range(2)]
        self.planned += len(overlaps)
        for rep in REPS:
            mine = {"slots": [], "leads": [pool.pop() for _ in range(6)]}
            mine["slots"] = [(pool.pop(), rng.choice(FIELDS)) for _ in range(12)]
            if rep != "cy":
                mine["slots"] += overlaps
            with self.replicas[rep].open():
                self._work(rep, number, mine, live)

    def _id(self, uid: str) -> int:
        return Lead.get(Lead.uid == uid).id

    def _work(self, rep, number, mine, live) -> None:
        rng = self.rng
        for k, (uid, field) in enumerate(mine["slots"]):
            for attempt in range(rng.choice((1, 1, 2))):  # sometimes the same field twice offline
                value = f"{rep}-{number}-{k}-{attempt}"
                leads.update_field(self._id(uid), field, value)
                self.ops += 1
            self.acknowledged.setdefault((uid, field), set()).add(value)
        for _ in range(8):  # sets: tags on any live lead, never a conflict
            lead_id = self._id(rng.choice(live))
            tag = rng.choice(TAGS)
            if rng.random() < 0.6:
                bulk.add_tag([lead_id], tag)
            elif Tag.get_or_none(Tag.name == tag):
                bulk.remove_tag([lead_id], Tag.get(Tag.name == tag).id)
            self.ops += 1
        whole = [self._id(uid) for uid in mine["leads"]]
        op = bulk.set_review_state(whole[:2], rng.choice(("approved", "rejected")), f"{rep} {number}")
        op2 = bulk.set_vip(whole[2:3], rng.random() < 0.5)
        self.ops += 2
        if rng.random() < 0.5:
            undo.undo(rng.choice((op, op2)))
            self.ops += 1
        merged = duplicates.merge(whole[3:5], whole[3])  # the other lead's notes move to the survivor
        self.ops += 1
        if rng.random() < 0.3:
            undo.undo(merged)  # and back
            self.ops += 1
        bulk.delete_to_trash(whole[5:6])
        self.ops += 1
        leads.add_note(whole[0], f"{rep} was here in round {number}")
        self.ops += 1
        if rep == "cy" and rng.random() < 0.5:
            trash.empty()
            self.ops += 1
        csv = self.tmp_path / f"{rep}-{number}.csv"
        rows = [f"{rep.title()}{number}x{i},{rep}{number}x{i}@example.com" for i in range(3)]
        if rep != "cy":  # the same person, brought in by ann and by bob: one lead on the server
            rows.append(f"Dup{number},dup{number}@example.com")
        csv.write_text("first_name,email\n" + "\n".join(rows) + "\n")
        report = import_file(csv, campaign="Fair")
        self.ops += 1
        if rep == "cy" and rng.random() < 0.3:
            undo_import(report.run_id)
            self.ops += 1


def _sync_until_done(rng, replica_, drops) -> None:
    """One sync, cut off by a dropped connection at a random statement now and then, rerun until it
    completes (as the chip does)."""
    while True:
        drop = rng.randint(1, 4) if rng.random() < 0.4 else None  # a sync is a few calls: begin, push, commit, pulls
        try:
            replica_.sync(drop_before=drop)
            return
        except (pw.OperationalError, pw.InterfaceError, psycopg.OperationalError):
            assert drop is not None, "only a dropped connection may fail a sync"
            drops.append(drop)


def test_thousands_of_offline_operations_with_dropped_connections_and_a_kill_converge(pg_cluster, tmp_path):
    rng = random.Random(1515)
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"), managers=("cy",))
    replicas = {rep: team.replica(rep) for rep in REPS}
    with replicas["ann"].open():
        replica.enable(team.url, team.role("ann"))
        with database.atomic():
            for i in range(400):
                Lead.create(id_lead=f"L{i}", first_name=f"Ann{i}", email=f"p{i}@example.com")
    for rep in REPS:
        replicas[rep].sync()
    chaos = _Chaos(rng, team, replicas, tmp_path)
    drops: list[int] = []
    kills = {5: "open", 14: "committed"}
    for number in range(22):
        with team.admin() as admin:
            live = [u for (u,) in admin.execute_sql("SELECT uid::text FROM lead WHERE deleted_at IS NULL")]
        chaos.round(number, live)
        if number in kills:  # cy's push, killed -9 half-way; the next sync resumes it
            replicas["cy"].kill_mid_sync(kills[number])
        for _ in range(2):  # the second pass pulls what the later pushes of the first sent
            for rep in rng.sample(REPS, len(REPS)):
                _sync_until_done(rng, replicas[rep], drops)

    assert chaos.ops >= 2000 and len(drops) >= 10
    with team.admin() as admin:
        expected = server_state(admin, links=True)
        assert admin.execute_sql("SELECT count(*) FROM conflict").fetchone()[0] == chaos.planned
        sent = {(u, f, json.loads(v)) for u, f, v in admin.execute_sql(
            "SELECT lead_uid::text, field, value FROM change WHERE kind = 'field'")}
        sent |= {(u, f, json.loads(v)) for u, f, v in admin.execute_sql(
            "SELECT lead_uid::text, field, mine FROM conflict")}
    missing = [(key, v) for key, values in chaos.acknowledged.items() for v in values if (*key, v) not in sent]
    assert not missing, "every edit a sync acknowledged reached the server (as a change or as a conflict's mine)"
    shown = 0
    for rep in REPS:
        with replicas[rep].open():
            assert local_state(links=True) == expected, rep
            assert replica.waiting() == 0
            # A sync cut off after its push keeps the push's conflicts: the rep sees every one.
            shown += len(team_conflicts())
    assert shown == chaos.planned


def test_a_note_moved_by_a_merge_reaches_the_team(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        keep, other = (Lead.create(first_name=name).id for name in ("Ada", "Ada L."))
        leads.add_note(other, "met at the fair")
        keep_uid = Lead.get_by_id(keep).uid
    ann.sync()
    bob.sync()
    with ann.open():
        duplicates.merge([keep, other], keep)
    ann.sync()
    assert bob.sync().pulled >= 1
    with team.admin() as admin:
        expected = server_state(admin, links=True)
    assert expected[3] == [(keep_uid, "met at the fair")]
    for r in (ann, bob):
        with r.open():
            assert local_state(links=True) == expected, r.rep


def test_the_undo_of_a_merge_moves_the_note_back_on_the_server(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann",))
    ann = team.replica("ann")
    server = team.connect("ann")
    with ann.open():  # one session: an undo lasts until the file is closed
        replica.enable(team.url, team.role("ann"))
        keep, other = (Lead.create(first_name=name).id for name in ("Ada", "Ada L."))
        leads.add_note(other, "met at the fair")
        merged = duplicates.merge([keep, other], keep)
        engine.sync(server)
        undo.undo(merged)
        engine.sync(server)
        with team.admin() as admin:
            expected = server_state(admin, links=True)
        assert expected[3] == [(Lead.get_by_id(other).uid, "met at the fair")]
        assert local_state(links=True) == expected
    server.close()


def test_a_rep_cannot_empty_another_reps_lead_from_the_trash(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann", "bob"))
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        Lead.create(first_name="Ada")
    ann.sync()
    bob.sync()
    with bob.open():
        bulk.delete_to_trash([Lead.get().id])
        assert trash.kept_for_others() == {team.role("ann"): 1}
        assert trash.empty() == 0
        assert trash.count() == 1
    assert bob.sync().refused == 0
    with team.admin() as admin:
        expected = server_state(admin, links=True)
    with bob.open():
        assert local_state(links=True) == expected


def test_a_purge_the_server_refuses_brings_the_lead_back(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann",), managers=("bob",))
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        ada = Lead.create(first_name="Ada")
        bulk.add_tag([ada.id], "hot")
        leads.add_note(ada.id, "met at the fair")
    ann.sync()
    bob.sync()  # bob is a manager here: his file says so
    with team.admin() as admin:
        admin.execute_sql(f"REVOKE leaddesk_manager FROM {team.role('bob')}")
    with bob.open():
        bulk.delete_to_trash([Lead.get().id])
        assert trash.empty() == 1  # still a manager, as far as this file knows
    assert bob.sync().refused == 1
    with team.admin() as admin:
        expected = server_state(admin, links=True)
    with bob.open():
        assert local_state(links=True) == expected
        assert trash.count() == 1 and not replica.state()["manager"]
        assert trash.kept_for_others() == {team.role("ann"): 1}


def test_a_refused_purge_comes_back_even_when_its_id_lead_is_taken_here_since(pg_cluster, tmp_path):
    team = Team(pg_cluster, tmp_path, reps=("ann",), managers=("bob",))
    ann, bob = team.replica("ann"), team.replica("bob")
    with ann.open():
        replica.enable(team.url, team.role("ann"))
        Lead.create(id_lead="x1", first_name="Ada")
    ann.sync()
    bob.sync()
    with team.admin() as admin:
        admin.execute_sql(f"REVOKE leaddesk_manager FROM {team.role('bob')}")
    with bob.open():
        bulk.delete_to_trash([Lead.get().id])
        trash.empty()
        Lead.create(id_lead="x1", first_name="Ada B.")  # bob's own lead, with the id the erased one had
    report = bob.sync()
    assert report.refused == 1
    with bob.open():
        assert sorted((lead.first_name, lead.id_lead) for lead in Lead.select()) == [("Ada", None), ("Ada B.", "x1")]
