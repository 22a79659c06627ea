"""The search's query times (issue 18: p99 ≤ 20 ms): each kind of query an officer types,
the person's and the unit's page, beside a primary-key lookup of a person in the same model
(the least a read can cost here), each in a read-only repeatable-read snapshot as the API
reads.

Measured over the model of the bench's long history (``thidua bench --only search``: the
reporting section's history, replicated to ~1M events) and by the search's speed test over a
model of 200,000 people filled directly (``tests/integration/reporting/test_search_speed.py``).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from services.reporting.search.queries import Filters, search
from services.reporting.search.records import person_page, unit_page
from thidua.auth import Principal
from thidua.bench.names import fold_plain
from thidua.bench.report import percentile

BASELINE = "primary-key lookup"
"""A person read by primary key: the figure the search's are set beside."""
CENTRAL = Principal("bench", "bench", frozenset({"board"}), province="*")
COMMON_SURNAMES = ("nguyen", "tran", "le", "pham")
UNIT_QUERIES = ("quan ly thi truong", "khuyen cong", "van phong")


@dataclass(frozen=True)
class Person:
    person_id: str
    name: str
    department: str
    province: str
    unit: str


Query = tuple[str, Filters, Principal, str | None]
"""Text, filters, reader, and the person the query must find (None: any hit will do)."""


def officer(department: str) -> Principal:
    return Principal("bench", "bench", frozenset({"department"}), department=department)


def full_name(p: Person, i: int) -> Query:
    return fold_plain(p.name), Filters(), CENTRAL, p.person_id


def full_name_in_department(p: Person, i: int) -> Query:
    return fold_plain(p.name), Filters(), officer(p.department), p.person_id


def surname_and_given(p: Person, i: int) -> Query:
    words = p.name.split()
    return fold_plain(f"{words[0]} {words[-1]}"), Filters(), CENTRAL, None


def given_name_in_province(p: Person, i: int) -> Query:
    return p.name.split()[-1], Filters(province=p.province), CENTRAL, None


def unit_name(p: Person, i: int) -> Query:
    return UNIT_QUERIES[i % len(UNIT_QUERIES)], Filters(), CENTRAL, None


def common_surname(p: Person, i: int) -> Query:
    return COMMON_SURNAMES[i % len(COMMON_SURNAMES)], Filters(), CENTRAL, None


KINDS: dict[str, Callable[[Person, int], Query]] = {
    "full name, no diacritics": full_name,
    "full name, department officer": full_name_in_department,
    "surname + given name": surname_and_given,
    "given name in one province": given_name_in_province,
    "unit name": unit_name,
    "common surname alone": common_surname,
}
PAGES = ("person's page", "unit's page")


def stats(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(percentile(times, 99), 2),
    }


async def measure(
    pool: Any, people: Sequence[Person], rounds: int, seed: int = 18
) -> dict[str, Any]:
    """p50 and p99 (ms) of ``rounds`` queries of each kind, of the two pages and of the
    baseline, for people drawn from ``people``. Raises if a search misses the person it was
    asked for (a fast wrong answer is no figure)."""
    sample = random.Random(seed).choices(list(people), k=rounds)

    async def timed(read: Callable[..., Awaitable[Any]], *args: Any) -> tuple[float, Any]:
        async with pool.acquire() as conn:
            started = time.perf_counter()
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                found = await read(conn, *args)
            return (time.perf_counter() - started) * 1000, found

    async def by_key(conn: Any, person_id: str) -> Any:
        return await conn.fetchrow("SELECT * FROM reporting_people WHERE person_id = $1", person_id)

    out: dict[str, Any] = {}
    times: list[float] = []
    for p in sample:
        elapsed, row = await timed(by_key, p.person_id)
        times.append(elapsed)
        if row is None:
            raise RuntimeError(f"{p.person_id} is not in the model")
    out[BASELINE] = stats(times)
    for label, make in KINDS.items():
        times = []
        for i, p in enumerate(sample):
            q, filters, who, expected = make(p, i)
            elapsed, found = await timed(search, q, filters, who)
            times.append(elapsed)
            if found.total == 0 or (
                expected is not None
                and found.total <= 20
                and expected not in {h.id for h in found.hits}
            ):
                raise RuntimeError(f"the search for {q!r} ({label}) missed {expected or 'all'}")
        out[label] = stats(times)
    for label, page, key in (
        ("person's page", person_page, "person_id"),
        ("unit's page", unit_page, "unit"),
    ):
        times = []
        for p in sample:
            target = getattr(p, key)
            elapsed, found = await timed(page, target)
            times.append(elapsed)
            if found is None:
                raise RuntimeError(f"no {label} for {target}")
        out[label] = stats(times)
    return out


def table(figures: dict[str, Any]) -> str:
    base = figures[BASELINE]
    lines = [f"  {'query':<34}{'p50 ms':>9}{'p99 ms':>9}   p99 vs {BASELINE}"]
    for label, s in figures.items():
        ratio = s["p99_ms"] / base["p99_ms"] if base["p99_ms"] else 0.0
        lines.append(f"  {label:<34}{s['p50_ms']:>9.2f}{s['p99_ms']:>9.2f}   {ratio:.1f}x")
    return "\n".join(lines)
