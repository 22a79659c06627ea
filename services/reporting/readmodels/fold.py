"""Folding one event into the batch's state (pure, no I/O): dimensions, the state that follows
registrations, initiatives and nominations, and the facts reporting counts.

One function per kind of event, in a table by payload type (``HANDLERS``). A dimension that
arrives or changes is marked dirty: the lines of the facts naming it are recomputed at the end
of the batch, so the model depends only on the set of events, not on their arrival order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.common import Period, SubjectKind
from services.reporting.facts import Fact
from services.reporting.readmodels.state import (
    Campaign,
    Department,
    Initiative,
    Ministry,
    ModelState,
    Nomination,
    Person,
    PersonChange,
    Province,
    Registration,
    Unit,
)

Handler = Callable[[ModelState, str, str, Any], None]
"""(state, event id, event type, payload)."""


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- dimensions ------------------------------------------------------------------------------


def _ministry(s: ModelState, event_id: str, type_: str, p: rg.MinistryRegistered) -> None:
    s.ministries.put(p.ministry_id, Ministry(p.ministry_id, p.name, p.sector_code))


def _province(s: ModelState, event_id: str, type_: str, p: rg.ProvinceRegistered) -> None:
    s.provinces.put(p.province_id, Province(p.province_id, p.name))


def _department(s: ModelState, event_id: str, type_: str, p: rg.DepartmentRegistered) -> None:
    row = Department(p.department_code, p.name, p.province_id, p.ministry_id)
    s.departments.put(p.department_code, row)
    s.dirty_departments.add(p.department_code)


def _unit(s: ModelState, event_id: str, type_: str, p: rg.UnitEvent) -> None:
    current = s.units.rows.get(p.unit_id)
    if isinstance(p, rg.UnitEstablished):
        if current is None:
            s.units.put(
                p.unit_id,
                Unit(
                    p.unit_id,
                    p.department_code,
                    p.name,
                    p.kind.value,
                    p.parent_unit_id,
                    p.established_on,
                    None,
                    p.headcount,
                ),
            )
    elif current is None:
        return
    elif isinstance(p, rg.UnitRenamed):
        s.units.put(p.unit_id, current._replace(name=p.name))
    elif isinstance(p, rg.UnitMerged | rg.UnitDissolved):
        s.units.put(p.unit_id, current._replace(ended_on=p.effective_on))


def _person(s: ModelState, event_id: str, type_: str, p: rg.PersonEvent) -> None:
    seq = s.next_seq(p.person_id)
    if isinstance(p, rg.PersonJoined):
        row = Person(p.person_id, p.department_code, p.full_name, p.sex.value, p.joined_on, None)
        s.people.put(p.person_id, row)
        change = PersonChange(
            p.person_id, seq, p.joined_on, p.unit_id, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonTransferred):
        change = PersonChange(p.person_id, seq, p.effective_on, p.to_unit_id, None, None)
    elif isinstance(p, rg.PersonRoleChanged):
        change = PersonChange(
            p.person_id, seq, p.effective_on, None, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonLeft):
        current = s.people.rows.get(p.person_id)
        if current is not None:
            s.people.put(p.person_id, current._replace(left_on=p.left_on))
        return
    else:
        return
    s.add_history(change)
    s.dirty_people.add(p.person_id)


def _duration(period: Period) -> str:
    return "up_to_1_year" if (period.end - period.start).days < 366 else "over_1_year"


def _campaign(s: ModelState, event_id: str, type_: str, p: rg.CampaignEvent) -> None:
    current = s.campaigns.rows.get(p.campaign_id)
    if isinstance(p, rg.CampaignLaunched):
        if current is None:
            s.campaigns.put(
                p.campaign_id,
                Campaign(
                    p.campaign_id,
                    p.department_code,
                    p.number,
                    p.title,
                    p.kind.value,
                    p.launching_level.value,
                    p.year,
                    p.period.start,
                    p.period.end,
                    to_json([ph.model_dump(mode="json") for ph in p.phases]),
                    to_json([t.model_dump(mode="json") for t in p.emulation_targets]),
                    to_json(p.deadlines.model_dump(mode="json")),
                    None,
                    False,
                ),
            )
        s.record(
            type_,
            Fact(
                event_id,
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
    elif current is None:
        return
    elif isinstance(p, rg.CampaignAmended):
        changes: dict[str, Any] = {}
        if p.title is not None:
            changes["title"] = p.title
        if p.period is not None:
            changes["period_start"] = p.period.start
            changes["period_end"] = p.period.end
        if p.phases is not None:
            changes["phases"] = to_json([ph.model_dump(mode="json") for ph in p.phases])
        if p.emulation_targets is not None:
            changes["emulation_targets"] = to_json(
                [t.model_dump(mode="json") for t in p.emulation_targets]
            )
        if p.deadlines is not None:
            changes["deadlines"] = to_json(p.deadlines.model_dump(mode="json"))
        if changes:
            s.campaigns.put(p.campaign_id, current._replace(**changes))
    elif isinstance(p, rg.CampaignClosed):
        s.campaigns.put(
            p.campaign_id, current._replace(closed_on=p.closed_on, cancelled=p.cancelled)
        )
        return
    s.dirty_campaigns.add(p.campaign_id)


# --- registrations and initiatives -----------------------------------------------------------


def _registration(
    s: ModelState, event_id: str, type_: str, p: rg.UnitRegistered | rg.IndividualRegistered
) -> None:
    individual = isinstance(p, rg.IndividualRegistered)
    registrant = p.person_id if isinstance(p, rg.IndividualRegistered) else p.unit_id
    kind = (SubjectKind.INDIVIDUAL if individual else SubjectKind.COLLECTIVE).value
    key = (p.campaign_id, kind, registrant)
    if s.registrations.rows.get(key) is not None:
        return  # the owner re-registered an identical fact: counted once
    s.registrations.put(key, Registration(p.campaign_id, kind, registrant, event_id))
    s.record(
        type_,
        Fact(
            event_id,
            "individual_registration" if individual else "unit_registration",
            p.registered_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            person_id=registrant if individual else None,
            campaign_id=p.campaign_id,
            attrs={"registered_on": p.registered_on.isoformat(), "as_of": str(p.registered_on)},
        ),
    )


def negated(original: Fact, event_id: str, effective_on: date) -> Fact:
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


def _withdrawal(s: ModelState, event_id: str, type_: str, p: rg.RegistrationWithdrawn) -> None:
    key = (p.campaign_id, p.registrant_kind.value, p.registrant_id)
    registration = s.registrations.rows.get(key)
    if registration is None:
        return
    s.registrations.put(key, None)
    original = s.fact(registration.event_id)
    if original is not None:
        s.record(type_, negated(original, event_id, p.withdrawn_on))


def _initiative(s: ModelState, event_id: str, type_: str, p: rg.InitiativeEvent) -> None:
    extra: dict[str, str] = {}
    row = s.initiatives.rows.get(p.initiative_id)
    if isinstance(p, rg.InitiativeSubmitted):
        if row is None:
            row = Initiative(
                p.initiative_id,
                p.department_code,
                p.unit_id,
                p.kind.value,
                p.campaign_id,
                p.submitted_on,
            )
            s.initiatives.put(p.initiative_id, row)
        kind, effective = "initiative_submitted", p.submitted_on
    elif isinstance(p, rg.InitiativeRecognized):
        kind, effective = "initiative_recognized", p.recognized_on
        extra = {"level": p.level.value}
    elif isinstance(p, rg.InitiativeRejected):
        kind, effective = "initiative_rejected", p.rejected_on
    else:
        return
    if row is None:
        return  # the owner decides an initiative only after its submission (same stream)
    s.record(
        type_,
        Fact(
            event_id,
            kind,
            effective,
            department_code=row.department_code,
            unit_id=row.unit_id,
            campaign_id=row.campaign_id,
            attrs={"initiative_kind": row.kind, **extra},
        ),
    )


def _discipline(s: ModelState, event_id: str, type_: str, p: rg.DisciplineImposed) -> None:
    s.record(
        type_,
        Fact(
            event_id,
            "discipline",
            p.imposed_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            person_id=p.person_id,
            attrs={"level": p.level.value},
        ),
    )


# --- nominations and awards ------------------------------------------------------------------


def _submitted(s: ModelState, event_id: str, type_: str, p: aw.NominationSubmitted) -> None:
    previous = s.nominations.rows.get(p.nomination_id)
    row = Nomination(
        p.nomination_id,
        p.department_code,
        p.campaign_id,
        p.year,
        p.title.value,
        p.nominee_kind.value,
        p.nominee_id,
        p.unit_id,
        "submitted",
        None,
    )
    if previous is not None:  # a dossier submitted again keeps what it was, status aside
        row = previous._replace(status="submitted")
    s.nominations.put(p.nomination_id, row)
    s.record(
        type_,
        Fact(
            event_id,
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
                "status_from": previous.status if previous else None,
            },
        ),
    )


def _revoked(s: ModelState, event_id: str, type_: str, p: aw.AwardRevoked) -> None:
    row = s.nominations.rows.get(p.nomination_id)
    if row is None or row.status != "approved" or row.award_event_id is None:
        return
    award = s.fact(row.award_event_id)
    if award is None:
        return
    s.nominations.put(p.nomination_id, row._replace(status="revoked"))
    revoked = negated(award, event_id, p.revoked_on)
    revoked.attrs.update(status_to="revoked", status_from="approved")
    s.record(type_, revoked)


def _decided(s: ModelState, event_id: str, type_: str, p: aw.NominationEvent) -> None:
    """A status change of a nomination already submitted (its own stream, so in order)."""
    row = s.nominations.rows.get(p.nomination_id)
    if row is None:
        return
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
    else:
        return
    award_event_id = event_id if status == "approved" else row.award_event_id
    s.nominations.put(p.nomination_id, row._replace(status=status, award_event_id=award_event_id))
    s.record(
        type_,
        Fact(
            event_id,
            kind,
            effective,
            department_code=row.department_code,
            unit_id=row.unit_id,
            person_id=person_id,
            campaign_id=row.campaign_id,
            year=row.year,
            attrs={"title": row.title, "status_from": row.status, **attrs, "status_to": status},
        ),
    )


def _exemplary(s: ModelState, event_id: str, type_: str, p: aw.ExemplaryModelChosen) -> None:
    s.record(
        type_,
        Fact(
            event_id,
            "exemplary_model",
            p.chosen_on,
            department_code=p.department_code,
            unit_id=p.unit_id,
            campaign_id=p.campaign_id,
            year=p.year,
            attrs={"subject_kind": p.subject_kind.value},
        ),
    )


HANDLERS: dict[type[EventData], Handler] = {
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
    aw.NominationSubmitted: _submitted,
    aw.NominationReturned: _decided,
    aw.NominationSuspended: _decided,
    aw.NominationResumed: _decided,
    aw.NominationRejected: _decided,
    aw.NominationApproved: _decided,
    aw.AwardRevoked: _revoked,
    aw.ExemplaryModelChosen: _exemplary,
}


def fold(state: ModelState, event_id: str, event_type: str, payload: EventData) -> None:
    handler = HANDLERS.get(type(payload))
    if handler is not None:
        handler(state, event_id, event_type, payload)
