"""Duplicates, re-import, policies, cancel and Undo import: the database side of importing."""

import json

import pytest

from app.services.campaigns import CampaignError, CampaignInactiveError
from app.services.importing import (
    ImportCancelledError,
    import_file,
    list_import_runs,
    undo_import,
)


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _leads(db):
    cursor = db.connection().execute("SELECT * FROM lead ORDER BY id")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _snapshot(db):
    conn = db.connection()
    tables = ("lead", "membership", "campaign", "tag", "lead_tag", "note", "custom_field", "lead_history")
    data = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    data["fts"] = conn.execute("SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'example'").fetchall()
    return data


HEADER = "id_lead,first_name,last_name,email,linkedin,job_title,ai:hook"


def test_duplicates_within_the_file_match_by_id_then_email_then_linkedin(db, tmp_path):
    path = _write(tmp_path, "f.csv", [
        HEADER,
        "a1,Ann,Lee,ann@example.com,,CEO,",
        "a1,Ann,Lee,,,,first hook",                               # same id_lead
        ",Ann,,ANN@Example.com,,,",                               # same email, other case
        "b2,Bob,Stone,,https://www.linkedin.com/in/bobstone/,,",
        ",,,bob@example.com,http://linkedin.com/in/BobStone,CTO,",  # same LinkedIn, other form
    ])
    report = import_file(path, on_duplicate="fill")
    assert (report.created, report.updated, report.unchanged) == (2, 2, 1)
    ann, bob = _leads(db)
    assert json.loads(ann["custom"]) == {"ai:hook": "first hook"}
    assert (bob["email"], bob["job_title"]) == ("bob@example.com", "CTO")


def test_reimporting_the_same_file_changes_nothing(db, tmp_path):
    path = _write(tmp_path, "f.csv", [HEADER, "a1,Ann,Lee,ann@example.com,,CEO,hook", "b2,Bob,,bob@example.com,,,"])
    import_file(path, campaign="Spring")
    before = _snapshot(db)
    for policy in ("skip", "fill", "overwrite"):
        report = import_file(path, campaign="Spring", on_duplicate=policy)
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _snapshot(db) == before


def test_policies_against_the_database(db, tmp_path):
    import_file(_write(tmp_path, "a.csv", [HEADER, "a1,Ann,,ann@example.com,,CEO,"]), campaign="A")
    newer = _write(tmp_path, "b.csv", [HEADER, "a1,Anna,Lee,,,Founder,hook"])

    report = import_file(newer, campaign="A", on_duplicate="skip")
    assert (report.updated, report.unchanged) == (0, 1)
    assert _leads(db)[0]["first_name"] == "Ann"

    report = import_file(newer, campaign="A", on_duplicate="fill")
    assert report.updated == 1
    lead = _leads(db)[0]
    assert (lead["first_name"], lead["last_name"], lead["job_title"]) == ("Ann", "Lee", "CEO")
    assert json.loads(lead["custom"]) == {"ai:hook": "hook"}

    report = import_file(newer, campaign="A", on_duplicate="overwrite")
    lead = _leads(db)[0]
    assert (lead["first_name"], lead["job_title"], lead["email"]) == ("Anna", "Founder", "ann@example.com")
    # The search index follows the overwritten name.
    assert db.connection().execute("SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'Anna'").fetchall() == [(1,)]
    history = db.connection().execute(
        "SELECT field, old, new, source FROM lead_history WHERE field = 'job_title'").fetchall()
    assert history == [("job_title", "CEO", "Founder", "imported from b.csv")]


def test_a_match_gains_the_campaign_membership(db, tmp_path):
    path = _write(tmp_path, "f.csv", [HEADER, "a1,Ann,,ann@example.com,,,"])
    import_file(path, campaign="Spring")
    report = import_file(path, campaign="Autumn")
    assert report.updated == 1
    names = db.connection().execute(
        "SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id ORDER BY c.name").fetchall()
    assert names == [("Autumn",), ("Spring",)]


def test_paused_campaign_refuses_the_import(db, tmp_path):
    path = _write(tmp_path, "f.csv", [HEADER, "a1,Ann,,ann@example.com,,,"])
    db.connection().execute("INSERT INTO campaign (name, status, created_at) VALUES ('Old', 'paused', 'x')")
    with pytest.raises(CampaignInactiveError, match="Old"):
        import_file(path, campaign="old")
    assert _leads(db) == []


def test_a_new_campaign_name_is_checked_like_one_typed_on_the_campaigns_page(db, tmp_path):
    path = _write(tmp_path, "f.csv", [HEADER, "a1,Ann,,ann@example.com,,,"])
    with pytest.raises(CampaignError, match="can't contain"):
        import_file(path, campaign="Spain; Q3")
    assert _leads(db) == [] and db.connection().execute("SELECT count(*) FROM campaign").fetchone() == (0,)


def test_campaigns_column_skips_inactive_campaigns_with_a_warning(db, tmp_path):
    db.connection().execute("INSERT INTO campaign (name, status, created_at) VALUES ('Old', 'archived', 'x')")
    path = _write(tmp_path, "f.csv", ["email,campaigns", "a@example.com,Old; New"])
    report = import_file(path)
    assert report.created == 1
    assert "Old" in report.warnings[0]
    names = db.connection().execute(
        "SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id").fetchall()
    assert names == [("New",)]


def test_cancel_leaves_the_database_exactly_as_before(db, tmp_path):
    import_file(_write(tmp_path, "a.csv", [HEADER, "a1,Ann,,ann@example.com,,CEO,"]), campaign="A")
    before = _snapshot(db)
    lines = [HEADER, "a1,Anna,Lee,,,Founder,"] + [f"x{n},N{n},,n{n}@example.com,,," for n in range(5000)]
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) >= 2  # after the first batch was written

    with pytest.raises(ImportCancelledError):
        import_file(_write(tmp_path, "b.csv", lines), campaign="B", on_duplicate="overwrite", cancelled=cancelled)
    assert _snapshot(db) == before
    assert db.connection().execute("SELECT count(*) FROM import_run").fetchone() == (1,)
    assert db.connection().execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The search triggers are back: an edit is still indexed.
    db.connection().execute("UPDATE lead SET last_name = 'Zebrafish' WHERE id = 1")
    assert db.connection().execute("SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'Zebrafish'").fetchall()


def test_cancel_after_the_last_row_stops_the_search_fill_and_changes_nothing(db, tmp_path):
    """A big file's last steps (search index, rebuilt indexes) run after the last batch: Cancel still works there."""
    import_file(_write(tmp_path, "a.csv", [HEADER, "a1,Ann,,ann@example.com,,CEO,"]), campaign="A")
    before = _snapshot(db)
    schema = db.connection().execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
    rows = 30_001  # the last batch holds one row: no batch follows the one that reads the end of the file
    reported = []
    lines = [HEADER] + [f"x{n},N{n},Lee,n{n}@example.com,,Founder," for n in range(rows)]
    with pytest.raises(ImportCancelledError):
        import_file(_write(tmp_path, "b.csv", lines), campaign="B", progress=lambda done, _f: reported.append(done),
                    cancelled=lambda: bool(reported) and reported[-1] == rows)
    assert _snapshot(db) == before
    assert db.connection().execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall() == schema
    assert db.connection().execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_undo_import_removes_created_and_reverts_updated(db, tmp_path):
    import_file(_write(tmp_path, "a.csv", [HEADER, "a1,Ann,,ann@example.com,,CEO,"]), campaign="A")
    before = _snapshot(db)
    second = _write(tmp_path, "b.csv", ["id_lead,first_name,job_title,email,tags,notes,ai:hook",
                                        "a1,Anna,Founder,,hot,Call her,hook",
                                        "b2,Bob,CTO,bob@example.com,hot; cold,Met at fair,"])
    report = import_file(second, campaign="B", on_duplicate="overwrite")
    assert (report.created, report.updated) == (1, 1)
    runs = list_import_runs()
    assert [(r.file_name, r.created, r.updated, r.campaign) for r in runs] == [
        ("b.csv", 1, 1, "B"), ("a.csv", 1, 0, "A")]

    assert undo_import(runs[0].id) == (1, 1)
    after = _snapshot(db)
    for table in ("lead", "membership", "lead_tag", "note"):
        if table == "lead":
            # Only updated_at moved (found by name: later migrations add columns after it).
            at = [c[1] for c in db.connection().execute("PRAGMA table_info(lead)")].index("updated_at")
            strip = lambda rows: [r[:at] + r[at + 1:] for r in rows]  # noqa: E731 - all but updated_at
            assert strip(after[table]) == strip(before[table])
        else:
            assert after[table] == before[table]
    assert db.connection().execute("SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'Anna'").fetchall() == []
    assert list_import_runs()[0].undone_at
    with pytest.raises(ValueError, match="already been undone"):
        undo_import(runs[0].id)


def test_leads_in_the_trash_are_matched_not_duplicated(db, tmp_path):
    path = _write(tmp_path, "f.csv", [HEADER, "a1,Ann,,ann@example.com,,,"])
    import_file(path)
    db.connection().execute("UPDATE lead SET deleted_at = 'now'")
    report = import_file(path)
    assert (report.created, report.unchanged) == (0, 1)


def _schema(db):
    return db.connection().execute(
        "SELECT type, name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY name").fetchall()


def test_bulk_path_puts_indexes_and_triggers_back(db, tmp_path, monkeypatch):
    from app.services.importing import bulkload

    monkeypatch.setattr(bulkload, "BULK_ROWS", 1)  # take the big-file path on a small file
    schema = _schema(db)
    lines = [HEADER] + [f"x{n},N{n},Last{n},n{n}@example.com,,,hook" for n in range(300)]
    path = _write(tmp_path, "big.csv", lines)
    with pytest.raises(ImportCancelledError):
        import_file(path, cancelled=lambda: True)
    assert _schema(db) == schema
    report = import_file(path)
    assert report.created == 300
    assert _schema(db) == schema
    conn = db.connection()
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT count(*) FROM lead_fts WHERE lead_fts MATCH 'Last29*'").fetchone() == (11,)
    conn.execute("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")


def test_a_lead_updated_by_a_later_batch_keeps_its_campaign_facts_and_search_in_step(db, tmp_path, monkeypatch):
    """A batch's new leads join the campaign as the batch is written; a later row of the file that
    changes such a lead moves its membership's facts (e-mail status, processed) along, and the search
    finds it by its new name only."""
    from app.services.importing import pipeline

    monkeypatch.setattr(pipeline, "BATCH_ROWS", 2)
    path = _write(tmp_path, "f.csv", [
        "id_lead,first_name,last_name,email,email_verification_result,company_headcount",
        "a1,Ann,Quimby,ann@example.com,pending,11-50",
        "b1,Bob,Stone,bob@example.com,valid,1-10",
        "c1,Cy,Stone,cy@example.com,valid,1-10",
        "a1,Ann,Zorander,ann@example.com,valid,51-200",  # the second batch changes the first batch's lead
    ])
    report = import_file(path, campaign="Q3", on_duplicate="overwrite")
    assert (report.created, report.updated) == (3, 1)
    conn = db.connection()
    found = [conn.execute("SELECT count(*) FROM lead_fts WHERE lead_fts MATCH ?", (word,)).fetchone()[0]
             for word in ("Zorander", "Quimby", "Stone")]
    assert found == [1, 0, 2]
    conn.execute("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')")
    rows = conn.execute(
        "SELECT l.id_lead, m.live, m.processed, m.email_verification_result, m.company_headcount"
        " FROM membership m JOIN lead l ON l.id = m.lead_id ORDER BY l.id_lead").fetchall()
    assert rows == [("a1", 1, 1, "valid", "51-200"), ("b1", 1, 1, "valid", "1-10"), ("c1", 1, 1, "valid", "1-10")]
    created = conn.execute(
        "SELECT count(*) FROM import_change WHERE import_id = ? AND kind = 'created'", (report.run_id,)).fetchone()
    assert created == (3,)
    assert undo_import(report.run_id) == (3, 0)
    assert conn.execute("SELECT count(*) FROM membership").fetchone() == (0,)
