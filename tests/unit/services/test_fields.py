"""The lead field table describes every column of the lead table, and the features' lists follow it."""

from app.db.models import Lead
from app.db.schema import FTS_COLUMNS
from app.services import duplicates, fields, leads, undo
from app.services.importing import formats, store


def test_every_lead_column_is_described_once_in_table_order():
    columns = [f.column_name for f in Lead._meta.sorted_fields if f.column_name != "id"]
    assert [f.name for f in fields.FIELDS] == columns
    assert tuple(columns) == undo.LEAD_COLUMNS


def test_the_full_text_columns_are_the_searchable_fields():
    assert set(fields.names(searchable=True)) == set(FTS_COLUMNS)


def test_keys_and_team_columns_are_never_chosen_in_a_merge_nor_written_by_hand():
    for name in ("id_lead", "uid", "fingerprint"):
        assert name not in duplicates.MERGE_FIELDS
        assert name not in leads.EDITABLE_FIELDS
    assert "uid" not in store.LEAD_COLUMNS and "owner" not in store.LEAD_COLUMNS


def test_derived_columns_follow_their_source_and_are_never_edited():
    followers = {f for fs in duplicates.FOLLOWERS.values() for f in fs}
    assert not followers & set(duplicates.MERGE_FIELDS)
    for name in fields.names(kind="derived"):
        assert name not in leads.EDITABLE_FIELDS and name not in formats.TEXT_FIELDS


def test_names_filters_by_kind_and_flags():
    assert fields.names(kind="url", editable=True) == leads.URL_FIELDS
    assert "company_headcount" not in formats.TEXT_FIELDS
    assert fields.REVIEW_STATES[0] == Lead.review_state.default


def test_every_exported_field_is_an_export_column_and_back():
    from app.services import exporting

    columns = exporting.standard_columns()
    assert len(columns) == len(set(columns))
    assert set(fields.names(exported=True)) == set(columns) - set(fields.LINKED_LISTS)
    assert set(fields.LINKED_LISTS) < set(exporting.LEADDESK_COLUMNS)


def test_what_an_export_writes_an_import_reads_back():
    for name in fields.names(exported=True):
        assert fields.BY_NAME[name].imported, name


def test_the_import_preview_shows_imported_fields_each_in_its_own_place():
    previewed = [f for f in fields.FIELDS if f.preview]
    assert sorted(f.preview for f in previewed) == list(range(1, len(previewed) + 1))
    assert all(f.imported for f in previewed)


def test_only_bookkeeping_times_stay_out_of_the_history():
    quiet = fields.names(history=False)
    assert quiet and all(fields.BY_NAME[name].kind == "time" for name in quiet)
    assert "deleted_at" not in quiet, "moving to and from the Trash is told in the History"
