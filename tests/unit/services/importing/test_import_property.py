"""Property: whatever CSV comes in, import never raises and the counts always add up."""

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services.importing import import_file

_CELL = st.one_of(
    st.sampled_from(["", "ann@example.com", "ANN@example.com", "a1", "https://linkedin.com/in/ann", "=1+1",
                     "Ann", "51-200", "yes", "hot; cold", '"', '""', "\n", ",", ";", "\t", "\x00", "é"]),
    st.text(max_size=12),
)
_HEADER = st.lists(st.sampled_from(["id_lead", "email", "first_name", "Full Name", "linkedin", "tags", "vip",
                                    "campaigns", "notes", "ai:x", "whatever", "", "Email Status", "# Employees"]),
                   min_size=1, max_size=6)


@st.composite
def _csv_bytes(draw):
    header = draw(_HEADER)
    rows = draw(st.lists(st.lists(_CELL, min_size=0, max_size=len(header) + 1), max_size=12))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ";", "\t", "|"])))
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):  # break it: drop or add a quote somewhere
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', "", "\r", "\n\n"])) + text[at:]
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=_csv_bytes(), policy=st.sampled_from(["skip", "fill", "overwrite"]))
def test_any_csv_imports_without_raising_and_counts_add_up(db, tmp_path, data, policy):
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    from app.services.importing import UnreadableFileError

    try:
        report = import_file(path, on_duplicate=policy, campaign="Prop")
    except UnreadableFileError:
        return  # nothing readable at all (e.g. an empty file): a clear message, nothing changed
    assert report.created + report.updated + report.unchanged + len(report.rejected) == report.rows_read
    assert all(r.line >= 2 and r.reason for r in report.rejected)
    conn = db.connection()
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("INSERT INTO lead_fts(lead_fts) VALUES ('integrity-check')") is not None
