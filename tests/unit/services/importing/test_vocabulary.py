"""Headers recognised by their words in four languages, confirmed by the data below them."""

from pathlib import Path

import pytest

from app.services.importing import import_file, inspect_file
from app.services.importing.formats import default_mapping
from app.services.importing.vocabulary import confirms, guess_target, plain_words, target_of_values

FILES = Path(__file__).parents[3] / "files" / "import"


@pytest.mark.parametrize("header, target", [
    ("Lead Email", "email"), ("User Email", "email"), ("E-mail Address", "email"), ("Courriel", "email"),
    ("Correo de trabajo", "email"), ("Mobile Phone", "phone"), ("Tel.", "phone"), ("Teléfono móvil", "phone"),
    ("Handy privat", "phone"), ("Person LinkedIn", "linkedin"), ("Nom de l'entreprise", "company_name"),
    ("Organisation", "company_name"), ("Poste actuel", "job_title"), ("Role", "job_title"),
    ("Vorname privat", "first_name"), ("Apellido paterno", "last_name"), ("First  name", "first_name"),
    ("Stadt", "city"), ("Ciudad de residencia", "city"), ("Location", "location_name"),
])
def test_words_suggest_a_field(header, target):
    assert guess_target(header) == target


@pytest.mark.parametrize("header", ["Email Status", "Company LinkedIn URL", "Company Domain", "GCLID",
                                    "Conversion Time", "Device", "☎ Contact", "Account Owner"])
def test_headers_about_something_else_suggest_nothing(header):
    assert guess_target(header) is None


def test_symbols_and_emoji_are_stripped():
    assert plain_words("☎ Téléphone 📱 (mobile)") == ["telephone", "mobile"]


def test_the_data_must_confirm_a_guess():
    assert confirms("email", ["a@b.example", "", "c@d.example"])
    assert not confirms("email", ["vip", "standard"])
    assert not confirms("first_name", ["+1 555 0100"])
    assert confirms("phone", []) and confirms("vip", ["x"])


def test_real_headers_are_guesses_and_a_symbol_header_is_not_a_name(db):
    preview = inspect_file(FILES / "real_headers.csv")
    assert preview.plan.mapping == ("email", "phone", "custom", "custom", "custom")
    assert preview.plan.destinations()[0] == "Email (guess)"
    assert preview.plan.destinations()[2] == "custom field “☎ Contact”"  # phone numbers are no name
    assert preview.plan.destinations()[4] == "custom field “Mail Merge Tag”"  # holds no e-mails


def test_a_column_of_e_mails_under_an_unknown_header_is_a_guessed_e_mail(db):
    preview = inspect_file(FILES / "arabic_headers.csv")
    assert preview.plan.mapping == ("custom", "email", "custom", "custom")
    assert preview.plan.destinations()[1] == "Email (guess)"
    report = import_file(FILES / "arabic_headers.csv")
    assert report.created == 3
    emails = db.connection().execute("SELECT email FROM lead ORDER BY id").fetchall()
    assert emails == [("ahmed@nile.example",), ("",), ("omar@cedar.example",)]


def test_values_guess_only_when_every_cell_fits_and_no_column_is_named_so():
    assert target_of_values(["a@b.example", "", "c@d.example"]) == "email"
    assert target_of_values(["a@b.example", "call me"]) is None
    assert target_of_values(["a@b.example"]) is None  # one cell proves nothing
    assert target_of_values(["https://www.linkedin.com/in/ann", "linkedin.com/in/bo"]) == "linkedin"
    preview_header = ("Email", "Backup")
    mapping, guessed = default_mapping(preview_header, "generic", [("a@b.example", "c@d.example")] * 2)
    assert mapping == ("email", "custom") and guessed == frozenset()


@pytest.mark.parametrize("name", ["headers_de.csv", "headers_fr.csv", "headers_es.csv"])
def test_german_french_and_spanish_headers(db, name):
    report = import_file(FILES / name)
    assert report.created == 1
    row = db.connection().execute(
        "SELECT first_name, last_name, email, phone, company_name, location_name, job_title, custom FROM lead"
    ).fetchone()
    assert all(row[:7]) and row[7] == "{}"
