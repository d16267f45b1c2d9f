"""Turning a LeadFilter into SQL: the only place that knows about FTS5 and index-friendly shapes.

Functions here take a plain ``sqlite3.Connection`` so the GUI's background query thread can use
its own read-only connection; they never touch Qt.
"""

import array
import json
import sqlite3
import time

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


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# A 1–2 character term matches names and companies by prefix, read from the partial (live-only)
# NOCASE indexes as key ranges: no wide row is touched, even when the prefix matches half the table.
_PREFIX_COLUMNS = ("first_name", "last_name", "company_name")
_PREFIX_UNION = " UNION ".join(
    f"SELECT id FROM lead WHERE deleted_at IS NULL AND {c} >= ? AND {c} < ?" for c in _PREFIX_COLUMNS
)


def _prefix_bounds(term: str) -> list[str]:
    """``[low, high)`` for ``column LIKE term%`` under NOCASE (ASCII-only case folding, like LIKE)."""
    low = term.translate(_ASCII_LOWER)
    after = chr(min(ord(low[-1]) + 1, 0x10FFFF))
    if "A" <= after <= "Z":  # "@" + 1 is "A", which NOCASE folds to "a": skip past the folded letters
        after = "["
    return [low, low[:-1] + after] * len(_PREFIX_COLUMNS)


def search_terms(text: str) -> list[str]:
    """The words of a search; a lone "&", "-" or "|" (as in "Founder & CEO") is not a word.

    Such a term would have to prefix a name or company, so it matched nothing and cost a check of
    every other term's matches.
    """
    return [t for t in text.split() if any(c.isalnum() for c in t)]


def compile_filter(flt) -> tuple[str, list]:
    """Return ``(where_sql, params)`` selecting the live leads (alias ``l``) matching ``flt``."""
    where, params, fts_match = _compile(flt)
    if fts_match:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(fts_match)
    return " AND ".join(where), params


def _compile(flt) -> tuple[list[str], list, str]:
    """The row conditions with their params, and the FTS5 match expression ("" if none)."""
    where = ["l.deleted_at IS NULL"]
    params: list = []
    fts_terms: list[str] = []

    for term in search_terms(flt.text):
        if len(term) >= TRIGRAM:
            fts_terms.append(_fts_phrase(term))
        else:
            # Beside other criteria those drive the query; a cheap per-row prefix check then beats
            # building the prefix's id set (which can be half the table).
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
    return where, params, " AND ".join(fts_terms)


# A 1–2 letter term beside longer ones is intersected as an id set only when its prefix is this
# rare; a common one ("a") is cheaper checked row by row on the longer terms' FTS matches.
SMALL_PREFIX = 20_000
_PREFIX_COUNT = "SELECT " + " + ".join(
    f"(SELECT count(*) FROM (SELECT 1 FROM lead WHERE deleted_at IS NULL AND {c} >= ? AND {c} < ? LIMIT ?))"
    for c in _PREFIX_COLUMNS
)


def _is_small_prefix(conn: sqlite3.Connection, term: str) -> bool:
    low, high = _prefix_bounds(term)[:2]
    return conn.execute(_PREFIX_COUNT, [low, high, SMALL_PREFIX] * len(_PREFIX_COLUMNS)).fetchone()[0] < SMALL_PREFIX


def _index_only_query(conn: sqlite3.Connection, flt) -> tuple[str, list] | None:
    """A query for text searches with 1–2 letter terms, sorted by id, that reads no table rows.

    Typing the first letters of a name is the common case and the expensive one: "m" matches a
    quarter of a million leads at 1M. Intersecting the prefix ranges straight from the live-only
    indexes (and the FTS matches of any longer term: "vp sales") costs a fraction of checking each
    candidate's row in the table.
    """
    terms = search_terms(flt.text)
    short = [t for t in terms if len(t) < TRIGRAM]
    long_ = [t for t in terms if len(t) >= TRIGRAM]
    if (not short or flt.sort not in ("newest", "oldest") or not flt.structured().replace(sort="newest").is_empty()
            or (long_ and not all(_is_small_prefix(conn, t) for t in short))):
        return None
    selects = [f"SELECT id FROM ({_PREFIX_UNION})" for _ in short]
    params = [bound for t in short for bound in _prefix_bounds(t)]
    if long_:
        selects.append("SELECT rowid AS id FROM lead_fts WHERE lead_fts MATCH ?")
        params.append(" AND ".join(_fts_phrase(t) for t in long_))
    direction = "DESC" if flt.sort == "newest" else "ASC"
    return " INTERSECT ".join(selects) + f" ORDER BY 1 {direction}", params


def _needs_row(flt) -> bool:
    """False when every criterion is an id set (FTS, campaigns, tags) and the order is by id."""
    return (flt.sort not in ("newest", "oldest") or any(len(t) < TRIGRAM for t in search_terms(flt.text))
            or bool(flt.job_title.strip() or flt.location.strip()) or flt.vip is not None
            or bool(flt.headcounts or flt.email_statuses or flt.review_states or flt.custom)
            or flt.has_email is not None or flt.has_linkedin is not None)


def lead_ids(conn: sqlite3.Connection, flt) -> array.array:
    """The ids of the leads matching ``flt``, in display order."""
    query = _index_only_query(conn, flt)
    if query is None:
        where, params = compile_filter(flt)
        order = ORDER_BY.get(flt.sort, ORDER_BY["newest"])
        # When only the Trash check needs the lead itself, read deleted_at from the narrow covering
        # index that starts (id, deleted_at): 2-3x faster than a table row per FTS/campaign match at
        # 1M, but the planner picks the rows. (lead_metrics is shared with the campaign metrics.)
        source = "lead l" if _needs_row(flt) else "lead l INDEXED BY lead_metrics"
        query = f"SELECT l.id FROM {source} WHERE {where} ORDER BY {order}", params
    # One JSON text built inside SQLite is ~3x cheaper than a Python tuple per row at 1M ids; an
    # aggregate over an ordered subquery keeps that order.
    text = conn.execute(f"SELECT json_group_array(id) FROM ({query[0]})", query[1]).fetchone()[0]
    return _parse_ids(text)


def first_page(conn: sqlite3.Connection, flt, limit: int, budget_s: float) -> array.array | None:
    """The first ``limit`` ids in display order, or None if that takes longer than ``budget_s``.

    Walking the display order and stopping at ``limit`` matches paints a common 1–3 letter search
    in milliseconds even when the whole result (built next) takes a few hundred at 1M leads. A rare
    term would walk the whole table instead, so the walk gives up after its budget.
    """
    where, params, fts_match = _compile(flt)
    if fts_match and flt.sort in ("newest", "oldest"):
        # FTS5 hands out its matches in rowid order, so the walk can stop at ``limit``; an
        # IN (subquery) would collect every match first.
        direction = "DESC" if flt.sort == "newest" else "ASC"
        sql = (f"SELECT l.id FROM lead_fts f JOIN lead l ON l.id = f.rowid WHERE lead_fts MATCH ?"
               f" AND {' AND '.join(where)} ORDER BY f.rowid {direction} LIMIT ?")
        params = [fts_match, *params]
    else:
        where_sql, params = compile_filter(flt)
        sql = f"SELECT l.id FROM lead l WHERE {where_sql} ORDER BY {ORDER_BY.get(flt.sort, ORDER_BY['newest'])} LIMIT ?"
    deadline = time.perf_counter() + budget_s
    conn.set_progress_handler(lambda: time.perf_counter() > deadline, 2000)
    try:
        rows = conn.execute(sql, [*params, limit])
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
