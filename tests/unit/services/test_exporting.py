"""Exporting leads: column order, profiles, formula-safe cells, atomic owner-only files, round trip."""

import csv
import os
import stat

import pytest

from app.db.connection import close_database, open_database
from app.services.exporting import available_columns, export_leads
from app.services.importing import import_file
from app.services.lead_filter import LeadFilter
from app.services.leads import add_note, set_vip
from app.services.sample import write_leads_csv


def _read(path, encoding="utf-8"):
    with open(path, newline="", encoding=encoding) as f:
        return list(csv.reader(f))


def _dump(conn):
    """Every lead with its tags, campaigns and notes, keyed by id_lead (local ids and timestamps aside)."""
    rows = {}
    cursor = conn.execute("SELECT * FROM lead ORDER BY id")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        lead = dict(zip(names, row))
        for key in ("id", "uid", "created_at", "updated_at", "opened_at"):
            lead.pop(key)
        lead_id = row[0]
        lead["tags"] = conn.execute("SELECT t.name FROM lead_tag lt JOIN tag t ON t.id = lt.tag_id"
                                    " WHERE lt.lead_id = ? ORDER BY 1", (lead_id,)).fetchall()
        lead["campaigns"] = conn.execute("SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id"
                                         " WHERE m.lead_id = ? ORDER BY 1", (lead_id,)).fetchall()
        lead["notes"] = conn.execute("SELECT body FROM note WHERE lead_id = ? ORDER BY id", (lead_id,)).fetchall()
        rows[lead["id_lead"]] = lead
    return rows


def test_columns_massprospecting_first_then_leaddesk_then_custom(db, tmp_path):
    import_file(write_leads_csv(tmp_path / "in.csv", 5))
    columns = available_columns()
    assert columns[:3] == ["id_lead", "first_name", "last_name"]
    order = [columns.index(c) for c in ("posts", "vip", "tags", "ai:5-word summary of post")]
    assert order == sorted(order)
    out = tmp_path / "out.csv"
    assert export_leads(out) == 5
    assert _read(out)[0] == columns
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_then_import_into_an_empty_database_reproduces_the_leads(db, db_path, tmp_path):
    import_file(write_leads_csv(tmp_path / "in.csv", 120))
    conn = db.connection()
    add_note(3, "First call went well,\n\"really\" well")
    add_note(3, "Second note")
    set_vip(4, True)
    conn.execute("UPDATE lead SET review_state = 'rejected', review_reason = 'bad fit', job_title = '=1+1'"
                 " WHERE id = 5")
    original = _dump(conn)
    out = tmp_path / "out.csv"
    export_leads(out, profile="raw")
    close_database()

    open_database(tmp_path / "other.db")
    report = import_file(out)
    assert (report.created, report.rejected) == (120, ())
    assert _dump(open_database(tmp_path / "other.db").connection()) == original


def test_spreadsheet_profile_neutralises_formulas_and_has_a_bom(db, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("email,phone,first_name,last_name,job_title\n"
                    "a@example.com,+33 6 12,=HYPERLINK(\"x\"),@SUM(A1),-5\n", encoding="utf-8")
    import_file(path)
    out = tmp_path / "out.csv"
    export_leads(out, profile="spreadsheet", columns=["first_name", "last_name", "phone", "job_title", "email"])
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _read(out, "utf-8-sig")[1] == ["'=HYPERLINK(\"x\")", "'@SUM(A1)", "'+33 6 12", "'-5", "a@example.com"]
    export_leads(out, profile="raw", columns=["first_name", "phone"])
    assert _read(out)[1] == ["=HYPERLINK(\"x\")", "+33 6 12"]


def test_filter_selection_and_bad_columns(db, tmp_path):
    import_file(write_leads_csv(tmp_path / "in.csv", 30))
    out = tmp_path / "out.csv"
    assert export_leads(out, lead_ids=[7, 3], columns=["id_lead"]) == 2
    assert [r[0] for r in _read(out)[1:]] == [f"00000001-{n:04x}-4b8e-9a51-{n:012x}" for n in (7, 3)]
    vip_count = db.connection().execute("SELECT count(*) FROM lead WHERE vip = 1").fetchone()[0]
    assert export_leads(out, lead_filter=LeadFilter(vip=True)) == vip_count
    with pytest.raises(ValueError, match="nonsense"):
        export_leads(out, columns=["email", "nonsense"])


def test_a_failed_export_leaves_the_previous_file(db, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("precious", encoding="utf-8")
    with pytest.raises(ValueError):
        export_leads(out, profile="pdf")
    with pytest.raises(ValueError):
        export_leads(out, columns=["nonsense"])
    assert out.read_text(encoding="utf-8") == "precious"
