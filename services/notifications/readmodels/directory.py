"""Read copies of the directory (organisations, departments, units, people, contacts), kept from
registration's facts, and the lookups decisions ask of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contracts import registration as rg
from contracts.base import EventData
from services.notifications import rules
from services.notifications.readmodels.fold import Patches, write
from thidua.es.db import Conn
from thidua.es.decider import Lookup

UNITS = "units"
"""Department code → its active units (as :class:`rules.Org`), by id."""
ISSUER = "issuer"
"""Department code → :class:`rules.Issuer` (the department, its province and ministry)."""
KNOWN = "known"
"""Department code → every organisation a plan's "Nơi nhận" may name (and its units)."""
NAME = "name"
"""(kind, id) → the directory's name, or None."""
REACHABLE = "reachable"
"""(kind, id) → True when the organisation has a contact (an email or a webhook), else None."""


class DirectoryChanges:
    """One batch's directory facts, folded per key."""

    KEPT: tuple[type[EventData], ...] = (
        rg.MinistryRegistered,
        rg.ProvinceRegistered,
        rg.DepartmentRegistered,
        rg.UnitEstablished,
        rg.UnitRenamed,
        rg.UnitMerged,
        rg.UnitDissolved,
        rg.PersonJoined,
        rg.PersonTransferred,
        rg.PersonLeft,
        rg.OrganisationContactSet,
    )

    def __init__(self) -> None:
        self.orgs: dict[tuple[str, str], str] = {}
        self.departments: dict[str, rg.DepartmentRegistered] = {}
        self.units = Patches()
        self.people = Patches()
        self.contacts: dict[tuple[str, str], tuple[str | None, str | None, bool]] = {}

    def add(self, p: EventData) -> None:
        match p:
            case rg.MinistryRegistered():
                self.orgs[("ministry", p.ministry_id)] = p.name
            case rg.ProvinceRegistered():
                self.orgs[("province", p.province_id)] = p.name
            case rg.DepartmentRegistered():
                self.departments[p.department_code] = p
                self.orgs[("department", p.department_code)] = p.name
            case rg.UnitEstablished():
                self.units.create(p.unit_id, department_code=p.department_code, name=p.name)
            case rg.UnitRenamed():
                self.units.set(p.unit_id, name=p.name)
            case rg.UnitMerged() | rg.UnitDissolved():
                self.units.set(p.unit_id, active=False)
            case rg.PersonJoined():
                self.people.create(
                    p.person_id,
                    department_code=p.department_code,
                    unit_id=p.unit_id,
                    full_name=p.full_name,
                    active=True,
                )
            case rg.PersonTransferred():
                self.people.set(p.person_id, unit_id=p.to_unit_id)
            case rg.PersonLeft():
                self.people.set(p.person_id, active=False)
            case rg.OrganisationContactSet():
                webhook = str(p.webhook_url) if p.webhook_url else None
                digest = bool(p.mail_digest)
                self.contacts[(p.org_kind.value, p.org_id)] = (p.email, webhook, digest)

    async def write(self, conn: Conn) -> None:
        await write(
            conn,
            """INSERT INTO organisations SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
               ON CONFLICT (org_kind, org_id) DO UPDATE SET name = excluded.name""",
            [(kind, org_id, name) for (kind, org_id), name in self.orgs.items()],
        )
        await write(
            conn,
            """INSERT INTO departments
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
               ON CONFLICT (department_code) DO UPDATE SET name = excluded.name,
                   province_id = excluded.province_id, ministry_id = excluded.ministry_id""",
            [
                (d.department_code, d.name, d.province_id, d.ministry_id)
                for d in self.departments.values()
            ],
        )
        await write(
            conn,
            """INSERT INTO units (unit_id, department_code, name)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
               ON CONFLICT (unit_id) DO UPDATE SET name = excluded.name,
                   department_code = excluded.department_code""",
            self.units.inserts("department_code", "name"),
        )
        await write(
            conn,
            """UPDATE units u SET name = coalesce(c.name, u.name),
                   active = coalesce(c.active, u.active)
               FROM unnest($1::text[], $2::text[], $3::boolean[]) AS c(unit_id, name, active)
               WHERE u.unit_id = c.unit_id""",
            self.units.updates("name", "active"),
        )
        await write(
            conn,
            """INSERT INTO people
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[])
               ON CONFLICT (person_id) DO UPDATE SET department_code = excluded.department_code,
                   unit_id = excluded.unit_id, full_name = excluded.full_name,
                   active = excluded.active""",
            self.people.inserts("department_code", "unit_id", "full_name", "active"),
        )
        await write(
            conn,
            """UPDATE people p SET unit_id = coalesce(c.unit_id, p.unit_id),
                   active = coalesce(c.active, p.active)
               FROM unnest($1::text[], $2::text[], $3::boolean[]) AS c(person_id, unit_id, active)
               WHERE p.person_id = c.person_id""",
            self.people.updates("unit_id", "active"),
        )
        await write(
            conn,
            """INSERT INTO contacts (org_kind, org_id, email, webhook_url, mail_digest)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[])
               ON CONFLICT (org_kind, org_id)
               DO UPDATE SET email = excluded.email, webhook_url = excluded.webhook_url,
                   mail_digest = excluded.mail_digest""",
            [
                (kind, org_id, email, hook, digest)
                for (kind, org_id), (email, hook, digest) in self.contacts.items()
            ],
        )


# --- lookups ---------------------------------------------------------------------------------


async def units_of(conn: Conn, departments: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT department_code, unit_id, name FROM units
           WHERE department_code = ANY($1::text[]) AND active ORDER BY unit_id""",
        departments,
    )
    found: dict[str, list[rules.Org]] = {d: [] for d in departments}
    for r in rows:
        found[r["department_code"]].append(rules.Org("unit", r["unit_id"], r["name"]))
    return {d: tuple(units) for d, units in found.items()}


async def issuers(conn: Conn, departments: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT d.department_code, d.name, d.province_id, p.name AS province,
                  d.ministry_id, m.name AS ministry
           FROM departments d
           LEFT JOIN organisations p ON p.org_kind = 'province' AND p.org_id = d.province_id
           LEFT JOIN organisations m ON m.org_kind = 'ministry' AND m.org_id = d.ministry_id
           WHERE d.department_code = ANY($1::text[])""",
        departments,
    )
    found: dict[str, rules.Issuer] = {
        d: rules.Issuer(rules.Org("department", d, d)) for d in departments
    }
    for r in rows:
        province, ministry = r["province_id"], r["ministry_id"]
        found[r["department_code"]] = rules.Issuer(
            rules.Org("department", r["department_code"], r["name"]),
            rules.Org("province", province, r["province"] or province) if province else None,
            rules.Org("ministry", ministry, r["ministry"] or ministry) if ministry else None,
        )
    return found


async def known_orgs(conn: Conn, departments: list[Any]) -> Mapping[Any, Any]:
    orgs = tuple(
        rules.Org(r["org_kind"], r["org_id"], r["name"])
        for r in await conn.fetch("SELECT org_kind, org_id, name FROM organisations")
    )
    units = await units_of(conn, departments)
    return {d: orgs + units[d] for d in departments}


async def names(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT k.kind, k.id, coalesce(u.name, p.full_name, o.name) AS name
           FROM unnest($1::text[], $2::text[]) AS k(kind, id)
           LEFT JOIN units u ON k.kind = 'unit' AND u.unit_id = k.id
           LEFT JOIN people p ON k.kind = 'person' AND p.person_id = k.id
           LEFT JOIN organisations o ON o.org_kind = k.kind AND o.org_id = k.id""",
        [k[0] for k in keys],
        [k[1] for k in keys],
    )
    return {(r["kind"], r["id"]): r["name"] for r in rows if r["name"] is not None}


async def reachable(conn: Conn, keys: list[Any]) -> Mapping[Any, Any]:
    rows = await conn.fetch(
        """SELECT k.kind, k.id FROM unnest($1::text[], $2::text[]) AS k(kind, id)
           JOIN contacts c ON c.org_kind = k.kind AND c.org_id = k.id
           WHERE coalesce(c.email, '') <> '' OR coalesce(c.webhook_url, '') <> ''""",
        [k[0] for k in keys],
        [k[1] for k in keys],
    )
    return {(r["kind"], r["id"]): True for r in rows}


LOOKUPS: Sequence[Lookup] = (
    Lookup(UNITS, units_of),
    Lookup(ISSUER, issuers),
    Lookup(KNOWN, known_orgs),
    Lookup(NAME, names),
    Lookup(REACHABLE, reachable),
)
