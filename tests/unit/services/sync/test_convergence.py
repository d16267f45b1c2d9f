"""Three replicas edit offline with planned overlaps and sync in random order: all converge."""

import random

import pytest

from app.db.models import Lead, LeadTag, Tag
from app.services import leads
from app.services.sync import replica
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
