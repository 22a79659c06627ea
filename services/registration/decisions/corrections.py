"""Decisions on corrections and withdrawals (đính chính, rút, hủy, xóa kỷ luật): each is
appended to the stream of the fact it changes, after the same checks as that fact (the
department's own people, units and initiatives; dates that exist then), so the original and
its correction stay in order, and in the store, side by side."""

from __future__ import annotations

from contracts.registration import (
    DisciplineLifted,
    InitiativeDetailsCorrected,
    InitiativeWithdrawn,
    PersonDetailsCorrected,
    RatingCorrected,
    ResearchWithdrawn,
)
from services.registration import streams
from services.registration.decisions.participation import own_initiative, own_subject
from services.registration.domain import initiatives, people, records
from services.registration.registrar import Registrar
from thidua.es.decider import Emit


def person_details_corrected(cmd: Registrar, p: PersonDetailsCorrected) -> list[Emit]:
    person = cmd.own_person(p.person_id)
    unit = cmd.unit(person.joined.unit_id)
    facts = people.decide_correct_person(person, unit, p)
    return cmd.emit(streams.person(p.person_id), facts)


def rating_corrected(cmd: Registrar, p: RatingCorrected) -> list[Emit]:
    own_subject(cmd, p.subject_kind, p.subject_id)
    if p.unit_id is not None:
        cmd.own_unit(p.unit_id)
    stream = streams.rating(p.subject_kind, p.subject_id, p.year)
    rating = records.fold_rating(cmd.history(stream)[0])
    return cmd.emit(stream, records.decide_correct_rating(rating, p))


def initiative_details_corrected(cmd: Registrar, p: InitiativeDetailsCorrected) -> list[Emit]:
    state = own_initiative(cmd, p.initiative_id)
    if state is not None:
        cmd.active_unit(p.unit_id, state.submitted.submitted_on)
        cmd.own_authors(p.authors)
    facts = initiatives.decide_correct(state, p)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def initiative_withdrawn(cmd: Registrar, p: InitiativeWithdrawn) -> list[Emit]:
    state = own_initiative(cmd, p.initiative_id)
    facts = initiatives.decide_withdraw(state, p)
    return cmd.emit(streams.initiative(p.initiative_id), facts)


def research_withdrawn(cmd: Registrar, p: ResearchWithdrawn) -> list[Emit]:
    stream = streams.research(p.research_id)
    research = records.fold_research(cmd.history(stream)[0])
    if research is not None and not cmd.speaks_for(
        research.accepted.department_code, research.accepted.unit_id
    ):
        owner = research.accepted.department_code
        cmd.refuse_foreign(
            owner,
            "research.of_other_department",
            f"Đề tài {p.research_id} thuộc Sở '{owner}'",
            "research_id",
        )
    return cmd.emit(stream, records.decide_withdraw_research(research, p))


def discipline_lifted(cmd: Registrar, p: DisciplineLifted) -> list[Emit]:
    cmd.own_person(p.person_id)
    stream = streams.discipline(p.person_id)
    return cmd.emit(stream, records.decide_lift_discipline(cmd.history(stream)[0], p))
