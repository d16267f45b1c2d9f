"""The bundled sample: 300 realistic leads in 3 campaigns, every column kept."""

import csv
import json

from app.paths import resource_path
from app.services.sample import CAMPAIGNS, SAMPLE_COUNT, load_sample, write_leads_csv


def test_sample_import_keeps_every_column(db):
    report = load_sample()
    assert (report.created, report.rejected) == (SAMPLE_COUNT, ())
    conn = db.connection()
    campaigns = [r[0] for r in conn.execute("SELECT name FROM campaign ORDER BY name")]
    assert campaigns == sorted(CAMPAIGNS)
    assert conn.execute("SELECT count(DISTINCT lead_id) FROM membership").fetchone()[0] == SAMPLE_COUNT
    assert conn.execute("SELECT count(*) FROM lead WHERE vip = 1").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM lead_tag").fetchone()[0] > 0
    statuses = {r[0] for r in conn.execute("SELECT DISTINCT email_verification_result FROM lead")}
    assert {"valid", "invalid", "catchall", ""} <= statuses

    with open(resource_path("sample_leads.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    stored = conn.execute("SELECT id_lead, first_name, job_title, company_headcount, posts, custom FROM lead"
                          " ORDER BY id").fetchall()
    for row, (id_lead, first, title, headcount, posts, custom) in zip(rows, stored):
        assert (id_lead, first, title, headcount, posts) == (
            row["id_lead"], row["first_name"], row["job_title"], row["company_headcount"], row["posts"])
        assert json.loads(custom) == {k: v for k, v in row.items() if k.startswith("ai:")}
    assert load_sample().unchanged == SAMPLE_COUNT  # loading it twice adds nothing


def test_bundled_file_is_what_the_generator_writes(tmp_path):
    fresh = write_leads_csv(tmp_path / "s.csv", SAMPLE_COUNT, seed=2026)
    assert fresh.read_bytes() == resource_path("sample_leads.csv").read_bytes()
