"""The reporting projection: dimensions, facts with their lines, and pre-aggregated counters.

Consumes ``thidua.registration.events`` and ``thidua.awards.events`` and keeps, in one schema:

- **dimensions**: ministries, provinces, departments (→ province and ministry), units (with
  validity), people (sex, joined/left) with a dated history of unit and leader flag, campaigns
  (year, phases, deadlines, emulation targets), and the state needed to follow a nomination,
  an initiative or a registration across its events;
- **facts** (``reporting_facts``): one row per counted event (id, type, effective date, the
  ids it refers to, sign, kind-specific attributes) and its **lines**
  (``reporting_fact_lines``): what it adds to each figure of each scope, with its placement
  (reporting year, half-year, campaign, phase) and effective date;
- **counters** (``reporting_counters``): the sum of all lines per (scope kind, scope id,
  campaign, period kind, period id, figure, key), a line moving one counter per period of its
  placement (all campaigns and its own).

A batch of events (``begin_batch`` … ``end_batch``, one transaction) writes its lines with one
statement and its counter deltas, summed over the batch, with one UPSERT.

Live reads use the counters. *As of date D* sums the lines with ``effective_on <= D`` through
the index of the period kind (one scope, one period): it reads this compact table, never
Kafka nor the event stores. Partitions and topics arrive in any order (a registration
may overtake the person it names); when a dimension arrives or changes, the lines of the facts
that refer to it are recomputed (``_reattribute``), so the final model depends only on the set
of events, which is what makes a rebuild equal the live model.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import asyncpg

from contracts import awards as aw
from contracts import registration as rg
from contracts import topics as topic_map
from contracts.base import EVENT_TYPES, EventData
from contracts.common import Period, SubjectKind
from contracts.envelope import CloudEvent
from services.reporting.facts import (
    CampaignDim,
    Dims,
    Fact,
    PersonDim,
    PhaseDim,
    Placement,
    ScopedFigure,
    placement_of,
    scoped_figures,
)
from thidua.es.consumer import Incoming
from thidua.es.db import Conn

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS reporting_ministries (
    ministry_id text PRIMARY KEY, name text NOT NULL, sector_code text NOT NULL);
CREATE TABLE IF NOT EXISTS reporting_provinces (province_id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE IF NOT EXISTS reporting_departments (
    department_code text PRIMARY KEY, name text NOT NULL,
    province_id text NOT NULL, ministry_id text NOT NULL);
CREATE INDEX IF NOT EXISTS reporting_departments_province ON reporting_departments (province_id);
CREATE INDEX IF NOT EXISTS reporting_departments_ministry ON reporting_departments (ministry_id);
CREATE TABLE IF NOT EXISTS reporting_units (
    unit_id text PRIMARY KEY, department_code text NOT NULL, name text NOT NULL,
    kind text NOT NULL, parent_unit_id text, established_on date NOT NULL, ended_on date,
    headcount integer);
CREATE INDEX IF NOT EXISTS reporting_units_department ON reporting_units (department_code);
CREATE TABLE IF NOT EXISTS reporting_people (
    person_id text PRIMARY KEY, department_code text NOT NULL, full_name text NOT NULL,
    sex text NOT NULL, joined_on date NOT NULL, left_on date);
CREATE INDEX IF NOT EXISTS reporting_people_department ON reporting_people (department_code);
-- Dated changes of a person's unit and flags; a null column means "unchanged".
CREATE TABLE IF NOT EXISTS reporting_person_history (
    seq bigserial PRIMARY KEY, person_id text NOT NULL, effective_on date NOT NULL,
    unit_id text, is_leader boolean, is_direct_worker boolean);
CREATE INDEX IF NOT EXISTS reporting_person_history_person
    ON reporting_person_history (person_id, effective_on);
CREATE TABLE IF NOT EXISTS reporting_campaigns (
    campaign_id text PRIMARY KEY, department_code text NOT NULL, number text,
    title text NOT NULL, kind text NOT NULL, launching_level text NOT NULL, year integer NOT NULL,
    period_start date NOT NULL, period_end date NOT NULL, phases jsonb NOT NULL,
    emulation_targets jsonb NOT NULL, deadlines jsonb NOT NULL,
    closed_on date, cancelled boolean NOT NULL DEFAULT false);
CREATE INDEX IF NOT EXISTS reporting_campaigns_department
    ON reporting_campaigns (department_code, year);
CREATE TABLE IF NOT EXISTS reporting_registrations (
    campaign_id text NOT NULL, registrant_kind text NOT NULL, registrant_id text NOT NULL,
    event_id text NOT NULL, PRIMARY KEY (campaign_id, registrant_kind, registrant_id));
CREATE TABLE IF NOT EXISTS reporting_initiatives (
    initiative_id text PRIMARY KEY, department_code text NOT NULL, unit_id text NOT NULL,
    kind text NOT NULL, campaign_id text, submitted_on date NOT NULL);
CREATE TABLE IF NOT EXISTS reporting_nominations (
    nomination_id text PRIMARY KEY, department_code text NOT NULL, campaign_id text,
    year integer NOT NULL, title text NOT NULL, nominee_kind text NOT NULL,
    nominee_id text NOT NULL, unit_id text, status text NOT NULL, award_event_id text);
CREATE TABLE IF NOT EXISTS reporting_facts (
    event_id text PRIMARY KEY, type text NOT NULL, kind text NOT NULL,
    effective_on date NOT NULL, department_code text, unit_id text, person_id text,
    campaign_id text, year integer, sign smallint NOT NULL, attrs jsonb NOT NULL);
CREATE INDEX IF NOT EXISTS reporting_facts_department ON reporting_facts (department_code);
CREATE INDEX IF NOT EXISTS reporting_facts_person ON reporting_facts (person_id);
CREATE INDEX IF NOT EXISTS reporting_facts_campaign ON reporting_facts (campaign_id);
-- One row per fact, scope and figure; the counters' periods and campaigns follow from its
-- placement (year, half-year, campaign, phase), so as-of sums read one scope and period.
CREATE TABLE IF NOT EXISTS reporting_fact_lines (
    event_id text NOT NULL, scope_kind text NOT NULL, scope_id text NOT NULL,
    year text NOT NULL, half text NOT NULL, campaign_id text, phase text,
    figure text NOT NULL, key text NOT NULL, count integer NOT NULL, amount bigint NOT NULL,
    effective_on date NOT NULL);
CREATE INDEX IF NOT EXISTS reporting_fact_lines_event ON reporting_fact_lines (event_id);
CREATE INDEX IF NOT EXISTS reporting_fact_lines_year ON reporting_fact_lines
    (scope_kind, scope_id, year, effective_on);
CREATE INDEX IF NOT EXISTS reporting_fact_lines_half ON reporting_fact_lines
    (scope_kind, scope_id, half, effective_on);
CREATE INDEX IF NOT EXISTS reporting_fact_lines_phase ON reporting_fact_lines
    (scope_kind, scope_id, campaign_id, phase, effective_on) WHERE phase IS NOT NULL;
CREATE TABLE IF NOT EXISTS reporting_counters (
    scope_kind text NOT NULL, scope_id text NOT NULL, campaign_id text NOT NULL,
    period_kind text NOT NULL, period_id text NOT NULL, figure text NOT NULL, key text NOT NULL,
    count bigint NOT NULL, amount bigint NOT NULL,
    PRIMARY KEY (scope_kind, scope_id, period_kind, period_id, campaign_id, figure, key));
"""

TABLES = (
    "reporting_ministries",
    "reporting_provinces",
    "reporting_departments",
    "reporting_units",
    "reporting_people",
    "reporting_person_history",
    "reporting_campaigns",
    "reporting_registrations",
    "reporting_initiatives",
    "reporting_nominations",
    "reporting_facts",
    "reporting_fact_lines",
    "reporting_counters",
)

# The shape of the model's tables; a model of another format is rebuilt, not migrated.
MODEL_FORMAT = 2

DEFAULT_TOPICS = (topic_map.events("registration"), topic_map.events("awards"))


class OutdatedModel(RuntimeError):
    """The schema holds a model of another format; it must be rebuilt from the log."""


async def model_format(conn: Conn) -> int | None:
    """The format of the model in the current schema: None if there is none yet; 1 for a model
    made before formats were recorded."""
    if await conn.fetchval("SELECT to_regclass('reporting_model')") is not None:
        return int(await conn.fetchval("SELECT format FROM reporting_model"))
    if await conn.fetchval("SELECT to_regclass('reporting_counters')") is not None:
        return 1
    return None


class ReportingProjection:
    """Read models of the provincial board and the ministry (báo cáo tổng hợp)."""

    name = "reporting"

    def __init__(self, topics: Sequence[str] | None = None) -> None:
        self.topics: Sequence[str] = tuple(topics or DEFAULT_TOPICS)

    async def setup(self, conn: Conn) -> None:
        found = await model_format(conn)
        if found not in (None, MODEL_FORMAT):
            raise OutdatedModel(
                f"the reporting model in this schema has format {found}, this code needs"
                f" {MODEL_FORMAT}: rebuild it (thidua reporting rebuild)"
            )
        await conn.execute(SCHEMA_SQL)
        await conn.execute("CREATE TABLE IF NOT EXISTS reporting_model (format integer NOT NULL)")
        await conn.execute(
            "INSERT INTO reporting_model SELECT $1 WHERE NOT EXISTS (SELECT FROM reporting_model)",
            MODEL_FORMAT,
        )

    async def reset(self, conn: Conn) -> None:
        await conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY")

    async def begin_batch(self, conn: Conn) -> None:
        _BATCH.set(_Batch())
        await _plan_for_current_sizes(conn)

    async def end_batch(self, conn: Conn) -> None:
        batch = _BATCH.get()
        _BATCH.set(None)
        if batch is not None:
            await _write(conn, batch)

    async def apply(self, conn: Conn, event: CloudEvent, incoming: Incoming) -> None:
        if event.type not in EVENT_TYPES:
            return  # another owner's newer type: nothing reporting counts yet
        payload = event.payload()
        handler = _HANDLERS.get(type(payload))
        if handler is not None:
            await handler(conn, event, payload)


# --- dimensions ------------------------------------------------------------------------------


async def _ministry(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.MinistryRegistered)
    await conn.execute(
        """INSERT INTO reporting_ministries VALUES ($1, $2, $3) ON CONFLICT (ministry_id)
           DO UPDATE SET name = excluded.name, sector_code = excluded.sector_code""",
        p.ministry_id,
        p.name,
        p.sector_code,
    )


async def _province(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.ProvinceRegistered)
    await conn.execute(
        """INSERT INTO reporting_provinces VALUES ($1, $2)
           ON CONFLICT (province_id) DO UPDATE SET name = excluded.name""",
        p.province_id,
        p.name,
    )


async def _department(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.DepartmentRegistered)
    await conn.execute(
        """INSERT INTO reporting_departments VALUES ($1, $2, $3, $4)
           ON CONFLICT (department_code) DO UPDATE SET name = excluded.name,
               province_id = excluded.province_id, ministry_id = excluded.ministry_id""",
        p.department_code,
        p.name,
        p.province_id,
        p.ministry_id,
    )
    _forget("department", p.department_code)
    await _reattribute(conn, "department_code", p.department_code)


async def _unit(conn: Conn, event: CloudEvent, p: EventData) -> None:
    if isinstance(p, rg.UnitEstablished):
        await conn.execute(
            """INSERT INTO reporting_units VALUES ($1, $2, $3, $4, $5, $6, NULL, $7)
               ON CONFLICT (unit_id) DO NOTHING""",
            p.unit_id,
            p.department_code,
            p.name,
            p.kind.value,
            p.parent_unit_id,
            p.established_on,
            p.headcount,
        )
    elif isinstance(p, rg.UnitRenamed):
        await conn.execute(
            "UPDATE reporting_units SET name = $2 WHERE unit_id = $1", p.unit_id, p.name
        )
    elif isinstance(p, rg.UnitMerged | rg.UnitDissolved):
        await conn.execute(
            "UPDATE reporting_units SET ended_on = $2 WHERE unit_id = $1",
            p.unit_id,
            p.effective_on,
        )


async def _person(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.PersonEvent)
    history = """INSERT INTO reporting_person_history
                     (person_id, effective_on, unit_id, is_leader, is_direct_worker)
                 VALUES ($1, $2, $3, $4, $5)"""
    if isinstance(p, rg.PersonJoined):
        await conn.execute(
            """INSERT INTO reporting_people VALUES ($1, $2, $3, $4, $5, NULL)
               ON CONFLICT (person_id) DO UPDATE SET department_code = excluded.department_code,
                   full_name = excluded.full_name, sex = excluded.sex,
                   joined_on = excluded.joined_on, left_on = NULL""",
            p.person_id,
            p.department_code,
            p.full_name,
            p.sex.value,
            p.joined_on,
        )
        await conn.execute(
            history, p.person_id, p.joined_on, p.unit_id, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonTransferred):
        await conn.execute(history, p.person_id, p.effective_on, p.to_unit_id, None, None)
    elif isinstance(p, rg.PersonRoleChanged):
        await conn.execute(
            history, p.person_id, p.effective_on, None, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonLeft):
        await conn.execute(
            "UPDATE reporting_people SET left_on = $2 WHERE person_id = $1", p.person_id, p.left_on
        )
        return
    await _reattribute(conn, "person_id", p.person_id)


def _duration(period: Period) -> str:
    return "up_to_1_year" if (period.end - period.start).days < 366 else "over_1_year"


async def _campaign(conn: Conn, event: CloudEvent, p: EventData) -> None:
    if isinstance(p, rg.CampaignLaunched):
        await conn.execute(
            """INSERT INTO reporting_campaigns VALUES
                   ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, false)
               ON CONFLICT (campaign_id) DO NOTHING""",
            p.campaign_id,
            p.department_code,
            p.number,
            p.title,
            p.kind.value,
            p.launching_level.value,
            p.year,
            p.period.start,
            p.period.end,
            _json([ph.model_dump(mode="json") for ph in p.phases]),
            _json([t.model_dump(mode="json") for t in p.emulation_targets]),
            _json(p.deadlines.model_dump(mode="json")),
        )
        await _record(
            conn,
            event,
            Fact(
                event.id,
                "campaign_launched",
                p.issued_on or p.period.start,
                department_code=p.department_code,
                campaign_id=p.campaign_id,
                year=p.year,
                attrs={
                    "launching_level": p.launching_level.value,
                    "campaign_kind": p.kind.value,
                    "duration": _duration(p.period),
                },
            ),
        )
    elif isinstance(p, rg.CampaignAmended):
        changes: dict[str, Any] = {}
        if p.title is not None:
            changes["title"] = p.title
        if p.period is not None:
            changes["period_start"] = p.period.start
            changes["period_end"] = p.period.end
        if p.phases is not None:
            changes["phases"] = _json([ph.model_dump(mode="json") for ph in p.phases])
        if p.emulation_targets is not None:
            changes["emulation_targets"] = _json(
                [t.model_dump(mode="json") for t in p.emulation_targets]
            )
        if p.deadlines is not None:
            changes["deadlines"] = _json(p.deadlines.model_dump(mode="json"))
        if changes:
            sets = ", ".join(f"{column} = ${n}" for n, column in enumerate(changes, start=2))
            await conn.execute(
                f"UPDATE reporting_campaigns SET {sets} WHERE campaign_id = $1",
                p.campaign_id,
                *changes.values(),
            )
    elif isinstance(p, rg.CampaignClosed):
        await conn.execute(
            """UPDATE reporting_campaigns SET closed_on = $2, cancelled = $3
               WHERE campaign_id = $1""",
            p.campaign_id,
            p.closed_on,
            p.cancelled,
        )
        return
    assert isinstance(p, rg.CampaignEvent)
    _forget("campaign", p.campaign_id)
    await _reattribute(conn, "campaign_id", p.campaign_id)


# --- registration facts ----------------------------------------------------------------------


async def _registration(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.UnitRegistered | rg.IndividualRegistered)
    individual = isinstance(p, rg.IndividualRegistered)
    registrant = p.person_id if isinstance(p, rg.IndividualRegistered) else p.unit_id
    kind = SubjectKind.INDIVIDUAL if individual else SubjectKind.COLLECTIVE
    inserted = await conn.fetchval(
        """INSERT INTO reporting_registrations VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING RETURNING event_id""",
        p.campaign_id,
        kind.value,
        registrant,
        event.id,
    )
    if inserted is None:
        return  # the owner re-registered an identical fact: counted once
    await _record(
        conn,
        event,
        Fact(
            event.id,
            "individual_registration" if individual else "unit_registration",
            p.registered_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            person_id=registrant if individual else None,
            campaign_id=p.campaign_id,
            attrs={"registered_on": p.registered_on.isoformat(), "as_of": str(p.registered_on)},
        ),
    )


async def _withdrawal(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.RegistrationWithdrawn)
    registration = await conn.fetchval(
        """DELETE FROM reporting_registrations
           WHERE campaign_id = $1 AND registrant_kind = $2 AND registrant_id = $3
           RETURNING event_id""",
        p.campaign_id,
        p.registrant_kind.value,
        p.registrant_id,
    )
    original = await _fact(conn, registration) if registration else None
    if original is not None:
        await _record(conn, event, _negated(original, event.id, p.withdrawn_on))


# --- initiatives -----------------------------------------------------------------------------


async def _initiative(conn: Conn, event: CloudEvent, p: EventData) -> None:
    extra: dict[str, str] = {}
    if isinstance(p, rg.InitiativeSubmitted):
        await conn.execute(
            """INSERT INTO reporting_initiatives VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (initiative_id) DO NOTHING""",
            p.initiative_id,
            p.department_code,
            p.unit_id,
            p.kind.value,
            p.campaign_id,
            p.submitted_on,
        )
        kind, effective = "initiative_submitted", p.submitted_on
    elif isinstance(p, rg.InitiativeRecognized):
        kind, effective = "initiative_recognized", p.recognized_on
        extra = {"level": p.level.value}
    else:
        assert isinstance(p, rg.InitiativeRejected)
        kind, effective = "initiative_rejected", p.rejected_on
    row = await conn.fetchrow(
        "SELECT * FROM reporting_initiatives WHERE initiative_id = $1", p.initiative_id
    )
    if row is None:
        return  # the owner decides an initiative only after its submission (same stream)
    await _record(
        conn,
        event,
        Fact(
            event.id,
            kind,
            effective,
            department_code=row["department_code"],
            unit_id=row["unit_id"],
            campaign_id=row["campaign_id"],
            attrs={"initiative_kind": row["kind"], **extra},
        ),
    )


async def _discipline(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, rg.DisciplineImposed)
    await _record(
        conn,
        event,
        Fact(
            event.id,
            "discipline",
            p.imposed_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            person_id=p.person_id,
            attrs={"level": p.level.value},
        ),
    )


# --- nominations and awards ------------------------------------------------------------------


async def _nomination(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, aw.NominationEvent)
    if isinstance(p, aw.NominationSubmitted):
        previous = await conn.fetchval(
            "SELECT status FROM reporting_nominations WHERE nomination_id = $1", p.nomination_id
        )
        await conn.execute(
            """INSERT INTO reporting_nominations
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', NULL)
               ON CONFLICT (nomination_id) DO UPDATE SET status = 'submitted'""",
            p.nomination_id,
            p.department_code,
            p.campaign_id,
            p.year,
            p.title.value,
            p.nominee_kind.value,
            p.nominee_id,
            p.unit_id,
        )
        await _record(
            conn,
            event,
            Fact(
                event.id,
                "dossier_received",
                p.received_on,
                department_code=p.department_code,
                unit_id=p.unit_id,
                campaign_id=p.campaign_id,
                year=p.year,
                attrs={
                    "title": p.title.value,
                    "received_on": p.received_on.isoformat(),
                    "late_override": p.late_override is not None,
                    "status_to": "submitted",
                    "status_from": previous,
                },
            ),
        )
        return
    row = await conn.fetchrow(
        "SELECT * FROM reporting_nominations WHERE nomination_id = $1", p.nomination_id
    )
    if row is None:
        return  # decisions follow the submission in the nomination's own stream
    base = {"title": row["title"], "status_from": row["status"]}
    kind, status, effective = "nomination_status", "", date.min
    attrs: dict[str, Any] = {}
    person_id: str | None = None
    if isinstance(p, aw.NominationReturned):
        kind, status, effective = "dossier_returned", "returned", p.returned_on
        attrs = {"late": p.late, "reasons": [r.code for r in p.reasons]}
    elif isinstance(p, aw.NominationSuspended):
        status, effective = "suspended", p.suspended_on
    elif isinstance(p, aw.NominationResumed):
        status, effective = "submitted", p.resumed_on
    elif isinstance(p, aw.NominationRejected):
        status, effective = "rejected", p.rejected_on
    elif isinstance(p, aw.NominationApproved):
        kind, status, effective = "award", "approved", p.decision_date
        if p.nominee_kind is SubjectKind.INDIVIDUAL:
            person_id = p.nominee_id
        attrs = {
            "nominee_kind": p.nominee_kind.value,
            "method": p.method.value,
            "authority": p.authority.value,
            "cash_vnd": p.cash_vnd,
            "decision_number": p.decision_number,
            "as_of": p.decision_date.isoformat(),
        }
    elif isinstance(p, aw.AwardRevoked):
        award = await _fact(conn, row["award_event_id"]) if row["award_event_id"] else None
        if award is None or row["status"] != "approved":
            return
        await conn.execute(
            "UPDATE reporting_nominations SET status = 'revoked' WHERE nomination_id = $1",
            p.nomination_id,
        )
        revoked = _negated(award, event.id, p.revoked_on)
        revoked.attrs.update(status_to="revoked", status_from="approved")
        await _record(conn, event, revoked)
        return
    else:
        return
    await conn.execute(
        """UPDATE reporting_nominations SET status = $2,
               award_event_id = CASE WHEN $2 = 'approved' THEN $3 ELSE award_event_id END
           WHERE nomination_id = $1""",
        p.nomination_id,
        status,
        event.id,
    )
    await _record(
        conn,
        event,
        Fact(
            event.id,
            kind,
            effective,
            department_code=row["department_code"],
            unit_id=row["unit_id"],
            person_id=person_id,
            campaign_id=row["campaign_id"],
            year=row["year"],
            attrs={**base, **attrs, "status_to": status},
        ),
    )


async def _exemplary(conn: Conn, event: CloudEvent, p: EventData) -> None:
    assert isinstance(p, aw.ExemplaryModelChosen)
    await _record(
        conn,
        event,
        Fact(
            event.id,
            "exemplary_model",
            p.chosen_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            campaign_id=p.campaign_id,
            year=p.year,
            attrs={"subject_kind": p.subject_kind.value},
        ),
    )


_Handler = Any
_HANDLERS: dict[type[EventData], _Handler] = {
    rg.MinistryRegistered: _ministry,
    rg.ProvinceRegistered: _province,
    rg.DepartmentRegistered: _department,
    rg.UnitEstablished: _unit,
    rg.UnitRenamed: _unit,
    rg.UnitMerged: _unit,
    rg.UnitDissolved: _unit,
    rg.PersonJoined: _person,
    rg.PersonTransferred: _person,
    rg.PersonRoleChanged: _person,
    rg.PersonLeft: _person,
    rg.CampaignLaunched: _campaign,
    rg.CampaignAmended: _campaign,
    rg.CampaignClosed: _campaign,
    rg.UnitRegistered: _registration,
    rg.IndividualRegistered: _registration,
    rg.RegistrationWithdrawn: _withdrawal,
    rg.InitiativeSubmitted: _initiative,
    rg.InitiativeRecognized: _initiative,
    rg.InitiativeRejected: _initiative,
    rg.DisciplineImposed: _discipline,
    aw.NominationSubmitted: _nomination,
    aw.NominationReturned: _nomination,
    aw.NominationSuspended: _nomination,
    aw.NominationResumed: _nomination,
    aw.NominationRejected: _nomination,
    aw.NominationApproved: _nomination,
    aw.AwardRevoked: _nomination,
    aw.ExemplaryModelChosen: _exemplary,
}


# --- facts, lines and counters ---------------------------------------------------------------


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _negated(original: Fact, event_id: str, effective_on: date) -> Fact:
    """The reversal of a counted fact (withdrawal, revocation), dated when it took effect."""
    return Fact(
        event_id,
        original.kind,
        effective_on,
        department_code=original.department_code,
        unit_id=original.unit_id,
        person_id=original.person_id,
        campaign_id=original.campaign_id,
        year=original.year,
        sign=-original.sign,
        attrs={k: v for k, v in original.attrs.items() if k not in ("status_to", "status_from")},
    )


def _fact_of(row: asyncpg.Record) -> Fact:
    return Fact(
        row["event_id"],
        row["kind"],
        row["effective_on"],
        department_code=row["department_code"],
        unit_id=row["unit_id"],
        person_id=row["person_id"],
        campaign_id=row["campaign_id"],
        year=row["year"],
        sign=row["sign"],
        attrs=json.loads(row["attrs"]),
    )


async def _fact(conn: Conn, event_id: str) -> Fact | None:
    row = await conn.fetchrow("SELECT * FROM reporting_facts WHERE event_id = $1", event_id)
    return _fact_of(row) if row else None


async def _record(conn: Conn, event: CloudEvent, fact: Fact) -> None:
    inserted = await conn.fetchval(
        """INSERT INTO reporting_facts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (event_id) DO NOTHING RETURNING event_id""",
        fact.event_id,
        event.type,
        fact.kind,
        fact.effective_on,
        fact.department_code,
        fact.unit_id,
        fact.person_id,
        fact.campaign_id,
        fact.year,
        fact.sign,
        _json(fact.attrs),
    )
    if inserted is not None:
        await _attribute(conn, [fact], fresh=True)


async def _reattribute(conn: Conn, column: str, value: str) -> None:
    assert column in ("department_code", "person_id", "campaign_id")
    if _BATCH.get() is None:
        await _plan_for_current_sizes(conn)
    rows = await conn.fetch(f"SELECT * FROM reporting_facts WHERE {column} = $1", value)
    if rows:
        await _attribute(conn, [_fact_of(r) for r in rows])


async def _dims(conn: Conn, fact: Fact) -> Dims:
    batch = _BATCH.get()
    cache = batch.dims if batch is not None else {}
    province_id = ministry_id = None
    if fact.department_code:
        key = ("department", fact.department_code)
        if key not in cache:
            cache[key] = await conn.fetchrow(
                """SELECT province_id, ministry_id FROM reporting_departments
                   WHERE department_code = $1""",
                fact.department_code,
            )
        row = cache[key]
        if row:
            province_id, ministry_id = row["province_id"], row["ministry_id"]
    campaign = None
    if fact.campaign_id:
        key = ("campaign", fact.campaign_id)
        if key not in cache:
            row = await conn.fetchrow(
                "SELECT * FROM reporting_campaigns WHERE campaign_id = $1", fact.campaign_id
            )
            cache[key] = campaign_dim(row) if row else None
        campaign = cache[key]
    person = None
    if fact.person_id:
        on = date.fromisoformat(fact.attrs.get("as_of") or fact.effective_on.isoformat())
        row = await conn.fetchrow(
            """SELECT p.sex, (SELECT h.is_leader FROM reporting_person_history h
                              WHERE h.person_id = p.person_id AND h.is_leader IS NOT NULL
                              ORDER BY (h.effective_on <= $2) DESC,
                                       CASE WHEN h.effective_on <= $2 THEN h.effective_on END
                                           DESC NULLS LAST,
                                       h.effective_on, h.seq DESC
                              LIMIT 1) AS is_leader
               FROM reporting_people p WHERE p.person_id = $1""",
            fact.person_id,
            on,
        )
        if row:
            person = PersonDim(row["sex"], bool(row["is_leader"]))
    return Dims(province_id, ministry_id, campaign, person)


def campaign_dim(row: asyncpg.Record) -> CampaignDim:
    deadlines = json.loads(row["deadlines"])
    return CampaignDim(
        row["campaign_id"],
        row["year"],
        tuple(
            PhaseDim(ph["number"], date.fromisoformat(ph["start"]), date.fromisoformat(ph["end"]))
            for ph in json.loads(row["phases"])
        ),
        date.fromisoformat(deadlines["registration"]) if deadlines.get("registration") else None,
        date.fromisoformat(deadlines["dossier"]) if deadlines.get("dossier") else None,
        row["period_end"],
    )


async def _plan_for_current_sizes(conn: Conn) -> None:
    """Plan this transaction's statements for the tables as they are now (once per transaction;
    a batch does it at its start). A statement prepared while a model was small (just after a
    rebuild's TRUNCATE) keeps a generic plan that scans the whole table; during a rebuild that
    made every lookup by event id a sequential scan."""
    await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")


LINE_COLUMNS = (
    "event_id text[]",
    "scope_kind text[]",
    "scope_id text[]",
    "year text[]",
    "half text[]",
    "campaign_id text[]",
    "phase text[]",
    "figure text[]",
    "key text[]",
    "count integer[]",
    "amount bigint[]",
    "effective_on date[]",
)
COUNTER_COLUMNS = (
    "scope_kind text[]",
    "scope_id text[]",
    "campaign_id text[]",
    "period_kind text[]",
    "period_id text[]",
    "figure text[]",
    "key text[]",
    "count bigint[]",
    "amount bigint[]",
)
LINE_KEY = "scope_kind, scope_id, year, half, campaign_id, phase, figure, key"
COUNTER_KEY = "scope_kind, scope_id, campaign_id, period_kind, period_id, figure, key"


def _unnest(types: Sequence[str]) -> str:
    return ", ".join(f"${n}::{t.split()[1]}" for n, t in enumerate(types, start=1))


LineRow = tuple[Any, ...]
"""A row of ``reporting_fact_lines``, in the order of ``LINE_COLUMNS``."""


def _line_row(fact: Fact, placement: Placement, sf: ScopedFigure) -> LineRow:
    return (
        fact.event_id,
        sf.scope_kind,
        sf.scope_id,
        placement.year,
        placement.half,
        placement.campaign_id,
        placement.phase,
        sf.figure,
        sf.key,
        sf.count,
        sf.amount,
        fact.effective_on,
    )


def _add(deltas: dict[tuple[str, ...], list[int]], row: Sequence[Any], sign: int) -> None:
    """Add (sign 1) or take back (-1) a line's deltas on each counter it moves."""
    scope_kind, scope_id, year, half, campaign_id, phase, figure, key, count, amount = row[:10]
    for camp, pkind, pid in Placement(year, half, campaign_id, phase).periods():
        delta = deltas[(scope_kind, scope_id, camp, pkind, pid, figure, key)]
        delta[0] += sign * count
        delta[1] += sign * amount


@dataclass
class _Batch:
    """What the events of one batch left to write: each fact's new lines, the counter deltas
    summed over the batch (many events move the same province counters), and the dimensions
    looked up so far. Written once, by ``_write``, at the end of the batch."""

    lines: dict[str, list[LineRow]] = field(default_factory=dict)
    deltas: dict[tuple[str, ...], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0, 0])
    )
    dims: dict[tuple[str, str], Any] = field(default_factory=dict)


_BATCH: ContextVar[_Batch | None] = ContextVar("reporting_batch", default=None)


def _forget(kind: str, key: str) -> None:
    """A dimension changed: the batch must look it up again."""
    batch = _BATCH.get()
    if batch is not None:
        batch.dims.pop((kind, key), None)


async def _attribute(conn: Conn, facts: Iterable[Fact], *, fresh: bool = False) -> None:
    """(Re)compute the lines of ``facts``: withdraw their previous lines from the counters and
    add the new ones. ``fresh``: facts just recorded, with no lines yet. Inside a batch the new
    lines and deltas wait for the batch's end; outside one they are written at once."""
    facts = list(facts)
    current = _BATCH.get()
    batch = current if current is not None else _Batch()
    if not fresh:
        for f in facts:
            for row in batch.lines.pop(f.event_id, []):
                _add(batch.deltas, row[1:], -1)
        old = await conn.fetch(
            f"""DELETE FROM reporting_fact_lines WHERE event_id = ANY($1::text[])
                RETURNING {LINE_KEY}, count, amount""",
            [f.event_id for f in facts],
        )
        for r in old:
            _add(batch.deltas, tuple(r), -1)
    for fact in facts:
        dims = await _dims(conn, fact)
        placement = placement_of(fact, dims)
        rows = [_line_row(fact, placement, sf) for sf in scoped_figures(fact, dims)]
        if rows:
            batch.lines[fact.event_id] = rows
        for row in rows:
            _add(batch.deltas, row[1:], 1)
    if current is None:
        await _write(conn, batch)


async def _write(conn: Conn, batch: _Batch) -> None:
    """Insert the batch's lines with one statement and apply its counter deltas with one
    UPSERT (columns as arrays), whatever their number."""
    rows = [row for rows in batch.lines.values() for row in rows]
    if rows:
        await conn.execute(
            f"""INSERT INTO reporting_fact_lines
                   (event_id, {LINE_KEY}, count, amount, effective_on)
                SELECT * FROM unnest({_unnest(LINE_COLUMNS)})""",
            *(list(column) for column in zip(*rows, strict=True)),
        )
    changed = [(*k, v[0], v[1]) for k, v in sorted(batch.deltas.items()) if v != [0, 0]]
    if not changed:
        return
    zeros = await conn.fetch(
        f"""WITH upserted AS (
                INSERT INTO reporting_counters ({COUNTER_KEY}, count, amount)
                SELECT * FROM unnest({_unnest(COUNTER_COLUMNS)})
                ON CONFLICT (scope_kind, scope_id, period_kind, period_id, campaign_id, figure, key)
                DO UPDATE SET count = reporting_counters.count + excluded.count,
                              amount = reporting_counters.amount + excluded.amount
                RETURNING {COUNTER_KEY}, count, amount)
            SELECT {COUNTER_KEY} FROM upserted WHERE count = 0 AND amount = 0""",
        *(list(column) for column in zip(*changed, strict=True)),
    )
    if zeros:
        # A counter back at zero is removed, so a model's rows do not depend on the order in
        # which facts and dimensions arrived.
        if _BATCH.get() is None:
            await _plan_for_current_sizes(conn)
        await conn.execute(
            f"""DELETE FROM reporting_counters c
                USING unnest({_unnest(COUNTER_COLUMNS[:7])}) AS z({COUNTER_KEY})
                WHERE (c.scope_kind, c.scope_id, c.campaign_id, c.period_kind, c.period_id,
                       c.figure, c.key)
                    = (z.scope_kind, z.scope_id, z.campaign_id, z.period_kind, z.period_id,
                       z.figure, z.key)
                  AND c.count = 0 AND c.amount = 0""",
            *(list(column) for column in zip(*[tuple(z) for z in zeros], strict=True)),
        )
