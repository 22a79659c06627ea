"""Corrections folded into the read model (pure): the old fact taken back on the correction's
date in its own year, the corrected one counted from it; the same event published twice
changes the model once."""

from __future__ import annotations

from datetime import date

from contracts import examples
from contracts import registration as rg
from contracts.base import EventData
from services.reporting.facts import Dims, figures_of
from services.reporting.readmodels.fold import fold
from services.reporting.readmodels.state import ModelState, Person

GL = "sct-gialai"


def given(*events: tuple[str, EventData]) -> ModelState:
    state = ModelState(complete=True)
    for event_id, payload in events:
        fold(state, event_id, payload.type_name(), payload)
    return state


def figures(state: ModelState) -> list[tuple[str, str, str, int, int | None]]:
    """(fact id, figure, key, count, reporting year) of every fact recorded."""
    return [
        (n.fact.event_id, figure, key, count, n.fact.year)
        for n in state.new_facts
        for figure, key, count, _ in figures_of(n.fact, Dims())
    ]


def test_a_corrected_rating_is_taken_back_on_its_date_and_counted_once() -> None:
    rated = rg.PerformanceRated.model_validate(
        {**examples.EXAMPLES[rg.RatingCorrected][0], "rating": "excellent"}
    )
    fix = rg.RatingCorrected.model_validate(examples.EXAMPLES[rg.RatingCorrected][0])
    state = given(("r", rated), ("c", fix), ("c", fix))
    assert figures(state) == [
        ("r", "ratings", "individual|excellent", 1, 2018),
        ("c~r", "ratings", "individual|excellent", -1, 2018),
        ("c", "ratings", "individual|good", 1, 2018),
    ]
    assert [n.fact.effective_on for n in state.new_facts] == [
        date(2018, 12, 31),
        fix.corrected_on,
        fix.corrected_on,
    ]


def test_a_withdrawn_initiative_leaves_its_year_and_counts_as_withdrawn() -> None:
    submitted = rg.InitiativeSubmitted.model_validate(
        {**examples.EXAMPLES[rg.InitiativeSubmitted][0], "campaign_id": None}
    )
    withdrawn = rg.InitiativeWithdrawn.model_validate(examples.EXAMPLES[rg.InitiativeWithdrawn][0])
    state = given(("s", submitted), ("w", withdrawn), ("w", withdrawn))
    assert figures(state) == [
        ("s", "initiatives.submitted", "management", 1, None),
        ("w~s", "initiatives.submitted", "management", -1, 2018),
        ("w", "initiatives.withdrawn", "management", 1, 2018),
    ]


def test_a_person_corrected_twice_by_one_event_keeps_one_earlier_version() -> None:
    joined = rg.PersonJoined.model_validate(examples.EXAMPLES[rg.PersonJoined][0])
    fix = rg.PersonDetailsCorrected.model_validate(
        {**examples.EXAMPLES[rg.PersonDetailsCorrected][0], "sex": "male"}
    )
    state = given(("j", joined), ("c", fix), ("c", fix))
    person = state.people.rows[joined.person_id]
    assert isinstance(person, Person)
    assert (person.sex, person.joined_on) == ("male", fix.joined_on)
    assert person.earlier.count('"event"') == 1
