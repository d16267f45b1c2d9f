"""Importing real-world lead files: every format, every encoding and delimiter, every broken row."""

import csv
import json

import openpyxl
import pytest

from app.services.importing import (
    UnreadableFileError,
    import_file,
    inspect_file,
    save_rejected,
)
from tests.helpers.import_samples import write_sample


def _leads(db, where="1", *params):
    cursor = db.connection().execute(f"SELECT * FROM lead WHERE {where} ORDER BY id", params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


MP_HEADER = "id_lead,first_name,last_name,job_title,email,email_verification_result,linkedin,ai:10-word use-case\n"


def _mp(tmp_path, rows, name="leads.csv"):
    return _write(tmp_path, name, MP_HEADER + "".join(r + "\n" for r in rows))


def test_massprospecting_keeps_every_column_and_joins_the_campaign(db, tmp_path):
    path = _mp(tmp_path, ["a1,Camille,Durand,Head of Growth,Camille.Durand@Lumen.fr,valid,"
                          "https://www.linkedin.com/in/camille-durand/,Automate outbound"])
    report = import_file(path, campaign="Spring")
    assert (report.format, report.created, report.rows_read) == ("massprospecting", 1, 1)
    lead = _leads(db)[0]
    assert lead["email"] == "camille.durand@lumen.fr"
    assert lead["linkedin_norm"] == "linkedin.com/in/camille-durand"
    assert json.loads(lead["custom"]) == {"ai:10-word use-case": "Automate outbound"}
    names = [r[0] for r in db.connection().execute("SELECT name FROM custom_field")]
    assert names == ["ai:10-word use-case"]
    member = db.connection().execute(
        "SELECT c.name FROM membership m JOIN campaign c ON c.id = m.campaign_id").fetchall()
    assert member == [("Spring",)]
    # The search index knows the new lead.
    assert db.connection().execute("SELECT rowid FROM lead_fts WHERE lead_fts MATCH 'Durand'").fetchall()


@pytest.mark.parametrize("sample, fmt, count", [
    ("apollo_export.csv", "apollo", 3),
    ("hubspot_export.csv", "hubspot", 2),
    ("linkedin_connections.csv", "linkedin", 2),
    ("massprospecting_export.csv", "massprospecting", 10),
])
def test_each_known_format_is_recognised(db, tmp_path, sample, fmt, count):
    path = write_sample(tmp_path, sample, sample)
    assert inspect_file(path).plan.format == fmt
    report = import_file(path)
    assert (report.created, report.rejected) == (count, ())


def test_apollo_fields_map_to_lead_columns_and_keep_the_original_values(db, tmp_path):
    import_file(write_sample(tmp_path, "apollo_export.csv", "apollo.csv"))
    hannah = _leads(db, "first_name = ?", "Hannah")[0]
    assert hannah["job_title"] == "VP of Marketing"
    assert hannah["location_name"] == "San Francisco, California, United States"
    assert hannah["country_name"] == "United States"
    assert hannah["company_headcount"] == "201-500"
    assert hannah["email_verification_result"] == "valid"
    assert hannah["id_lead"] == "apollo:64f0c1a2b3c4d5e6f7a80001"
    custom = json.loads(hannah["custom"])
    assert custom["# Employees"] == "340" and custom["Email Status"] == "Verified"
    assert custom["Company Name for Emails"] == "Fernhill"
    assert custom["Departments"] == "Marketing, Growth"


def test_linkedin_notes_above_the_header_are_skipped(db, tmp_path):
    path = write_sample(tmp_path, "linkedin_connections.csv", "Connections.csv")
    preview = inspect_file(path)
    assert preview.info.header_line == 4
    assert preview.rows[0][0] == 5
    import_file(path)
    aisha = _leads(db, "first_name = ?", "Aisha")[0]
    assert aisha["job_title"] == "Product Manager" and aisha["company_name"] == "Kora Payments"
    assert aisha["linkedin_norm"] == "linkedin.com/in/aishabello"


def test_generic_csv_splits_full_names(db, tmp_path):
    path = _write(tmp_path, "list.csv", "Full Name,E-mail,Organization,Position\n"
                                        "Jean-Luc de la Fontaine,JL@example.com,Acme,CEO\nDoe, Jane\n")
    report = import_file(path)
    assert report.format == "generic"
    lead = _leads(db)[0]
    assert (lead["first_name"], lead["last_name"], lead["company_name"], lead["job_title"]) == (
        "Jean-Luc", "de la Fontaine", "Acme", "CEO")
    assert report.rejected[0].line == 3  # "Doe, Jane" has 2 cells, not 4


@pytest.mark.parametrize("header", [
    "Vorname;Nachname;E-Mail-Adresse;Position;Firma;Telefon;Land",
    "Prénom;Nom;Adresse e-mail;Fonction;Société;Téléphone;Pays",
    "Nombre;Apellidos;Correo electrónico;Cargo;Empresa;Teléfono;País",
])
def test_european_spreadsheet_headers_map_to_lead_fields(db, tmp_path, header):
    path = _write(tmp_path, "eu.csv", header + "\nJürgen;Müller;J.Muller@Example.de;CTO;Müller GmbH;+49 30 1234;Germany\n",
                  encoding="cp1252")
    import_file(path)
    lead = _leads(db)[0]
    assert (lead["first_name"], lead["last_name"], lead["email"], lead["job_title"], lead["company_name"],
            lead["phone"], lead["country_name"]) == (
        "Jürgen", "Müller", "j.muller@example.de", "CTO", "Müller GmbH", "+49 30 1234", "Germany")


@pytest.mark.parametrize("encoding, delimiter, bom", [
    ("utf-8", ",", b""),
    ("utf-8", ",", b"\xef\xbb\xbf"),
    ("utf-16", "\t", b""),  # Python's utf-16 writes a BOM
    ("cp1252", ";", b""),
    ("utf-8", "|", b""),
])
def test_encodings_and_delimiters(db, tmp_path, encoding, delimiter, bom):
    text = delimiter.join(["First Name", "Last Name", "Email", "Company"]) + "\r\n"
    text += delimiter.join(["Élodie", "Fontaine", "elodie@maison.fr", "Maison Fontaine"]) + "\r\n"
    path = _write(tmp_path, "x.csv", bom + text.encode(encoding))
    preview = inspect_file(path)
    assert preview.info.delimiter == delimiter
    assert preview.info.header[0] == "First Name"
    report = import_file(path)
    assert report.created == 1
    lead = _leads(db)[0]
    assert (lead["first_name"], lead["company_name"]) == ("Élodie", "Maison Fontaine")


def test_utf8_file_with_a_stray_latin1_byte_loses_nothing(db, tmp_path):
    path = _write(tmp_path, "x.csv", b"first_name,email\nJos\xe9,jose@example.com\nZo\xc3\xab,zoe@example.com\n")
    import_file(path)
    assert [lead["first_name"] for lead in _leads(db)] == ["José", "Zoë"]


def test_quoted_cells_with_delimiters_quotes_and_line_breaks(db, tmp_path):
    path = _write(tmp_path, "x.csv", 'email,notes,company\n'
                                     'a@example.com,"Met at ""SaaStr"", Paris\nCall back in May",Acme\n'
                                     'b@example.com,plain,Beta\n')
    report = import_file(path)
    assert (report.created, report.rejected) == (2, ())
    body = db.connection().execute("SELECT body FROM note").fetchone()[0]
    assert body == 'Met at "SaaStr", Paris\nCall back in May'


def test_very_long_cells_and_nul_bytes(db, tmp_path):
    long_text = "x" * 1_000_000
    path = _write(tmp_path, "x.csv", f"email,about\na@example.com,{long_text}\nb@exa\0mple.com,ok\n")
    report = import_file(path)
    assert report.created == 2
    leads = _leads(db)
    assert json.loads(leads[0]["custom"])["about"] == long_text
    assert leads[1]["email"] == "b@example.com"


def test_broken_rows_are_reported_with_their_line_and_the_rest_imports(db, tmp_path):
    lines = [
        "email,first_name,company",     # 1
        "a@example.com,Ann,Acme",        # 2
        "",                              # 3 blank: skipped, not a row
        "b@example.com,Bob",             # 4 too few cells
        "c@example.com,Cid,Co,extra",    # 5 too many cells
        '"d@example.com,Dee,Dco"',       # 6 whole row in one pair of quotes
        'e@example.com,"Eve,Eco',        # 7 unterminated quote...
        "f@example.com,Fay,Fco",         # 8 ...read again after the bad line
        'g@example.com,"Gil ""G"" Lee",Gco',  # 9 fine
        "h@example.com,Hal,Hco,",        # 10 trailing empty column: fine
    ]
    path = _write(tmp_path, "x.csv", "\n".join(lines) + "\n")
    report = import_file(path)
    assert [(r.line, r.reason) for r in report.rejected] == [
        (4, "expected 3 cells, found 2"),
        (5, "expected 3 cells, found 4"),
        (6, "the whole row is wrapped in an extra pair of quotes"),
        (7, "unterminated quote"),
    ]
    assert report.created == 4
    assert report.rows_read == 8
    assert [lead["first_name"] for lead in _leads(db)] == ["Ann", "Fay", 'Gil "G" Lee', "Hal"]

    fixed = tmp_path / "rejected.csv"
    assert save_rejected(report, fixed) == 4
    saved = fixed.read_text(encoding="utf-8").splitlines()
    assert saved[0] == "email,first_name,company"
    assert saved[1:] == ["b@example.com,Bob", "c@example.com,Cid,Co,extra", '"d@example.com,Dee,Dco"',
                         'e@example.com,"Eve,Eco']


def test_unterminated_quote_at_the_end_of_the_file(db, tmp_path):
    path = _write(tmp_path, "x.csv", 'email,name\na@example.com,Ann\nb@example.com,"Bob\n')
    report = import_file(path)
    assert report.created == 1
    assert [(r.line, r.reason) for r in report.rejected] == [(3, "unterminated quote")]


def test_invalid_email_is_kept_but_marked(db, tmp_path):
    import_file(_write(tmp_path, "x.csv", "email,email status\nnot-an-email,Verified\n"))
    lead = _leads(db)[0]
    assert (lead["email"], lead["email_verification_result"]) == ("not-an-email", "invalid")


def test_xlsx_first_sheet_or_a_chosen_one(db, tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Leads"
    book.active.append(["First Name", "Last Name", "Email", "# Employees"])
    book.active.append(["Ann", "Lee", "ann@example.com", 42])
    other = book.create_sheet("Other")
    other.append(["Name", "Email"])
    other.append(["Bob Stone", "bob@example.com"])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    preview = inspect_file(path)
    assert preview.info.sheets == ("Leads", "Other")
    assert import_file(path).created == 1
    assert _leads(db)[0]["company_headcount"] == "11-50"
    assert import_file(path, sheet="Other").created == 1
    assert _leads(db)[1]["last_name"] == "Stone"


@pytest.mark.parametrize("content", [b"", b"\n\n", b"PK\x03\x04garbage"])
def test_unreadable_files_raise_a_clear_error(db, tmp_path, content):
    with pytest.raises(UnreadableFileError):
        import_file(_write(tmp_path, "x.csv", content))
    assert _leads(db) == []


def test_missing_file(db, tmp_path):
    with pytest.raises(UnreadableFileError, match="No such file"):
        import_file(tmp_path / "nope.csv")


def test_changed_mapping_is_used(db, tmp_path):
    path = _write(tmp_path, "x.csv", "email,Score,Junk\na@example.com,93,zzz\n")
    preview = inspect_file(path)
    plan = preview.plan.with_target(1, "job_title").with_target(2, "ignore")
    assert preview.records(plan)[0]["job_title"] == "93"
    import_file(path, mapping=plan.mapping)
    lead = _leads(db)[0]
    assert lead["job_title"] == "93" and json.loads(lead["custom"]) == {}


def test_rows_counted_add_up_on_a_big_messy_file(db, tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id_lead", "email", "first_name"])
        for n in range(5000):
            writer.writerow([f"id{n % 4000}", f"p{n}@example.com", f"N{n}"])
        out.write("broken,\"row\n")
    report = import_file(path)
    assert report.created == 4000 and report.updated + report.unchanged == 1000
    assert report.rows_read == 5001
    assert db.connection().execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_xlsx_row_with_cells_beyond_the_header_is_rejected(db, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Email", "Company"])
    sheet.append(["a@example.com", "Acme"])
    sheet.append(["b@example.com", "Beta", "stray, value"])
    path = tmp_path / "leads.xlsx"
    book.save(path)
    report = import_file(path)
    assert report.created == 1
    assert [(r.line, r.reason) for r in report.rejected] == [(3, "expected 2 cells, found 3")]
    save_rejected(report, tmp_path / "fix.csv")
    assert (tmp_path / "fix.csv").read_text(encoding="utf-8").splitlines() == [
        "Email,Company", 'b@example.com,Beta,"stray, value"']
