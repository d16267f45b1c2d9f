"""Turning a LeadFilter into SQL: the only place that knows about FTS5 and index-friendly shapes.

The search rule: every term matches the start of a word in any searched field (first and last name,
job title, e-mail, company, location), at every length; several terms must all match. So adding a
letter can only narrow the list. ``lead_fts`` (unicode61 words, 1–3 letter prefix indexes) answers
every term as one ``"term"*`` query.

Functions here take a plain ``sqlite3.Connection`` so the GUI's background query thread can use
its own read-only connection; they never touch Qt.
"""

import array
import json
import sqlite3
import time

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

# A campaign, tag or text match with fewer members than this is read first and the other criteria
# probed on its members; a bigger one is probed instead (membership's key is (campaign_id, lead_id)).
SMALL_SET = 50_000


def _fts_prefix(text: str) -> str:
    """One user term as an FTS5 prefix phrase: quotes doubled, so no input is FTS syntax."""
    return '"' + text.replace('"', '""') + '"*'


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(text: str) -> list[str]:
    """The words of a search; a term without a letter or digit ("&" in "Founder & CEO") is dropped.

    unicode61 would find no word in it, and an empty phrase matches nothing.
    """
    return [t for t in text.split() if any(c.isalnum() for c in t)]


def fts_query(flt) -> str:
    """The FTS5 match expression for the text and the job title / location boxes ("" if none)."""
    parts = [_fts_prefix(t) for t in search_terms(flt.text)]
    for column, value in (("job_title", flt.job_title), ("location_name", flt.location)):
        words = search_terms(value)
        if words:
            parts.append(f"{column} : (" + " AND ".join(_fts_prefix(w) for w in words) + ")")
    return " AND ".join(parts)


def compile_filter(flt) -> tuple[str, list]:
    """Return ``(where_sql, params)`` selecting the live leads (alias ``l``) matching ``flt``."""
    where, params = _row_conditions(flt)
    where += [f"l.id IN (SELECT lead_id FROM {table} WHERE {key} IN ({','.join('?' * len(ids))}))"
              for table, key, ids in _sets(flt)]
    params += [i for _, _, ids in _sets(flt) for i in ids]
    match = fts_query(flt)
    if match:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(match)
    return " AND ".join(where), params


def _sets(flt) -> list[tuple[str, str, tuple]]:
    """The id-set criteria: (table, key column, ids), each a range of a WITHOUT ROWID primary key."""
    sets = []
    if flt.campaign_ids:
        sets.append(("membership", "campaign_id", tuple(flt.campaign_ids)))
    if flt.tag_ids:
        sets.append(("lead_tag", "tag_id", tuple(flt.tag_ids)))
    return sets


def _row_conditions(flt) -> tuple[list[str], list]:
    """The conditions on the lead row itself (alias ``l``), with their params."""
    where = ["l.deleted_at IS NULL"]
    params: list = []
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
    return where, params


def _capped_count(conn: sqlite3.Connection, sql: str, params: list) -> int:
    return conn.execute(f"SELECT count(*) FROM ({sql} LIMIT {SMALL_SET})", params).fetchone()[0]


def _query(conn: sqlite3.Connection, flt) -> tuple[str, list]:
    """``SELECT id ... ORDER BY ...`` for ``flt``, driven by its smallest criterion.

    The candidates are the text's FTS matches, each campaign/tag set and the lead table (its indexes).
    A set under SMALL_SET is read and the rest probed row by row: an EXISTS on a primary key, or an
    FTS5 lookup by rowid. Nothing builds an id list of a big set to answer a selective question.
    """
    match = fts_query(flt)
    sets = _sets(flt)
    row_where, row_params = _row_conditions(flt)
    by_id = flt.sort in ("newest", "oldest")
    direction = "ASC" if flt.sort == "oldest" else "DESC"
    needs_row = len(row_where) > 1 or not by_id

    sizes = []  # (size, kind, index): sets the size of, capped at SMALL_SET
    if match:
        sizes.append((_capped_count(conn, "SELECT 1 FROM lead_fts WHERE lead_fts MATCH ?", [match]), "fts", 0))
    for n, (table, key, ids) in enumerate(sets):
        marks = ",".join("?" * len(ids))
        sizes.append((_capped_count(conn, f"SELECT 1 FROM {table} WHERE {key} IN ({marks})", list(ids)), "set", n))
    small = sorted(s for s in sizes if s[0] < SMALL_SET)
    if small:
        _, kind, index = small[0]
    elif not by_id:
        kind, index = "lead", 0  # a huge set in name order: walk the name index and probe
    elif match:
        kind, index = "fts", 0
    elif sets:
        kind, index = "set", 0
    else:
        kind, index = "lead", 0

    where: list[str] = []
    params: list = []
    joins = ""
    if kind == "fts":
        source, id_expr = "lead_fts d", "d.rowid"
        where.append("d.lead_fts MATCH ?")
        params.append(match)
    elif kind == "set":
        table, key, ids = sets[index]
        source, id_expr = f"{table} d", "d.lead_id"
        where.append(f"d.{key} IN ({','.join('?' * len(ids))})")
        params += list(ids)
    else:
        source, id_expr = "lead l", "l.id"

    # Liveness (and the row filters): from the lead row, or membership's own ``live`` flag.
    live_done = False
    if kind != "lead":
        if needs_row:
            joins = f" JOIN lead l ON l.id = {id_expr}"
        elif kind == "set" and sets[index][0] == "membership":
            where.append("d.live = 1")
            live_done = True
        else:
            # Only deleted_at is needed: the narrow index that starts (id, deleted_at) beats the wide row.
            joins = f" JOIN lead l INDEXED BY lead_metrics ON l.id = {id_expr}"
    if not live_done:
        where += row_where
        params += row_params

    for n, (table, key, ids) in enumerate(sets):
        if kind == "set" and n == index:
            continue
        marks = ",".join("?" * len(ids))
        where.append(f"EXISTS (SELECT 1 FROM {table} p WHERE p.{key} IN ({marks}) AND p.lead_id = {id_expr})")
        params += list(ids)
    if match and kind != "fts":
        where.append(f"EXISTS (SELECT 1 FROM lead_fts p WHERE p.lead_fts MATCH ? AND p.rowid = {id_expr})")
        params.append(match)

    distinct = "DISTINCT " if kind == "set" and len(sets[index][2]) > 1 else ""
    order = f"{id_expr} {direction}" if by_id else ORDER_BY.get(flt.sort, ORDER_BY["newest"])
    if kind == "lead" and not by_id and sizes:
        index_name = "lead_company" if flt.sort == "company" else "lead_name"
        source = f"lead l INDEXED BY {index_name}"
    sql = f"SELECT {distinct}{id_expr} AS id FROM {source}{joins} WHERE {' AND '.join(where)} ORDER BY {order}"
    return sql, params


def lead_ids(conn: sqlite3.Connection, flt) -> array.array:
    """The ids of the leads matching ``flt``, in display order."""
    sql, params = _query(conn, flt)
    # One JSON text built inside SQLite is ~3x cheaper than a Python tuple per row at 1M ids; an
    # aggregate over an ordered subquery keeps that order.
    text = conn.execute(f"SELECT json_group_array(id) FROM ({sql})", params).fetchone()[0]
    return _parse_ids(text)


def first_page(conn: sqlite3.Connection, flt, limit: int, budget_s: float) -> array.array | None:
    """The first ``limit`` ids in display order, or None if that takes longer than ``budget_s``.

    The driving set is walked in display order and the walk stops at ``limit`` matches, so a common
    term paints in milliseconds even when the whole result (built next) takes longer. A walk that
    finds few matches could cover the whole set instead, so it gives up after its budget.
    """
    sql, params = _query(conn, flt)
    deadline = time.perf_counter() + budget_s
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, 2000)
    try:
        rows = conn.execute(f"{sql} LIMIT ?", [*params, limit])
        return array.array("q", (row[0] for row in rows))
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc) and time.perf_counter() > deadline:
            return None  # over budget (a newer query's interrupt is re-raised)
        raise
    finally:
        conn.set_progress_handler(None, 0)


# Characters of JSON parsed per json.loads call: ~64k ids, a few ms each, so the GUI thread gets
# the GIL back between slices instead of waiting ~70 ms for a million ids.
_SLICE = 1 << 19


def _parse_ids(text: str) -> array.array:
    ids = array.array("q")
    body, start = text[1:-1], 0
    while start < len(body):
        end = body.find(",", start + _SLICE)
        if end < 0:
            end = len(body)
        ids.fromlist(json.loads(f"[{body[start:end]}]"))
        start = end + 1
    return ids


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
