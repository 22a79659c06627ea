"""The search over people and units, read from the reporting model (one snapshot: the caller's
connection).

Names are compared in one normal form, ``search_fold`` (PostgreSQL's ``unaccent``, đ → d,
lower case: ``readmodels/sql/0007_search.sql``): every word of the query must occur in the
name (``LIKE``, answered by the trigram indexes), and the hits are ranked by ``pg_trgm``'s
word similarity of the whole query. A reader finds only what their roles let them read (the
same rule as ``Principal.may_read``, as a condition on the department).

The record of one person or one unit is read by ``records.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.reporting.search.models import SearchHit, SearchResults
from thidua.auth import Principal
from thidua.auth.principal import ANYWHERE
from thidua.es.db import Conn

PER_PAGE = 20
CANDIDATES = 1000
"""People (and units) ranked at most per query: a query as broad as a common surname alone
ranks the first this many it meets, not all of them (the time of a search stays bounded)."""
MAX_WORDS = 8
"""Words of a query beyond these are ignored (a name has fewer)."""


@dataclass(frozen=True)
class Filters:
    province: str | None = None
    department: str | None = None
    unit: str | None = None
    year: int | None = None


class Args:
    """Positional parameters of a query under construction."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def readable_departments(args: Args, who: Principal) -> str:
    """The departments (``d``) ``who`` may read, as a condition (``Principal.may_read``)."""
    parts = []
    for role, mine, column in (
        ("board", who.province, "d.province_id"),
        ("ministry", who.ministry, "d.ministry_id"),
        ("department", who.department, "d.department_code"),
    ):
        if role in who.roles and mine:
            parts.append("TRUE" if mine == ANYWHERE else f"{column} = {args(mine)}")
    return "(" + " OR ".join(parts) + ")" if parts else "FALSE"


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def like_pattern(word: str) -> str:
    return f"%{like_escape(word)}%"


async def name_words(conn: Conn, words: Sequence[str]) -> list[list[str]] | None:
    """For each query word, the words of names that contain it (from the vocabulary of every
    word a name has held); None if one has none (no name can match)."""
    rows = await conn.fetch(
        """SELECT q.i, array_agg(v.word) AS words
             FROM unnest($1::text[]) WITH ORDINALITY AS q(pattern, i)
             JOIN reporting_search_words v ON v.word LIKE q.pattern
            GROUP BY q.i""",
        [like_pattern(w) for w in words],
    )
    found = {int(r["i"]): list(r["words"]) for r in rows}
    if len(found) < len(words):
        return None
    return [found[i] for i in range(1, len(words) + 1)]


async def search(
    conn: Conn, q: str, filters: Filters, who: Principal, page: int = 1
) -> SearchResults:
    """People and units whose names hold every word of ``q`` (diacritics and case aside),
    best first, ``PER_PAGE`` a page (of the first ``CANDIDATES`` of each kind met)."""
    folded = str(await conn.fetchval("SELECT search_fold($1)", q))
    words = folded.split()[:MAX_WORDS]
    if not words:
        return SearchResults(q=q, page=page, per_page=PER_PAGE, total=0, more=False, hits=[])
    widened = await name_words(conn, words)
    if widened is None:  # a word no name holds
        return SearchResults(q=q, page=page, per_page=PER_PAGE, total=0, more=False, hits=[])
    args = Args()
    query = args(" ".join(words))
    # The query's words in a row, whole, in the name: its word similarity is 1 (every trigram
    # of the query is in that extent), known without computing it (1,000 candidates of a
    # common surname took ~10 ms to rank on a loaded machine).
    in_a_row = args(f"% {like_escape(' '.join(words))} %")

    def score(column: str) -> str:
        return (
            f"CASE WHEN ' ' || {column} || ' ' LIKE {in_a_row} THEN 1"
            f" ELSE word_similarity({query}, {column}) END"
        )

    def matching(column: str) -> str:
        return " AND ".join(f"{column} && {args(w)}::text[]" for w in widened)

    people, units = [matching("p.search_words")], [matching("u.search_words")]
    readable = readable_departments(args, who)
    departments = [] if readable == "(TRUE)" else [readable]
    if filters.province:
        departments.append(f"d.province_id = {args(filters.province)}")
    if filters.department:
        departments.append(f"d.department_code = {args(filters.department)}")
    if departments:
        # On the names' own column: the planner intersects the department index with the
        # words' (a condition on the joined departments fetched every name found first).
        within = f"""ARRAY(SELECT d.department_code FROM reporting_departments d
                            WHERE {" AND ".join(departments)})"""
        people.append(f"p.department_code = ANY({within})")
        units.append(f"u.department_code = ANY({within})")
    if filters.unit:
        value = args(filters.unit)
        people.append(
            "EXISTS (SELECT 1 FROM reporting_person_history h"
            f" WHERE h.unit_id = {value} AND h.person_id = p.person_id)"
        )
        units.append(f"(u.unit_id = {value} OR u.parent_unit_id = {value})")
    if filters.year:
        start, end = args(date(filters.year, 1, 1)), args(date(filters.year, 12, 31))
        people.append(f"p.joined_on <= {end} AND (p.left_on IS NULL OR p.left_on >= {start})")
        units.append(f"u.established_on <= {end} AND (u.ended_on IS NULL OR u.ended_on >= {start})")
    cap = args(CANDIDATES + 1)
    hits = f"""
        (SELECT 'person' AS kind, p.person_id AS id, p.full_name AS name, p.department_code,
                {score("p.search_name")} AS score
           FROM reporting_people p JOIN reporting_departments d USING (department_code)
          WHERE {" AND ".join(people)} LIMIT {cap})
        UNION ALL
        (SELECT 'unit', u.unit_id, u.name, u.department_code,
                {score("u.search_name")}
           FROM reporting_units u JOIN reporting_departments d USING (department_code)
          WHERE {" AND ".join(units)} LIMIT {cap})"""
    counted = list(args.values)
    limit, offset = args(PER_PAGE), args((page - 1) * PER_PAGE)
    rows = await conn.fetch(
        f"""WITH hits AS ({hits}),
                 ranked AS (SELECT *, count(*) OVER () AS total,
                                   count(*) FILTER (WHERE kind = 'person') OVER () AS people
                              FROM hits
                             ORDER BY score DESC, name, id LIMIT {limit} OFFSET {offset})
            SELECT r.*, d.name AS department, d.province_id,
                   coalesce(pr.name, d.province_id) AS province, m.unit_id, mu.name AS unit
              FROM ranked r JOIN reporting_departments d USING (department_code)
              LEFT JOIN reporting_provinces pr ON pr.province_id = d.province_id
              LEFT JOIN LATERAL (
                  SELECT h.unit_id FROM reporting_person_history h
                   WHERE r.kind = 'person' AND h.person_id = r.id AND h.unit_id IS NOT NULL
                   ORDER BY h.effective_on DESC, h.seq DESC LIMIT 1) m ON TRUE
              LEFT JOIN reporting_units mu ON mu.unit_id = m.unit_id
             ORDER BY r.score DESC, r.name, r.id""",
        *args.values,
    )
    if rows:
        total, people_found = int(rows[0]["total"]), int(rows[0]["people"])
    elif page > 1:  # past the last page: say how many there are
        found_rows = await conn.fetchrow(
            f"""SELECT count(*) AS total, count(*) FILTER (WHERE kind = 'person') AS people
                  FROM ({hits}) h""",
            *counted,
        )
        assert found_rows is not None  # an aggregate has one row
        total, people_found = int(found_rows["total"]), int(found_rows["people"])
    else:
        total = people_found = 0
    more = people_found > CANDIDATES or total - people_found > CANDIDATES
    found = [
        SearchHit(
            kind=r["kind"],
            id=r["id"],
            name=r["name"],
            department_code=r["department_code"],
            department=r["department"],
            province_id=r["province_id"],
            province=r["province"],
            unit_id=r["unit_id"],
            unit=r["unit"],
            score=round(float(r["score"]), 3),
        )
        for r in rows
    ]
    return SearchResults(q=q, page=page, per_page=PER_PAGE, total=total, more=more, hits=found)
