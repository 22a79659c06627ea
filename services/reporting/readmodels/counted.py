"""Folding the events reporting counts (pure, no I/O): registrations and withdrawals,
initiatives, discipline, nominations and their decisions (withdrawn dossiers too), exemplary
models (their corrections: ``corrections.py``). Each records the
facts it counts (``ModelState.record``) and the state that follows its stream."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.common import SubjectKind
from services.reporting.facts import Fact
from services.reporting.readmodels import corrections
from services.reporting.readmodels.state import (
    Initiative,
    ModelState,
    Nomination,
    Registration,
    authors_json,
)

# --- registrations and initiatives -----------------------------------------------------------


def registration(
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


def withdrawal(s: ModelState, event_id: str, type_: str, p: rg.RegistrationWithdrawn) -> None:
    key = (p.campaign_id, p.registrant_kind.value, p.registrant_id)
    registration = s.registrations.rows.get(key)
    if registration is None:
        return
    s.registrations.put(key, None)
    original = s.fact(registration.event_id)
    if original is not None:
        s.record(type_, negated(original, event_id, p.withdrawn_on))


def initiative(s: ModelState, event_id: str, type_: str, p: rg.InitiativeEvent) -> None:
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
                p.title,
                authors_json(p.authors),
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
    fact = Fact(
        event_id,
        kind,
        effective,
        department_code=row.department_code,
        unit_id=row.unit_id,
        campaign_id=row.campaign_id,
        attrs={"initiative_kind": row.kind, **extra},
    )
    corrections.count(s, type_, fact, f"initiative:{p.initiative_id}")


def discipline(s: ModelState, event_id: str, type_: str, p: rg.DisciplineImposed) -> None:
    fact = Fact(
        event_id,
        "discipline",
        p.imposed_on,
        department_code=p.department_code,
        unit_id=p.unit_id,
        person_id=p.person_id,
        attrs={"level": p.level.value},
    )
    corrections.count(s, type_, fact, f"discipline:{p.person_id}:{p.imposed_on.isoformat()}")


# --- nominations and awards ------------------------------------------------------------------


def submitted(s: ModelState, event_id: str, type_: str, p: aw.NominationSubmitted) -> None:
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
        p.received_on,
    )
    if previous is not None:  # a dossier submitted again keeps what it was, status aside
        row = previous._replace(status="submitted", received_on=p.received_on)
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


def revoked(s: ModelState, event_id: str, type_: str, p: aw.AwardRevoked) -> None:
    row = s.nominations.rows.get(p.nomination_id)
    if row is None or row.status != "approved" or row.award_event_id is None:
        return
    award = s.fact(row.award_event_id)
    if award is None:
        return
    s.nominations.put(p.nomination_id, row._replace(status="revoked"))
    revoked = negated(award, event_id, p.revoked_on)
    attrs = {**revoked.attrs, "status_to": "revoked", "status_from": "approved"}
    s.record(type_, revoked._replace(attrs=attrs))


def decided(s: ModelState, event_id: str, type_: str, p: aw.NominationEvent) -> None:
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
        attrs = _processing(row, effective)
    elif isinstance(p, aw.NominationWithdrawn):  # no longer pending: counted as withdrawn
        kind, status, effective = "tally", "withdrawn", p.withdrawn_on
        attrs = {"figure": "dossiers.withdrawn", "key": row.title}
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
            **_processing(row, effective),
        }
    else:
        return
    award_event_id = event_id if status == "approved" else row.award_event_id
    s.nominations.put(p.nomination_id, row._replace(status=status, award_event_id=award_event_id))
    attrs = {"title": row.title, "status_from": row.status, **attrs, "status_to": status}
    s.record(type_, _of_nomination(row, event_id, kind, effective, attrs, person_id))


def _of_nomination(
    row: Nomination,
    event_id: str,
    kind: str,
    effective: date,
    attrs: dict[str, Any],
    person_id: str | None = None,
) -> Fact:
    """A fact about a nomination, counted where the nomination is (its department, unit,
    campaign and year)."""
    return Fact(
        event_id,
        kind,
        effective,
        department_code=row.department_code,
        unit_id=row.unit_id,
        person_id=person_id,
        campaign_id=row.campaign_id,
        year=row.year,
        attrs=attrs,
    )


def _processing(row: Nomination, decided_on: date) -> dict[str, Any]:
    """Days from the dossier's reception to its decision (issue 17), when it was received."""
    if row.received_on is None:
        return {}
    return {"processing_days": max((decided_on - row.received_on).days, 0)}


def voted(s: ModelState, event_id: str, type_: str, p: aw.NominationVoted) -> None:
    """A nomination's result in a council session (its own stream: after its submission)."""
    row = s.nominations.rows.get(p.nomination_id)
    if row is None:
        return
    attrs = {
        "title": row.title,
        "reached": p.reached,
        "yes_permille": p.yes_votes * 1000 // p.members_total,
        "council_level": p.council_level.value,
    }
    s.record(type_, _of_nomination(row, event_id, "vote", p.voted_on, attrs))


def exemplary(s: ModelState, event_id: str, type_: str, p: aw.ExemplaryModelChosen) -> None:
    fact = corrections.exemplary_fact(event_id, p, p.chosen_on)
    corrections.count(s, type_, fact, f"exemplary:{p.exemplary_id}")
