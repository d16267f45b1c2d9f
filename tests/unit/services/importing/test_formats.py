"""Column plans: two columns never share a field, and the plan says where every column goes."""

import json
from pathlib import Path

import pytest

from app.services.importing import import_file, inspect_file, make_plan
from tests.helpers.import_checks import exported_text, missing_cells

FILES = Path(__file__).parents[3] / "files" / "import"


def test_the_first_column_keeps_a_field_and_the_others_become_custom():
    plan = make_plan(["Name", "Address", "City", "State", "Name", "Email", "E-mail"])
    assert plan.mapping == ("full_name", "location_name", "custom", "custom", "custom", "email", "custom")
    assert plan.destinations() == (
        "Full name (split into first/last)", "Location (city, state, country)", "custom field “City”",
        "custom field “State”", "custom field “Name (2)”", "Email", "custom field “E-mail”",
    )


def test_a_chosen_mapping_is_resolved_the_same_way():
    plan = make_plan(["a", "b", "c"], "generic", ["email", "email", "ignore"])
    assert plan.mapping == ("email", "custom", "ignore")
    assert plan.destinations()[2] == "not imported"


@pytest.mark.parametrize("name", ["address_city_state.csv", "repeated_name.csv", "comma_in_quotes.csv"])
def test_every_non_empty_cell_is_stored(db, db_path, name):
    import_file(FILES / name)
    assert missing_cells(FILES / name, exported_text(db_path.parent)) == []


def test_city_and_state_beside_an_address_are_custom_fields(db):
    import_file(FILES / "address_city_state.csv")
    location, custom = db.connection().execute(
        "SELECT location_name, custom FROM lead WHERE email = 'bo@oak.example'").fetchone()
    assert location == "4 Oak Ave, Suite 2"
    assert json.loads(custom) == {"City": "Portland", "State": "Oregon"}


def test_a_repeated_header_gets_a_numbered_custom_field(db):
    preview = inspect_file(FILES / "repeated_name.csv")
    assert preview.plan.destinations()[1] == "custom field “Name (2)”"
    assert preview.records()[0]["custom"] == {"Name (2)": "Annie"}
