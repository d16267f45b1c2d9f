"""Turning a LeadFilter into SQL: the only place that knows about FTS5 and index-friendly shapes.

Functions here take a plain ``sqlite3.Connection`` so the GUI's background query thread can use
its own read-only connection; they never touch Qt.
"""

import array
import itertools
import sqlite3

# Free-text terms shorter than the trigram length use the name/company prefix indexes instead.
TRIGRAM = 3

ORDER_BY = {
    "newest": "l.id DESC",
    "oldest": "l.id ASC",
    "name": "l.last_name, l.first_name, l.id",
    "company": "l.company_name, l.last_name, l.id",
}

# Columns a list row shows; the page cache reads these for a screenful of ids at a time.
ROW_COLUMNS = (
    "id", "first_name", "last_name", "job_title", "company_name", "email",
    "email_verification_result", "vip", "review_state",
)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def compile_filter(flt) -> tuple[str, list]:
    """Return ``(where_sql, params)`` selecting the live leads (alias ``l``) matching ``flt``."""
    where = ["l.deleted_at IS NULL"]
    params: list = []
    fts_terms: list[str] = []

    for term in flt.text.split():
        if len(term) >= TRIGRAM:
            fts_terms.append(_fts_phrase(term))
        else:
            like = _like_escape(term) + "%"
            where.append(
                "(l.first_name LIKE ? ESCAPE '\\' OR l.last_name LIKE ? ESCAPE '\\'"
                " OR l.company_name LIKE ? ESCAPE '\\')"
            )
            params += [like, like, like]

    for column, value in (("job_title", flt.job_title.strip()), ("location_name", flt.location.strip())):
        if not value:
            continue
        if len(value) >= TRIGRAM:
            fts_terms.append(f"{column} : {_fts_phrase(value)}")
        elif column == "location_name":
            where.append("(l.location_name LIKE ? ESCAPE '\\' OR l.country_name LIKE ? ESCAPE '\\')")
            params += ["%" + _like_escape(value) + "%"] * 2
        else:
            where.append("l.job_title LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(value) + "%")

    if fts_terms:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(" AND ".join(fts_terms))

    if flt.campaign_ids:
        marks = ",".join("?" * len(flt.campaign_ids))
        where.append(f"l.id IN (SELECT lead_id FROM membership WHERE campaign_id IN ({marks}))")
        params += list(flt.campaign_ids)
    if flt.tag_ids:
        marks = ",".join("?" * len(flt.tag_ids))
        where.append(f"l.id IN (SELECT lead_id FROM lead_tag WHERE tag_id IN ({marks}))")
        params += list(flt.tag_ids)
    if flt.vip is not None:
        where.append("l.vip = 1" if flt.vip else "l.vip = 0")
    if flt.headcounts:
        where.append(f"l.company_headcount IN ({','.join('?' * len(flt.headcounts))})")
        params += list(flt.headcounts)
    if flt.email_statuses:
        where.append(f"l.email_verification_result IN ({','.join('?' * len(flt.email_statuses))})")
        params += list(flt.email_statuses)
    if flt.review_states:
        where.append(f"l.review_state IN ({','.join('?' * len(flt.review_states))})")
        params += list(flt.review_states)
    if flt.has_email is not None:
        where.append("l.email != ''" if flt.has_email else "l.email = ''")
    if flt.has_linkedin is not None:
        where.append("l.linkedin != ''" if flt.has_linkedin else "l.linkedin = ''")
    for criterion in flt.custom:
        value = "COALESCE(json_extract(l.custom, ?), '')"
        params.append('$."' + criterion.field.replace('"', '\\"') + '"')
        if criterion.op == "contains":
            where.append(f"{value} LIKE ? ESCAPE '\\'")
            params.append("%" + _like_escape(criterion.value) + "%")
        elif criterion.op == "empty":
            where.append(f"{value} = ''")
        else:
            where.append(f"{value} != ''")
    return " AND ".join(where), params


def lead_ids(conn: sqlite3.Connection, flt) -> array.array:
    """The ids of the leads matching ``flt``, in display order."""
    where, params = compile_filter(flt)
    order = ORDER_BY.get(flt.sort, ORDER_BY["newest"])
    cursor = conn.execute(f"SELECT l.id FROM lead l WHERE {where} ORDER BY {order}", params)
    return array.array("q", itertools.chain.from_iterable(cursor))


def count_live_leads(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM lead WHERE deleted_at IS NULL").fetchone()[0]


def fetch_rows(conn: sqlite3.Connection, ids) -> dict[int, tuple]:
    """Row data for the given ids, keyed by id (the order of ``ROW_COLUMNS``)."""
    ids = list(ids)
    rows: dict[int, tuple] = {}
    # SQLite's default limit on host parameters is 32766; pages are far smaller.
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM lead WHERE id IN ({marks})", chunk):
            rows[row[0]] = row
    return rows
