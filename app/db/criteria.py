"""A LeadFilter's criteria as SQL: the search terms as an FTS5 query, the conditions on a lead row, the id sets.

The search rule: every term matches the start of a word in any searched field (first and last name,
job title, e-mail, company, location), at every length; several terms must all match. So adding a
letter can only narrow the list. ``lead_fts`` (unicode61 words, 1–3 letter prefix indexes) answers
every term as one ``"term"*`` query. Which criterion drives a query and how the others are tested is
``app.db.search``'s part.
"""


def fts_prefix(text: str) -> str:
    """One user term as an FTS5 prefix phrase: quotes doubled, so no input is FTS syntax."""
    return '"' + text.replace('"', '""') + '"*'


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_terms(text: str) -> list[str]:
    """The words of a search; a term without a letter or digit ("&" in "Founder & CEO") is dropped.

    unicode61 would find no word in it, and an empty phrase matches nothing.
    """
    return [t for t in text.split() if any(c.isalnum() for c in t)]


def fts_query(flt) -> str:
    """The FTS5 match expression for the text and the job title / location boxes ("" if none)."""
    parts = [fts_prefix(t) for t in search_terms(flt.text)]
    for column, value in (("job_title", flt.job_title), ("location_name", flt.location)):
        words = search_terms(value)
        if words:
            parts.append(f"{column} : (" + " AND ".join(fts_prefix(w) for w in words) + ")")
    return " AND ".join(parts)


def compile_filter(flt) -> tuple[str, list]:
    """Return ``(where_sql, params)`` selecting the live leads (alias ``l``) matching ``flt``."""
    where, params = row_conditions(flt)
    sets = id_sets(flt)
    where += [f"l.id IN (SELECT lead_id FROM {table} WHERE {key} IN ({','.join('?' * len(ids))}))"
              for table, key, ids in sets]
    params += [i for _, _, ids in sets for i in ids]
    match = fts_query(flt)
    if match:
        where.append("l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)")
        params.append(match)
    return " AND ".join(where), params


def id_sets(flt) -> list[tuple[str, str, tuple]]:
    """The id-set criteria: (table, key column, ids), each a range of a WITHOUT ROWID primary key."""
    sets = []
    if flt.campaign_ids:
        sets.append(("membership", "campaign_id", tuple(flt.campaign_ids)))
    if flt.tag_ids:
        sets.append(("lead_tag", "tag_id", tuple(flt.tag_ids)))
    return sets


def only_facets(flt) -> bool:
    """True when the row filters are e-mail status and/or company size only: a membership row carries both."""
    return (bool(flt.email_statuses or flt.headcounts) and flt.vip is None and not flt.review_states
            and flt.has_email is None and flt.has_linkedin is None and not flt.custom and not flt.owner)


def facet_conditions(flt, alias: str) -> tuple[list[str], list]:
    """Company size and e-mail status on ``alias``: a lead row, or a membership row's copies (V7)."""
    where, params = [], []
    if flt.headcounts:
        where.append(f"{alias}.company_headcount IN ({','.join('?' * len(flt.headcounts))})")
        params += list(flt.headcounts)
    if flt.email_statuses:
        where.append(f"{alias}.email_verification_result IN ({','.join('?' * len(flt.email_statuses))})")
        params += list(flt.email_statuses)
    return where, params


def in_facet_index(flt) -> bool:
    """True when the filter asks for both a company size and known e-mail statuses: one range of lead_facets.

    The empty status (a lead nobody verified) is not in that index.
    """
    return bool(flt.headcounts and flt.email_statuses) and "" not in flt.email_statuses


def row_ranges(flt, facets: bool) -> list[tuple[str, str, list, dict]]:
    """The row filters that are a range of a (partial) lead index: ``(index, SELECT id of the range, params, fields)``.

    ``facets``: e-mail status and company size too (both together: one range of lead_facets). ``fields``: the
    LeadFilter fields the range stands for, as ``replace`` takes them to leave them out.
    """
    ranges = []
    if flt.vip:
        ranges.append(("lead_vip", "vip = 1 AND deleted_at IS NULL", [], {"vip": None}))
    statuses, sizes = (flt.email_statuses, flt.headcounts) if facets else ((), ())
    status_in = f"email_verification_result IN ({','.join('?' * len(statuses))})"
    size_in = f"company_headcount IN ({','.join('?' * len(sizes))})"
    if facets and in_facet_index(flt):
        ranges.append(("lead_facets", f"{size_in} AND {status_in} AND deleted_at IS NULL"
                       " AND email_verification_result != ''", [*sizes, *statuses],
                       {"headcounts": (), "email_statuses": ()}))
    elif statuses or sizes:
        ranges += [(index, f"{condition} AND deleted_at IS NULL", list(values), {field: ()})
                   for index, condition, values, field in (("lead_status", status_in, statuses, "email_statuses"),
                                                           ("lead_headcount", size_in, sizes, "headcounts")) if values]
    if flt.review_states:
        marks = ",".join("?" * len(flt.review_states))
        ranges.append(("lead_review", f"review_state IN ({marks}) AND deleted_at IS NULL", list(flt.review_states),
                       {"review_states": ()}))
    if flt.owner:
        ranges.append(("lead_owner", "owner = ? AND owner != ''", [flt.owner], {"owner": ""}))
    return [(index, f"SELECT id FROM lead INDEXED BY {index} WHERE {condition}", values, fields)
            for index, condition, values, fields in ranges]


def row_conditions(flt, facets: bool = True, facet_alias: str = "l") -> tuple[list[str], list]:
    """The conditions on the lead row itself (alias ``l``), with their params (``facets``: with those too, on
    ``facet_alias``: the lead row or its brief)."""
    where = ["l.deleted_at IS NULL"]
    params: list = []
    if flt.vip is not None:
        where.append("l.vip = 1" if flt.vip else "l.vip = 0")
    if facets:
        facet_where, params = facet_conditions(flt, facet_alias)
        where += facet_where
        if in_facet_index(flt):  # implied by the statuses; on the lead row, lets SQLite use the partial index lead_facets
            where.append(f"{facet_alias}.email_verification_result != ''")
    if flt.review_states:
        where.append(f"l.review_state IN ({','.join('?' * len(flt.review_states))})")
        params += list(flt.review_states)
    if flt.owner:
        # The second term lets SQLite use the partial index lead_owner (WHERE owner != '').
        where.append("l.owner = ? AND l.owner != ''")
        params.append(flt.owner)
    if flt.has_email is not None:
        where.append("l.email != ''" if flt.has_email else "l.email = ''")
    if flt.has_linkedin is not None:
        where.append("l.linkedin != ''" if flt.has_linkedin else "l.linkedin = ''")
    for criterion in flt.custom:
        value = "COALESCE(json_extract(l.custom, ?), '')"
        params.append('$."' + criterion.field.replace('"', '\\"') + '"')
        if criterion.op == "contains":
            where.append(f"{value} LIKE ? ESCAPE '\\'")
            params.append("%" + like_escape(criterion.value) + "%")
        elif criterion.op == "empty":
            where.append(f"{value} = ''")
        else:
            where.append(f"{value} != ''")
    return where, params
