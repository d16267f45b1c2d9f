"""Key-less rows get a fingerprint, so importing the same file twice changes nothing."""

from pathlib import Path

import pytest

from app.services.importing import import_file
from app.services.importing.matching import fingerprint
from tests.helpers.import_checks import assert_round_trip

FILES = Path(__file__).parents[3] / "files" / "import"


def test_person_rule_uses_casefolded_name_company_and_phone_digits():
    a = fingerprint({"first_name": "Ann", "last_name": "Lee", "company_name": "Elm", "phone": "+1 (555) 0100"})
    b = fingerprint({"first_name": "ANN", "last_name": "lee", "company_name": "ELM", "phone": "15550100",
                     "job_title": "CEO"})
    assert a == b and len(a) == 32


def test_whole_row_rule_without_a_name_and_company_or_phone():
    a = fingerprint({"first_name": "Cy", "custom": {"Signup": "2024"}, "_campaigns": ["X"]})
    assert a == fingerprint({"first_name": "Cy", "custom": {"Signup": "2024"}})  # campaigns do not count
    assert a != fingerprint({"first_name": "Cy", "custom": {"Signup": "2025"}})
    assert fingerprint({"first_name": "a", "last_name": "bc"}) != fingerprint({"first_name": "ab", "last_name": "c"})


def test_a_real_key_means_no_fingerprint():
    assert fingerprint({"email": "a@b.c", "first_name": "A", "company_name": "B"}) is None
    assert fingerprint({"linkedin_norm": "linkedin.com/in/a"}) is None
    assert fingerprint({"id_lead": "7"}) is None


@pytest.mark.parametrize("name", ["keyless_people.csv", "date_only.csv"])
@pytest.mark.parametrize("policy", ["skip", "overwrite"])
def test_importing_a_key_less_file_twice_changes_nothing(db, tmp_path, name, policy):
    first, second = assert_round_trip(FILES / name, tmp_path, campaign="Fair", on_duplicate=policy)
    assert second.unchanged == second.rows_read
    assert dict(second.matched)["fingerprint"] == second.rows_read


def test_a_misspelt_e_mail_header_is_still_matched_by_its_e_mails(db, tmp_path):
    first, second = assert_round_trip(FILES / "misspelt.csv", tmp_path, campaign="Fair")
    assert first.created == 2
    assert second.unchanged == 2 and dict(second.matched)["e-mail"] == 2


def test_duplicates_inside_the_file_collapse_and_the_summary_names_the_rule(db):
    report = import_file(FILES / "keyless_people.csv")
    # The last row is the first one again; the third has no phone, so it is another lead.
    assert (report.created, report.unchanged) == (4, 1)
    assert report.matched_text() == "matched by fingerprint: 1"
    fingerprints = [r[0] for r in db.connection().execute("SELECT fingerprint FROM lead ORDER BY id")]
    assert all(fingerprints) and len(set(fingerprints)) == 4


def test_the_fingerprint_is_never_changed_by_a_later_import(db, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("First Name,Last Name,Company,Title\nAnn,Lee,Elm,CEO\n", encoding="utf-8")
    import_file(path)
    before = db.connection().execute("SELECT fingerprint FROM lead").fetchone()[0]
    path.write_text("First Name,Last Name,Company,Title\nAnn,Lee,Elm,CTO\n", encoding="utf-8")
    report = import_file(path, on_duplicate="overwrite")
    assert report.updated == 1
    assert db.connection().execute("SELECT fingerprint, job_title FROM lead").fetchone() == (before, "CTO")
