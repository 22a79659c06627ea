"""Decisions on taking part: registrations, initiatives, research, ratings, discipline and
cases."""

from __future__ import annotations

from contracts.common import SubjectKind
from contracts.registration import (
    CaseClosed,
    CaseOpened,
    DisciplineImposed,
    IndividualRegistered,
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
    PerformanceRated,
    RegistrationWithdrawn,
    ResearchAccepted,
    UnitRegistered,
)
from services.registration import streams
from services.registration.domain import initiatives, records, registrations
from services.registration.domain.common import refuse
from services.registration.registrar import Registrar, person_not_in_unit
from thidua.es.decider import Emit

# --- registrations ---------------------------------------------------------------------------


def _register(
    cmd: Registrar, p: UnitRegistered | IndividualRegistered, kind: SubjectKind, registrant: str
) -> list[Emit]:
    stream = streams.registrant(p.campaign_id, kind, registrant)
    cmd.cmd.need(stream, streams.campaign(p.campaign_id))
    registrant_state = registrations.fold(cmd.history(stream)[0])
    facts = registrations.decide_register(cmd.campaign(p.campaign_id), registrant_state, p)
    return cmd.emit(stream, facts)


def unit_registered(cmd: Registrar, p: UnitRegistered) -> list[Emit]:
    cmd.cmd.need(
        streams.unit(p.unit_id),
        streams.campaign(p.campaign_id),
        streams.registrant(p.campaign_id, SubjectKind.COLLECTIVE, p.unit_id),
    )
    cmd.active_unit(p.unit_id, p.registered_on)
    return _register(cmd, p, SubjectKind.COLLECTIVE, p.unit_id)


def individual_registered(cmd: Registrar, p: IndividualRegistered) -> list[Emit]:
    cmd.cmd.need(
        streams.person(p.person_id),
        streams.unit(p.unit_id),
        streams.campaign(p.campaign_id),
        streams.registrant(p.campaign_id, SubjectKind.INDIVIDUAL, p.person_id),
    )
    person = cmd.own_person(p.person_id)
    cmd.active_unit(p.unit_id, p.registered_on)
    if cmd.unit_of_person_on(person, p.registered_on) != p.unit_id:
        raise person_not_in_unit(person, p.unit_id, p.registered_on)
    return _register(cmd, p, SubjectKind.INDIVIDUAL, p.person_id)


def registration_withdrawn(cmd: Registrar, p: RegistrationWithdrawn) -> list[Emit]:
    if p.registrant_kind is SubjectKind.COLLECTIVE:
        cmd.own_unit(p.registrant_id, "registrant_id")
    else:
        cmd.own_person(p.registrant_id, "registrant_id")
    stream = streams.registrant(p.campaign_id, p.registrant_kind, p.registrant_id)
    registrant = registrations.fold(cmd.history(stream)[0])
    facts = registrations.decide_withdraw(cmd.campaign(p.campaign_id), registrant, p)
    return cmd.emit(stream, facts)


# --- initiatives, research, ratings, discipline ----------------------------------------------


def initiative_submitted(cmd: Registrar, p: InitiativeSubmitted) -> list[Emit]:
    cmd.active_unit(p.unit_id, p.submitted_on)
    cmd.own_authors(p.authors)
    cmd.known_campaign(p.campaign_id)
    stream = streams.initiative(p.initiative_id)
    state = initiatives.fold(cmd.history(stream)[0])
    return cmd.emit(stream, initiatives.decide_submit(state, p))


def own_initiative(cmd: Registrar, initiative_id: str) -> initiatives.Initiative | None:
    state = initiatives.fold(cmd.history(streams.initiative(initiative_id))[0])
    if state is not None and not cmd.speaks_for(
        state.submitted.department_code, state.submitted.unit_id
    ):
        owner = state.submitted.department_code
        cmd.refuse_foreign(
            owner,
            "initiative.of_other_department",
            f"Sáng kiến {initiative_id} thuộc Sở '{owner}'",
            "initiative_id",
        )
    return state


def initiative_reviewed(cmd: Registrar, p: InitiativeReviewed) -> list[Emit]:
    state = own_initiative(cmd, p.initiative_id)
    return cmd.emit(streams.initiative(p.initiative_id), initiatives.decide_review(state, p))


def initiative_recognized(cmd: Registrar, p: InitiativeRecognized) -> list[Emit]:
    state = own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_recognize(state, p, cmd.settings.council)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def initiative_rejected(cmd: Registrar, p: InitiativeRejected) -> list[Emit]:
    state = own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_reject(state, p, cmd.settings.council)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def research_accepted(cmd: Registrar, p: ResearchAccepted) -> list[Emit]:
    cmd.active_unit(p.unit_id, p.accepted_on)
    cmd.own_authors(p.authors)
    cmd.known_campaign(p.campaign_id)
    return cmd.emit_first(
        streams.research(p.research_id),
        p,
        "research.conflicting_duplicate",
        f"Đề tài {p.research_id}",
        "ResearchWithdrawn (hủy, rồi gửi lại với mã mới)",
    )


def _unit_of(cmd: Registrar, kind: SubjectKind, subject_id: str) -> str | None:
    """A subject's unit on the fact's day (a unit is its own)."""
    if kind is SubjectKind.COLLECTIVE:
        return subject_id
    person = cmd.person(subject_id)
    return cmd.unit_of_person_on(person, cmd.day) if person is not None else None


def own_subject(cmd: Registrar, kind: SubjectKind, subject_id: str) -> None:
    if kind is SubjectKind.INDIVIDUAL:
        cmd.own_person(subject_id, "subject_id")
    else:
        cmd.own_unit(subject_id, "subject_id")


def performance_rated(cmd: Registrar, p: PerformanceRated) -> list[Emit]:
    own_subject(cmd, p.subject_kind, p.subject_id)
    if p.unit_id is not None:
        cmd.own_unit(p.unit_id)
    return cmd.emit_first(
        streams.rating(p.subject_kind, p.subject_id, p.year),
        p,
        "rating.conflicting_duplicate",
        f"Xếp loại năm {p.year} của {p.subject_id}",
        "RatingCorrected",
    )


def discipline_imposed(cmd: Registrar, p: DisciplineImposed) -> list[Emit]:
    cmd.own_person(p.person_id)
    cmd.own_unit(p.unit_id)
    if p.case_id is not None and cmd.first(streams.case(p.case_id)) is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    stream = streams.discipline(p.person_id)
    payloads, _ = cmd.history(stream)
    return cmd.emit(stream, [] if p in payloads else [p])


def case_opened(cmd: Registrar, p: CaseOpened) -> list[Emit]:
    own_subject(cmd, p.subject_kind, p.subject_id)
    return cmd.emit_first(
        streams.case(p.case_id), p, "case.conflicting_duplicate", f"Vụ việc {p.case_id}"
    )


def case_closed(cmd: Registrar, p: CaseClosed) -> list[Emit]:
    case = records.fold_case(cmd.history(streams.case(p.case_id))[0])
    if case is None:
        raise refuse("case.unknown", f"Không có vụ việc mã {p.case_id}", "case_id")
    opened = case.opened
    if not cmd.speaks_for(
        opened.department_code, _unit_of(cmd, opened.subject_kind, opened.subject_id)
    ):
        cmd.own(opened.department_code, "case_id")
    return cmd.emit(streams.case(p.case_id), records.decide_close_case(case, p))
