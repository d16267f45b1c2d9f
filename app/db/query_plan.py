"""How one LeadFilter is answered: which criterion drives the query, and how the others are tested.

``app.db.criteria`` turns each criterion into SQL (and holds the search rule); a ``QueryPlan`` picks the
criterion that drives by its size (FTS matches, a campaign's members, an index range) and tests the others
in the cheapest way. ``app.db.search`` keeps the last plans and reads ids, counts and first pages with
them. Plain ``sqlite3.Connection`` throughout: the GUI's query thread uses its own read-only connection.
"""

import sqlite3

from app.db import counts, criteria

ORDER_BY = {
    "newest": "l.id DESC",
    "oldest": "l.id ASC",
    "name": "l.last_name, l.first_name, l.id",
    "company": "l.company_name, l.last_name, l.id",  # the lead_name / lead_company index orders
}

# A campaign, tag or text match with fewer members than this is read first and the other criteria
# probed on its members; a bigger one is probed instead (membership's key is (campaign_id, lead_id)).
SMALL_SET = 50_000
# Beside a text with SMALL_SET matches or more, other criteria that keep fewer leads than this drive: the
# text is looked up for each of them (~20 µs) instead of each match tested (at 1M, "s": 752k matches, ~100 ms).
PROBED_TEXT_MAX = 500
# They drive beside more leads too, under PROBED_TEXT_CAP, when the text has MATCHES_PER_LOOKUP matches or more
# for each: a lookup costs as much as streaming and testing a few hundred matches. At 1M, "s" (752k) beside a
# 1% tag among valid leads of two sizes (1.7k leads): 176 -> 97 ms; but "sa" (301k) beside the 9.8k leads of a
# 1% tag, probed, went 59 -> 138 ms.
MATCHES_PER_LOOKUP = 400
PROBED_TEXT_CAP = 2000
# The text's matches are judged from the first 1/SAMPLED_PART of the ids: counting 752k costs 30 ms, an eighth 4.
SAMPLED_PART = 8
# Those criteria are counted first by their own plan, if it reads no more lead rows than this (~2 µs each;
# at 1M, a 1% campaign among approved leads of a company size: 23 ms).
ROWS_READ_AHEAD = 10_000


def _smallest_range(conn: sqlite3.Connection, flt, facets: bool) -> tuple[str, dict] | None:
    """The row filters' smallest range, when there are several: ``(index, the LeadFilter fields it stands for)``,
    the first and last item of ``criteria.row_ranges``'. SQLite has no statistics to choose by: at 1M it counted
    "approved" (49k) + a company size (240k) from the size's range, 147 ms, instead of 57 ms from the review state's."""
    ranges = criteria.row_ranges(flt, facets)
    return min(ranges, key=lambda r: _capped_count(conn, r[1], r[2]))[::3] if len(ranges) > 1 else None


def _small_row_sets(conn: sqlite3.Connection, flt, facets: bool, id_expr: str) -> tuple[list[str], list, bool, object]:
    """The row filters with a small index range as ``id IN (...)`` sets: ``(conditions, params, live, left)``.

    A range under SMALL_SET leads is built once from its index, then each id of the driving set is looked
    up in memory, instead of reading its wide lead row (at 1M, "s" + VIP: 795k matches, 20k VIPs).
    ``left``: the filter with only the row filters the sets do not stand for, tested on the rows of the ids
    the sets keep (at 1M, "s" + "approved" + a size: 752k matches, 49k approved), or None when the sets
    stand for them all and no lead row is read. ``live``: a set of live leads only (their indexes are
    partial) makes the Trash check needless. The unary ``+`` keeps SQLite from turning a set into a loop
    of FTS lookups by rowid (~20 µs each: 2 s for 100k).
    """
    where, params, live, left = [], [], False, flt
    for index, subquery, values, fields in criteria.row_ranges(flt, facets):
        if _capped_count(conn, subquery, values) < SMALL_SET:
            where.append(f"+{id_expr} IN ({subquery})")
            params += values
            live = live or index != "lead_owner"
            left = left.replace(**fields)
    return where, params, live, left if len(criteria.row_conditions(left, facets)[0]) > 1 else None  # beside deleted_at


_FTS_SIZE = "SELECT 1 FROM lead_fts WHERE lead_fts MATCH ?"


def _set_size(conn: sqlite3.Connection, id_set: tuple) -> int:
    """The size of an id set (``criteria.id_sets``), capped at SMALL_SET."""
    table, key, ids = id_set
    return _capped_count(conn, f"SELECT 1 FROM {table} WHERE {key} IN ({','.join('?' * len(ids))})", list(ids))


def in_id_order(flt) -> bool:
    return flt.sort in ("newest", "oldest")


def _capped_count(conn: sqlite3.Connection, sql: str, params: list) -> int:
    return counts.capped(conn, sql, params, SMALL_SET)


class QueryPlan:
    """How one filter is answered: which criterion drives, and how the others are probed.

    The text's FTS matches drive when there is text (an FTS5 lookup by rowid costs ~20 µs, so FTS is probed
    row by row only to walk a first page in name order, or for the few leads that the other criteria keep
    beside a text of many more matches: ``probed``, see ``_kept_beside_text``). Otherwise the smallest
    campaign/tag set under SMALL_SET drives (of big ones only, the sparsest among the ids they span:
    ``_sparsest``); a big set beside row filters (VIP, review state...) lets their indexes drive instead;
    a big set alone (View Leads) reads its membership range with the ``live`` flag, and beside e-mail status
    and company size only, its range of ``membership_facets`` (the membership rows carry copies of both).
    The other sets are probed with an EXISTS on their primary key, which never builds an id list, or beside
    a big driving set, when they are small, read once into a set in memory.
    """

    def __init__(self, conn: sqlite3.Connection, flt, walk: bool = False, within: tuple[int, int] | None = None):
        self.flt, self.within = flt, within  # within: the ids (lowest, highest) of one of its halves
        match = criteria.fts_query(flt)
        sets = criteria.id_sets(flt)
        self.probed = _kept_beside_text(conn, flt, match)
        text_probed = self.probed is not None
        self.on_members = self._on_members(conn, sets, text_drives=bool(match) and not text_probed)
        row_where, row_params = criteria.row_conditions(flt, facets=not self.on_members)
        self.has_criteria = bool(match or sets or len(row_where) > 1)
        kind, index = self._choose_driver(conn, match, sets, len(row_where), walk and self._by_id)
        # A first page in name order walks the name index and tests every criterion on each lead (the usual plan
        # builds the whole set first: 1M ids, seconds; a common word's first 200 take 10-25 ms at 1M, at ~20 µs an
        # FTS5 lookup). A small driving set is tested in memory (its rows sorted: "q", 29k matches, 90 ms at 1M).
        self.name_walk = walk and not self._by_id
        if self.name_walk:
            kind = "lead"
        source, where, params = self._driver(conn, kind, match, sets, index)
        self.distinct = kind == "set" and len(sets[index][2]) > 1
        sorted_by_row = not self._by_id and self.small
        # Row filters with a small index range are tested on the driving set's ids in memory; other row filters
        # and a sort by name read the lead row (only for a small set). CROSS JOIN keeps the driving set
        # outermost (the planner would rather scan an index of the lead table).
        set_where, set_params, sets_live, left = [], [], False, flt
        if kind != "lead" and len(row_where) > 1 and not sorted_by_row:
            set_where, set_params, sets_live, left = _small_row_sets(
                conn, flt, facets=not self.on_members, id_expr=self.id_expr)
            if left is not None and self.small:  # a few rows are read anyway: the sets would cost more than they save
                set_where, set_params, sets_live, left = [], [], False, flt
        self.row_in_select = left is not None and (len(row_where) > 1 or sorted_by_row)
        # The result is no bigger than a small set tested in memory: see search.first_page.
        self.bounded = (bool(set_where) or text_probed
                        or any(self._in_memory(conn, n) for n in range(len(sets)) if not (kind == "set" and n == index)))
        live_known = kind == "lead" or self.row_in_select or sets_live
        self.tags_on_brief = self._tags_on_brief(conn, sets, kind, left)
        set_joins, join_params, probes, probe_params, live_probe = self._probes(conn, sets, kind, index, live_known)
        if match and (self.name_walk or text_probed):
            probes.append(self._text_probe())
            probe_params.append(match)
        joins, live = "", []  # the Trash check goes last: it keeps nearly every lead, so it spares no other test
        if self.row_in_select and kind != "lead":  # (the leads' own row filters are the driver's conditions)
            before_sets, joins = self._row_join(left, sorted_by_row)
            set_joins = before_sets + set_joins
            left_where, left_params = criteria.row_conditions(left, facets=not self.on_members)
            where += left_where
            params += left_params
        elif kind == "set" and sets[index][0] == "membership":
            where.append("d.live = 1")
        elif self.tags_on_brief or not (live_probe or live_known):
            before_sets, live = self._live_check(conn)
            set_joins = before_sets + set_joins
        where += set_where
        params += set_params
        self.from_where = f"{source}{set_joins}{joins} WHERE {' AND '.join(where + probes + live)}"
        self.params = join_params + params + probe_params

    def _on_members(self, conn: sqlite3.Connection, sets: list, text_drives: bool) -> bool:
        """Whether e-mail status and company size are read from the campaign members' copies (membership_facets).

        They are beside a campaign, unless the text's matches drive and the campaign is big: each match's brief is
        then cheaper to test than a membership lookup, which only the matches it keeps make (at 1M, "s" + "valid"
        in a campaign of half the leads: 238 -> 145 ms). A small campaign is read into memory with only its members
        of that status and size.
        """
        members = [s for s in sets if s[0] == "membership"]
        return (bool(members) and criteria.only_facets(self.flt)
                and not (text_drives and _set_size(conn, members[0]) >= SMALL_SET))

    def _tags_on_brief(self, conn: sqlite3.Connection, sets: list, kind: str, left) -> bool:
        """Whether a big tag beside a common word's matches is tested on each match's brief (``tags``, V11), read then
        for the Trash too, instead of looked up in lead_tag. Not beside a wide lead row: it holds no tags."""
        return (kind == "fts" and not self.small and (not self.row_in_select or criteria.only_facets(left))
                and any(table == "lead_tag" and self._set_size(conn, n) >= SMALL_SET
                        for n, (table, _, _) in enumerate(sets)))

    def _row_join(self, left, sorted_by_row: bool) -> tuple[str, str]:
        """How the row filters ``left`` are read on each lead: ``(join before the sets' joins, join after them)``.

        E-mail status and company size alone are in the lead's brief: no wide row. A brief is looked up by rowid,
        for less than a big set's key, so it is tested before the sets it then spares (at 1M, "s" + valid + a 33%
        tag: 237 -> 176 ms). Neither join has parameters, so the order leaves the parameters' order alone.
        """
        if not sorted_by_row and criteria.only_facets(left):
            return f" CROSS JOIN lead_brief l ON l.id = {self.id_expr}", ""
        return "", f" CROSS JOIN lead l ON l.id = {self.id_expr}"

    def _text_probe(self) -> str:
        """The text tested on each lead: its few matches read once into memory, else an FTS5 lookup by rowid (on
        l.id when the lead row is read: SQLite then tests the row filters before the lookup)."""
        if self.small and self.probed is None:
            return "+l.id IN (SELECT rowid FROM lead_fts WHERE lead_fts MATCH ?)"
        on = "l.id" if self.row_in_select else self.id_expr
        return f"EXISTS (SELECT 1 FROM lead_fts f WHERE f.lead_fts MATCH ? AND f.rowid = {on})"

    def _choose_driver(self, conn: sqlite3.Connection, match: str, sets: list, row_filters: int,
                       walk: bool) -> tuple[str, int]:
        """``("fts" | "set" | "lead", index of the driving set)``; sets ``self.small``.

        ``walk``: a first page in id order, which stops at a few hundred matches. A campaign's range then
        drives even beside row filters: walking an index of leads instead goes through every lead outside
        the campaign first (at 1M, a campaign of the first half: 0.6 s for the e-mail status "valid").
        A text looked up per lead (``probed``) leaves the other criteria to drive: the result is small.
        """
        by_text = match and self.probed is None
        if by_text:
            size, index = _capped_count(conn, _FTS_SIZE, [match]), -1
        elif sets:
            size, index = min((self._set_size(conn, n), n) for n in range(len(sets)))
            if size >= SMALL_SET and len(sets) > 1:
                index = self._sparsest(conn, sets)
        else:
            size, index = SMALL_SET, 0
        self.small = size < SMALL_SET or self.probed is not None
        self.driving_size, self._driving_index = size, index  # the size capped at SMALL_SET
        if by_text:
            return "fts", 0
        if sets:
            return ("set" if self.small or row_filters == 1 or walk else "lead"), index
        return "lead", 0

    def likely_size(self, conn: sqlite3.Connection) -> float:
        """The result's likely size, were the criteria independent: the driving set's size times each other
        small set's share of the leads (a big one's size is not known: it counts as all of them)."""
        if self.probed is not None:
            return self.probed
        size, index = self.driving_size, self._driving_index
        leads = counts.id_range(conn)[1] or 1
        for n in range(len(criteria.id_sets(self.flt))):
            if n != index and self._set_size(conn, n) < SMALL_SET:
                size *= self._set_size(conn, n) / leads
        return size

    def halves(self, conn: sqlite3.Connection) -> list["QueryPlan"] | None:
        """The plan as two, for the lower and upper half of the ids it reads, when its driving set is big and read
        within a range of ids: FTS matches, a campaign's or a tag's members, or beside those, the leads. Else None.
        Each half bounds the driving set itself: FTS5 would take only the span's bounds, beside a second pair.
        """
        sets = criteria.id_sets(self.flt)
        # Not for a small set (read in a few ms), nor for leads alone: a range would be new to the query, and
        # SQLite might change its index.
        if self.small or self.id_expr == "l.id" and not sets:
            return None
        low, high = self._id_span(conn, sets) if sets else counts.id_range(conn)
        middle = low + (high - low) // 2
        return [QueryPlan(conn, self.flt, within=part) for part in ((low, middle), (middle + 1, high))]

    @staticmethod
    def _id_span(conn: sqlite3.Connection, sets: list) -> list[int]:
        """``[lowest, highest]``: the lead ids every set spans (empty, low above high, if one has no member)."""
        low, high = 0, 1 << 62
        for table, key, ids in sets:
            spans = [conn.execute(f"SELECT (SELECT min(lead_id) FROM {table} WHERE {key} = ?),"
                                  f" (SELECT max(lead_id) FROM {table} WHERE {key} = ?)", (i, i)).fetchone() for i in ids]
            spans = [span for span in spans if span[0] is not None]
            if not spans:
                return [1, 0]
            low, high = max(low, min(s[0] for s in spans)), min(high, max(s[1] for s in spans))
        return [low, high]

    def _live_check(self, conn: sqlite3.Connection) -> tuple[str, list[str]]:
        """How the driving set leaves the Trash out: ``(join, conditions)``.

        A Trash under SMALL_SET is one small set read from its partial index (lead_trashed) and each match
        tested against it in memory; a bigger one, or beside a tag tested on the briefs, is checked on each
        match's brief (``lead_brief``). At 1M
        leads, counting the matches of "s" (795k) took 151 ms the second way (then on an index entry) and
        20-45 ms the first: it reads no lead index at all.
        """
        trash = "SELECT id FROM lead INDEXED BY lead_trashed WHERE deleted_at IS NOT NULL"
        if not self.tags_on_brief and _capped_count(conn, trash, []) < SMALL_SET:
            return "", [f"{self.id_expr} NOT IN ({trash})"]
        return f" CROSS JOIN lead_brief l ON l.id = {self.id_expr}", ["l.deleted_at IS NULL"]

    def _sparsest(self, conn: sqlite3.Connection, sets: list) -> int:
        """Of big sets, the one with the fewest members among the ids they all span (beside e-mail status and
        company size, a campaign's members with those), judged from the span's first 1/SAMPLED_PART. At 1M, a
        campaign of the first half (490k) and a tag on a third of the leads: the tag's 166k members there drive,
        the campaign is probed, and the count takes 40 ms instead of 106."""
        low, high = self._id_span(conn, sets)
        end = low + (high - low) // SAMPLED_PART

        def sampled(n: int) -> int:
            table, key, ids = sets[n]
            facets, params = self._member_facets(table, "s")
            where = " AND ".join([f"s.{key} IN ({','.join('?' * len(ids))})", "s.lead_id >= ? AND s.lead_id <= ?",
                                  *facets])
            return counts.capped(conn, f"SELECT 1 FROM {table} s WHERE {where}", [*ids, low, end, *params],
                                 high - low + 1)
        return min(range(len(sets)), key=sampled)

    def _set_size(self, conn: sqlite3.Connection, n: int) -> int:
        return _set_size(conn, criteria.id_sets(self.flt)[n])

    def _in_memory(self, conn: sqlite3.Connection, n: int) -> bool:
        """Whether set ``n``, when it does not drive, is read once into memory: small, beside a big driver or a walk."""
        return (self.name_walk or not self.small) and self._set_size(conn, n) < SMALL_SET

    def _driver(self, conn: sqlite3.Connection, kind: str, match: str, sets: list,
                index: int) -> tuple[str, list[str], list]:
        """The FROM source and its own conditions; sets ``self.id_expr``.

        Beside sets, the text's matches, the leads or the driving set are read within the ids the sets span: a
        campaign imported in one go holds a run of ids. At 1M, "s" within the campaign of the first half: the first
        rows in 4 ms instead of 264 (the walk no longer crosses the other half's matches), the count in
        93 ms instead of 264.
        """
        if kind == "set":
            table, key, ids = sets[index]
            self.id_expr = "d.lead_id"
            facets, params = self._member_facets(table, "d")
            source, where, params = f"{table} d", [f"d.{key} IN ({','.join('?' * len(ids))})", *facets], [*ids, *params]
        elif kind == "fts":
            self.id_expr = "d.rowid"
            source, where, params = "lead_fts d", ["d.lead_fts MATCH ?"], [match]
        else:
            # The row filters on the lead row, but beside a range that drives, e-mail status and company size alone
            # on the lead's brief: no wide lead row is read (at 1M, Big + approved + a size: 74 -> 31 ms).
            self.id_expr = "l.id"
            index, fields = (self._name_index(), None) if self.name_walk else (
                _smallest_range(conn, self.flt, not self.on_members) or (None, None))
            brief = fields is not None and criteria.only_facets(self.flt.replace(**fields))
            where, params = criteria.row_conditions(self.flt, not self.on_members, "b" if brief else "l")
            join = " CROSS JOIN lead_brief b ON b.id = l.id" if brief else ""
            source = f"lead l INDEXED BY {index}{join}" if index else "lead l"
        if self.within or len(sets) > (kind == "set"):
            where.append(f"{self.id_expr} >= ? AND {self.id_expr} <= ?")
            params += self.within or self._id_span(conn, sets)
        return source, where, params

    def _probes(self, conn: sqlite3.Connection, sets: list, kind: str, index: int,
                live_known: bool) -> tuple[str, list, list[str], list, bool]:
        """``(joins, their params, conditions, their params, whether one checks liveness)`` for each set that
        does not drive.

        ``live_known``: the lead row (or an index of live leads) is read anyway, so no probe checks it.
        Beside a big driving set, a set under SMALL_SET is built once and each id looked up in memory: at
        1M, "s" (795k matches) within a 10k-lead campaign counted in 68 ms instead of 162 ms (a bigger set
        costs more to build than the probes: 670 ms for a 1M-lead campaign). Else one campaign or tag is
        joined on its key (a lead is in it once), which costs less than an EXISTS: at 1M, "s" (752k matches)
        in a 33% tag counted in 119 ms instead of 197 ms. Several are an EXISTS (a lead may be in two).
        """
        joins, join_params, probes, params = "", [], [], []
        live_probe = False
        for n, (table, key, ids) in enumerate(sets):
            if kind == "set" and n == index:
                continue
            p = f"p{n}"
            marks = ",".join("?" * len(ids))
            # membership carries the lead's liveness, so probing it can stand in for the Trash check.
            live = f" AND {p}.live = 1" if table == "membership" and not live_known and not live_probe else ""
            live_probe = live_probe or bool(live)
            facets, facet_params = self._member_facets(table, p)
            in_memory = self._in_memory(conn, n)
            # A walk in name order, or a text looked up per lead, keeps its EXISTS: they are tested in order, the
            # sets before the text's lookup by rowid (~20 µs); a joined set would be tested after it (at 1M, 75 ms
            # -> 300 ms).
            joined = not in_memory and len(ids) == 1 and not self.name_walk and self.probed is None
            # Each "+" keeps a join a lookup of one key: SQLite would carry the driving ids' span over to the
            # set's key and scan that range per id, or seek membership_facets once per pair of facet values.
            tests = live + "".join((" AND +" if joined else " AND ") + f for f in facets)
            # membership_lead (lead_id, live, campaign_id) is a fifth of the table's size: a probe of it
            # costs half as much (measured at 1M: 0.43 s vs 0.90 s for 400k probes).
            narrow = " INDEXED BY membership_lead" if table == "membership" and not facets else ""
            if self.tags_on_brief and table == "lead_tag" and not in_memory:
                probes.append("(" + " OR ".join(["instr(l.tags, ?)"] * len(ids)) + ")")
                params += [f",{i}," for i in ids]
            elif in_memory:
                probes.append(f"+{self.id_expr} IN (SELECT {p}.lead_id FROM {table} {p} WHERE {p}.{key} IN ({marks})"
                              f"{tests})")
                params += [*ids, *facet_params]
            elif joined:
                joins += f" CROSS JOIN {table} {p}{narrow} ON {p}.lead_id = +{self.id_expr} AND {p}.{key} = ?{tests}"
                join_params += [*ids, *facet_params]
            else:
                probes.append(f"EXISTS (SELECT 1 FROM {table} {p}{narrow} WHERE {p}.lead_id = {self.id_expr}"
                              f" AND {p}.{key} IN ({marks}){tests})")
                params += [*ids, *facet_params]
        return joins, join_params, probes, params, live_probe

    def _member_facets(self, table: str, alias: str) -> tuple[list[str], list]:
        if table == "membership" and self.on_members:
            return criteria.facet_conditions(self.flt, alias)
        return [], []

    @property
    def _by_id(self) -> bool:
        return in_id_order(self.flt)

    def sql(self) -> tuple[str, list]:
        """``SELECT id ... ORDER BY ...`` in display order."""
        distinct = "DISTINCT " if self.distinct else ""
        if self._by_id:
            direction = "ASC" if self.flt.sort == "oldest" else "DESC"
            return (f"SELECT {distinct}{self.id_expr} AS id FROM {self.from_where} ORDER BY {self.id_expr} {direction}",
                    self.params)
        order = ORDER_BY.get(self.flt.sort, ORDER_BY["newest"])
        if self.name_walk:
            return f"SELECT l.id AS id FROM {self.from_where} ORDER BY {order}", self.params
        if self.small or not self.has_criteria:
            # A few thousand rows sort in memory; no criteria at all is the name index itself.
            source = "lead l" if self.small else f"lead l INDEXED BY {self._name_index()}"
            if not self.small:
                return f"SELECT l.id AS id FROM {source} WHERE l.deleted_at IS NULL ORDER BY {order}", []
            return f"SELECT {distinct}l.id AS id FROM {self.from_where} ORDER BY {order}", self.params
        ids_sql = f"SELECT {self.id_expr} FROM {self.from_where}"
        if self.bounded:
            # No more than SMALL_SET leads (a small set tested in memory bounds them): their rows sorted in
            # memory cost less than a walk of the whole name index (at 1M, "s" in a 1% campaign: 260 ms).
            return f"SELECT l.id AS id FROM lead l NOT INDEXED WHERE l.id IN ({ids_sql}) ORDER BY {order}", self.params
        # A huge set in name order: walk the name index (it holds the names and ids, no wide rows) and
        # keep the ids of the set, built once in id order.
        return (f"SELECT l.id AS id FROM lead l INDEXED BY {self._name_index()}"
                f" WHERE l.deleted_at IS NULL AND l.id IN ({ids_sql}) ORDER BY {order}", self.params)

    def count_sql(self) -> tuple[str, list]:
        """``SELECT count(*)`` of the same leads: no order, no id list."""
        distinct = "DISTINCT " if self.distinct else ""
        return f"SELECT count({distinct}{self.id_expr}) FROM {self.from_where}", self.params

    def _name_index(self) -> str:
        return "lead_company" if self.flt.sort == "company" else "lead_name"


def _kept_beside_text(conn: sqlite3.Connection, flt, match: str) -> int | None:
    """How many leads the criteria other than a text of SMALL_SET matches or more keep, if so few that the text
    is better looked up for each: under PROBED_TEXT_MAX, or under PROBED_TEXT_CAP with MATCHES_PER_LOOKUP
    matches of the text for each.

    Counted, up to PROBED_TEXT_CAP, by their own plan when a campaign or tag under SMALL_SET drives it (and
    reads no more than ROWS_READ_AHEAD lead rows): cheap when they keep many, and when they keep few, the
    price of reading them once more.
    """
    rest = counts.without_whole_campaigns(conn, flt.replace(text="", job_title="", location="", sort="newest"))
    sets = criteria.id_sets(rest)
    if not (match and any(_set_size(conn, s) < SMALL_SET for s in sets)
            and _capped_count(conn, _FTS_SIZE, [match]) >= SMALL_SET):
        return None
    plan = QueryPlan(conn, rest)
    if not plan.small or plan.row_in_select and plan.driving_size > ROWS_READ_AHEAD:
        return None
    kept = counts.capped(conn, f"SELECT 1 FROM {plan.from_where}", plan.params, PROBED_TEXT_CAP)
    if kept < PROBED_TEXT_MAX:
        return kept
    return kept if kept < PROBED_TEXT_CAP and _matches_at_least(conn, match, kept * MATCHES_PER_LOOKUP) else None


def _matches_at_least(conn: sqlite3.Connection, match: str, wanted: int) -> bool:
    """Whether the text matches about ``wanted`` leads or more, judged from the first 1/SAMPLED_PART of the ids
    (a plan's choice needs no exact count)."""
    part = -(-wanted // SAMPLED_PART)
    top = counts.id_range(conn)[1]
    return counts.capped(conn, f"{_FTS_SIZE} AND rowid <= ?", [match, top // SAMPLED_PART], part) >= part
