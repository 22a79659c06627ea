"""Who an organisation was and became (issue 16), read from the model's lifecycle rows: its
predecessors, its successor, its name on a date, and the province (or ministry) list with the
former ones beneath today's. The arithmetic is ``thidua.es.succession``'s."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date

from services.reporting import lifecycle
from services.reporting.lifecycle import Lifecycle
from services.reporting.queries.models import Former, MergedInto, OrgChoice
from thidua.auth import Place
from thidua.es.db import Conn

ORG_TABLES = {
    "department": ("reporting_departments", "department_code"),
    "province": ("reporting_provinces", "province_id"),
    "ministry": ("reporting_ministries", "ministry_id"),
}


async def lifecycle_rows(conn: Conn, kinds: Sequence[str] = lifecycle.ORG_KINDS) -> list[Lifecycle]:
    """Every lifecycle row of these kinds (a few per organisation that ever changed)."""
    rows = await conn.fetch(
        "SELECT * FROM reporting_lifecycle WHERE kind = ANY($1::text[]) ORDER BY event_id",
        list(kinds),
    )
    return [Lifecycle(*r) for r in rows]


async def org_names(conn: Conn, kind: str, codes: Sequence[str]) -> dict[str, str]:
    """The registered names of ``codes`` (those in the model)."""
    table, key = ORG_TABLES[kind]
    rows = await conn.fetch(
        f"SELECT {key}, name FROM {table} WHERE {key} = ANY($1::text[])", list(codes)
    )
    return {r[0]: r[1] for r in rows}


async def formers(conn: Conn, rows: Sequence[Lifecycle], kind: str, code: str) -> list[Former]:
    """Every organisation merged (directly or through others) into ``code``, nearest first,
    whatever the date: a report "with predecessors" includes each of them."""
    succession = lifecycle.successions(rows, kind)
    found = succession.predecessors(code)
    if not found:
        return []
    names = await org_names(conn, kind, found)
    out = []
    for former in found:
        merger = succession.merger(former)
        assert merger is not None  # a predecessor is one that merged
        name = lifecycle.name_on(rows, kind, former, names.get(former, former), merger.on)
        out.append(
            Former(
                kind=kind,
                id=former,
                name=name,
                into=merger.into,
                merged_on=merger.on,
                merged_on_label=merger.on.strftime("%d/%m/%Y"),
                legal_basis=merger.basis,
                label=lifecycle.former_label(kind, name),
            )
        )
    return out


async def merged_into(
    conn: Conn, rows: Sequence[Lifecycle], kind: str, code: str
) -> MergedInto | None:
    """The organisation ``code`` merged into, at the end of its chain of mergers (today's)."""
    succession = lifecycle.successions(rows, kind)
    merger = succession.merger(code)
    if merger is None:
        return None
    final = succession.successor(code)
    name = (await org_names(conn, kind, [final])).get(final, final)
    name = lifecycle.name_on(rows, kind, final, name, date.today())
    return MergedInto(
        kind=kind,
        id=final,
        name=name,
        on=merger.on,
        on_label=merger.on.strftime("%d/%m/%Y"),
        legal_basis=merger.basis,
        label=lifecycle.merged_label(kind, name, merger.on),
    )


async def org_list(conn: Conn, kind: str, today: date | None = None) -> list[OrgChoice]:
    """Today's provinces (or ministries), each with the former ones merged into it beneath it
    (nearest first); those dissolved and succeeded by none are listed last, labelled."""
    table, key = ORG_TABLES[kind]
    today = today or date.today()
    registered = {r[0]: r[1] for r in await conn.fetch(f"SELECT {key}, name FROM {table}")}
    rows = await lifecycle_rows(conn, [kind])
    succession = lifecycle.successions(rows, kind)

    def choice(code: str, formers: list[OrgChoice] | None = None) -> OrgChoice:
        name = lifecycle.name_on(rows, kind, code, registered.get(code, code), today)
        merger = succession.merged_on(code, today)
        dissolved = lifecycle.dissolved_on(rows, kind, code)
        label = None
        if merger is not None:
            final = succession.successor(code, today)
            final_name = lifecycle.name_on(rows, kind, final, registered.get(final, final), today)
            label = lifecycle.merged_label(kind, final_name, merger.on)
        elif dissolved is not None and dissolved <= today:
            label = f"đã giải thể từ ngày {dissolved:%d/%m/%Y}"
        return OrgChoice(
            id=code,
            name=name,
            current=label is None,
            note=label,
            successor_id=succession.successor(code, today) if merger else None,
            formers=formers or [],
        )

    out: list[OrgChoice] = []
    ended: list[OrgChoice] = []
    for code in sorted(registered, key=lambda c: (registered[c], c)):
        if succession.merged_on(code, today) is not None:
            continue  # beneath its successor
        gone = lifecycle.dissolved_on(rows, kind, code)
        former = [choice(p) for p in succession.predecessors(code, today)]
        item = choice(code, former)
        (ended if gone is not None and gone <= today else out).append(item)
    return out + ended


async def successor_place(conn: Conn, place: Place) -> Place:
    """``place`` with its department, province and ministry each replaced by today's successor
    (itself if it never merged): the successor's officials read their predecessors' reports."""
    rows = await lifecycle_rows(conn)
    if not any(r.change == "merged" for r in rows):
        return place
    later = {kind: lifecycle.successions(rows, kind) for kind in lifecycle.ORG_KINDS}

    def final(kind: str, code: str | None) -> str | None:
        return later[kind].successor(code) if code is not None else None

    return dataclasses.replace(
        place,
        department=final("department", place.department),
        province=final("province", place.province),
        ministry=final("ministry", place.ministry),
    )
