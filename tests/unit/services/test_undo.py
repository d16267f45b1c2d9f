"""Undo/redo of every bulk action: do → undo → redo restores the whole database exactly."""

import pytest

from app.db import connection
from app.db.connection import database
from app.db.models import utc_now
from app.services import bulk, undo
from app.services.campaigns import CampaignInactiveError
from app.services.lead_filter import LeadFilter
from tests.helpers.leadgen import add_campaign, add_leads, full_state


def search(text: str) -> list[int]:
    return [r[0] for r in database.execute_sql(
        "SELECT rowid FROM lead_fts WHERE lead_fts MATCH ? ORDER BY rowid", (f'"{text}"',))]


@pytest.fixture
def leads(db):
    ids = add_leads(6)
    campaign = add_campaign("Spring")
    database.execute_sql("INSERT INTO tag (name) VALUES ('hot')")
    database.execute_sql("INSERT INTO lead_tag (tag_id, lead_id) VALUES (1, ?)", (ids[0],))
    database.execute_sql("INSERT INTO membership (campaign_id, lead_id, added_at) VALUES (?, ?, ?)",
                         (campaign, ids[1], utc_now()))
    database.execute_sql("INSERT INTO note (lead_id, body, created_at, updated_at) VALUES (?, 'call back', ?, ?)",
                         (ids[2], utc_now(), utc_now()))
    return ids


def assert_do_undo_redo(action):
    """Run ``action`` (returns an Operation); undo must restore, redo must re-apply, exactly."""
    before = full_state()
    op = action()
    after = full_state()
    assert after != before, "the action changed nothing"
    undo.undo(op)
    assert full_state() == before
    undo.redo(op)
    assert full_state() == after
    undo.undo(op)
    assert full_state() == before
    return op


CAMPAIGN = 1
TAG = 1


@pytest.mark.parametrize("action", [
    lambda ids: bulk.set_review_state(ids[:3], "approved"),
    lambda ids: bulk.set_review_state(ids[:1], "rejected", "left company", source="edited here", mark_opened=True),
    lambda ids: bulk.set_review_state(LeadFilter(), "skipped"),
    lambda ids: bulk.set_vip(ids, True),
    lambda ids: bulk.add_tag(ids[:4], "hot"),
    lambda ids: bulk.add_tag(LeadFilter(), "brand new tag"),
    lambda ids: bulk.remove_tag(ids, TAG),
    lambda ids: bulk.assign_campaign(ids[:4], CAMPAIGN),
    lambda ids: bulk.remove_from_campaign(ids, CAMPAIGN),
    lambda ids: bulk.delete_to_trash(ids[2:5]),
], ids=["approve", "reject", "skip all", "vip", "add tag", "add new tag", "remove tag",
        "assign campaign", "remove from campaign", "delete"])
def test_bulk_action_do_undo_redo_restores_everything(leads, action):
    assert_do_undo_redo(lambda: action(leads))


def test_operation_names_count_the_leads(leads):
    assert bulk.set_review_state(leads[:1], "approved").name == "Approve 1 lead"
    assert bulk.add_tag(LeadFilter(), "x").name == "Add tag to 6 leads"
    assert bulk.delete_to_trash(leads[:2]).name == "Delete 2 leads"


def test_bulk_actions_skip_leads_in_the_trash(leads):
    bulk.delete_to_trash(leads[:1])
    bulk.set_review_state(leads, "approved")
    states = dict(database.execute_sql("SELECT id, review_state FROM lead").fetchall())
    assert states[leads[0]] == "new"
    assert states[leads[1]] == "approved"
    assert bulk.count(LeadFilter()) == 5


def test_undo_writes_history_and_restores_search(leads):
    op = bulk.set_review_state(leads[:2], "rejected", "bad fit")
    rows = database.execute_sql(
        "SELECT source, field, old, new FROM lead_history WHERE lead_id = ? ORDER BY id", (leads[0],)).fetchall()
    assert ("bulk: reject", "review_state", "new", "rejected") in rows
    assert ("bulk: reject", "review_reason", "", "bad fit") in rows
    undo.undo(op)
    rows = database.execute_sql(
        "SELECT source, field, old, new FROM lead_history WHERE lead_id = ? ORDER BY id", (leads[0],)).fetchall()
    assert ("undo", "review_state", "rejected", "new") in rows


def test_tag_history_names_the_tag(leads):
    op = bulk.add_tag(leads[1:2], "fresh")
    rows = database.execute_sql(
        "SELECT source, field, old, new FROM lead_history WHERE lead_id = ?", (leads[1],)).fetchall()
    assert rows == [("bulk: add tag", "tags", None, "fresh")]
    undo.undo(op)
    rows = database.execute_sql(
        "SELECT source, field, old, new FROM lead_history WHERE lead_id = ? ORDER BY id", (leads[1],)).fetchall()
    assert rows[-1] == ("undo", "tags", "fresh", None)
    assert database.execute_sql("SELECT count(*) FROM tag WHERE name = 'fresh'").fetchone()[0] == 0


def test_undo_keeps_tags_created_by_others_meanwhile(leads):
    op = bulk.add_tag(leads[:1], "mine")
    database.execute_sql("INSERT INTO tag (name) VALUES ('theirs')")
    undo.undo(op)
    names = {r[0] for r in database.execute_sql("SELECT name FROM tag")}
    assert names == {"hot", "theirs"}


def test_undo_skips_leads_gone_for_good(leads):
    op = bulk.add_tag(leads[:3], "x")
    database.execute_sql("DELETE FROM lead WHERE id = ?", (leads[1],))
    undo.undo(op)
    undo.redo(op)
    assert database.execute_sql("SELECT count(*) FROM lead_tag WHERE tag_id = (SELECT id FROM tag WHERE name = 'x')"
                                ).fetchone()[0] == 2


def test_fts_follows_undo_of_a_field_change(leads):
    def rename(ids):
        database.execute_sql(f"UPDATE lead SET last_name = 'Zebrafish' WHERE id IN (SELECT id FROM {ids})")
    op = assert_do_undo_redo(lambda: undo.run("Edit last name", leads[:1], rename, source="edited here"))
    assert op.name == "Edit last name"
    assert search("Zebrafish") == []
    undo.redo(op)
    assert search("Zebrafish") == [leads[0]]


def test_failed_change_leaves_nothing_behind(leads):
    before = full_state()

    def boom(ids):
        database.execute_sql(f"UPDATE lead SET vip = 1 WHERE id IN (SELECT id FROM {ids})")
        raise RuntimeError("disk on fire")
    with pytest.raises(RuntimeError):
        undo.run("Boom", leads, boom)
    assert full_state() == before


def test_inactive_campaign_refuses_leads(leads):
    paused = add_campaign("Paused one", "paused")
    before = full_state()
    with pytest.raises(CampaignInactiveError, match="Paused one"):
        bulk.assign_campaign(leads, paused)
    assert full_state() == before


def test_discard_drops_the_snapshots(leads):
    op = bulk.set_vip(leads, True)
    snapshots = "SELECT count(*) FROM undo.sqlite_master WHERE name LIKE 'undo%'"
    assert database.execute_sql(snapshots).fetchone()[0] > 0
    undo.discard(op)
    assert database.execute_sql(snapshots).fetchone()[0] == 0


@pytest.mark.slow
def test_bulk_on_many_leads_and_undo(db):
    now = utc_now()
    with database.atomic():
        database.connection().executemany(
            "INSERT INTO lead (first_name, email, created_at, updated_at) VALUES (?, ?, ?, ?)",
            ((f"P{i}", f"p{i}@x.org", now, now) for i in range(20_000)))
    op = bulk.add_tag(LeadFilter(), "everyone")
    assert op.name == "Add tag to 20,000 leads"
    assert database.execute_sql("SELECT count(*) FROM lead_tag").fetchone()[0] == 20_000
    undo.undo(op)
    assert database.execute_sql("SELECT count(*) FROM lead_tag").fetchone()[0] == 0


def test_operation_says_whether_the_tag_list_changed(leads):
    assert bulk.add_tag(leads[:1], "hot").tags_changed is False
    assert bulk.add_tag(leads[:1], "cold").tags_changed is True


def test_undo_after_reopening_the_database_says_so(leads, db_path):
    from app.db.connection import open_database
    op = bulk.set_vip(leads, True)
    open_database(db_path)
    with pytest.raises(undo.UndoExpiredError, match="reopened"):
        undo.undo(op)


def test_undo_leaves_later_changes_it_did_not_make(leads):
    def retitle(ids):
        database.execute_sql(f"UPDATE lead SET job_title = 'CEO' WHERE id IN (SELECT id FROM {ids})")
    op = undo.run("Edit job title", leads[:1], retitle, source="edited here")
    tag_op = bulk.add_tag(leads[:2], "mine")
    # Meanwhile, something else (an import, say) changes another field and adds another tag.
    database.execute_sql("UPDATE lead SET email = 'new@example.org' WHERE id = ?", (leads[0],))
    database.execute_sql("INSERT INTO lead_tag (tag_id, lead_id) VALUES (?, ?)", (TAG, leads[1]))
    undo.undo(tag_op)
    undo.undo(op)
    row = database.execute_sql("SELECT job_title, email FROM lead WHERE id = ?", (leads[0],)).fetchone()
    assert row == ("", "new@example.org")
    tags = database.execute_sql("SELECT lead_id, tag_id FROM lead_tag ORDER BY lead_id").fetchall()
    assert tags == [(leads[0], TAG), (leads[1], TAG)]


def _on_worker(fn):
    """Run ``fn`` on another thread with that thread's own connection, as the task helper does."""
    import threading

    from app.db.connection import close_database

    out = {}

    def body():
        try:
            out["value"] = fn()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            out["error"] = exc
        finally:
            close_database()

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_an_operation_applied_on_a_worker_is_undone_and_redone_here(leads):
    before = full_state()
    op = _on_worker(lambda: bulk.set_review_state(leads, "approved"))
    after = full_state()
    assert after != before
    undo.undo(op)
    assert full_state() == before
    _on_worker(lambda: undo.redo(op))
    assert full_state() == after


def test_progress_reaches_the_whole_and_counts_the_leads(leads):
    seen = []
    op = bulk.set_vip(leads, True, progress=lambda done, fraction: seen.append((done, fraction)))
    assert seen[-1] == (6, 1.0) and [f for _d, f in seen] == sorted(f for _d, f in seen)
    seen.clear()
    undo.undo(op, progress=lambda done, fraction: seen.append((done, fraction)))
    assert seen[-1] == (6, 1.0)


@pytest.mark.parametrize("when, vm_steps", [(1, 20_000), (3, 1)])  # between steps; inside a statement
def test_cancel_rolls_back_everything(leads, when, vm_steps, monkeypatch):
    monkeypatch.setattr(connection, "CANCEL_CHECK_STEPS", vm_steps)
    before = full_state()
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) >= when

    with pytest.raises(undo.CancelledError):
        bulk.delete_to_trash(LeadFilter(), cancelled=cancelled)
    assert full_state() == before
    assert database.execute_sql("SELECT count(*) FROM undo.sqlite_master").fetchone()[0] == 0, "no snapshot left"


def test_cancelling_an_undo_leaves_the_database_as_it_was(leads):
    op = bulk.set_review_state(leads, "rejected", "too small")
    after = full_state()
    with pytest.raises(undo.CancelledError):
        undo.undo(op, cancelled=lambda: True)
    assert full_state() == after
    undo.undo(op)  # still undoable afterwards


def test_the_undo_store_is_emptied_when_the_database_opens_again(leads, db_path):
    from app.db.connection import close_database, open_database, undo_store_path

    op = bulk.set_vip(leads, True)
    assert undo_store_path(db_path).exists()
    close_database()
    open_database(db_path)
    with pytest.raises(undo.UndoExpiredError):
        undo.undo(op)
