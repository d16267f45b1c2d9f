"""Finding the header row by the shape of its cells, never because one cell is a known name."""

from pathlib import Path

from app.services.importing import import_file, inspect_file
from app.services.importing.reader import detect_header

FILES = Path(__file__).parents[3] / "files" / "import"


def test_a_header_of_unknown_names_beats_a_data_row_holding_a_known_one(db):
    preview = inspect_file(FILES / "lead_ads.csv")
    assert preview.info.header_line == 1
    assert preview.info.header[:4] == ("GCLID", "Lead Email", "Conversion Time", "Device")
    report = import_file(FILES / "lead_ads.csv")
    assert report.created == 3  # the first lead is not lost
    rows = db.connection().execute("SELECT email, phone, json_extract(custom, '$.Device') FROM lead ORDER BY id")
    assert list(rows) == [("jo.ray@mail.example", "", "Mobile"), ("kim.lo@mail.example", "", "Desktop"),
                          ("sam.oh@mail.example", "", "Mobile")]


def test_notes_above_the_header_and_delimiters():
    lines = ["Notes:", '"When exporting, some e-mail addresses are missing, as you know."', "",
             "First Name;Last Name;URL", "Ann;Lee;https://www.linkedin.com/in/ann"]
    assert detect_header(lines) == (3, ";")


def test_a_header_of_names_only_over_rows_of_names_only():
    assert detect_header(["Name,Name,Company", "Ann Lee,Annie,Elm Corp", "Bo Chen,Bobby,Oak Ltd"]) == (0, ",")
    assert detect_header(["Signup Date", "2024-01-05", "2024-01-06"]) == (0, ",")


def test_a_header_repeating_one_known_name_beats_a_row_of_text_over_values():
    # Found by the round-trip property test: the e-mail column three times lost to the third line.
    lines = ["Email,Email,Email", ",,Person00002@Example.com",
             "2024-01-02 r00100,2024-01-02 r00101,2024-01-02 r00102", "+1 555 00200,,"]
    assert detect_header(lines) == (0, ",")


def test_the_second_line_of_a_quoted_cell_is_never_the_header():
    lines = ["Email\tEmail", '"two', 'lines tab\there 00000"\t2024-01-01 r00001', "\t", "\t", "\t", "\t"]
    assert detect_header(lines) == (0, "\t")


def test_a_quote_left_open_above_the_header_does_not_hide_it():
    lines = ['Exported by "Lead Ads', "", "Email,First Name,Company", "ann@elm.example,Ann,Elm Corp"]
    assert detect_header(lines) == (2, ",")
