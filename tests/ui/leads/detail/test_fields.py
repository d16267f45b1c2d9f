"""The detail form shows the fields FIELDS gives a section, and every field the rep types into."""

from app.services import fields
from app.ui.leads.detail import fields as form

TYPED_KINDS = ("text", "email", "phone", "url")
EDITED_ELSEWHERE = {"review_reason"}  # the reject-reason dialog edits it


def _shown() -> list[str]:
    return [spec.field for _title, specs in form.SECTIONS for spec in specs]


def test_every_section_of_fields_is_on_the_form():
    assert {f.section for f in fields.FIELDS if f.section} == set(form.SECTION_TITLES)


def test_every_typed_editable_field_has_an_editor_once():
    typed = [f.name for f in fields.FIELDS if f.editable and f.kind in TYPED_KINDS and f.name not in EDITED_ELSEWHERE]
    assert sorted(_shown()) == sorted(typed)


def test_editors_have_distinct_object_names_and_labels():
    specs = [spec for _title, specs in form.SECTIONS for spec in specs]
    assert len({s.object_name for s in specs}) == len(specs)
    assert len({s.label.replace("&", "") for s in specs}) == len(specs)


def test_a_field_without_a_look_of_its_own_takes_its_name_and_kind_from_fields():
    spec = form.field_spec("middle_name")
    assert (spec.label, spec.object_name, spec.kind) == ("Middle name", "middleNameEdit", "text")
