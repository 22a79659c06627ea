"""Corrected and withdrawn facts (pure, no I/O): ratings, research and conferences counted,
and every correction or withdrawal of a counted fact.

A correctable entity (``entity_of``) remembers the facts counted for it now
(``ModelState.counted``). A correction or a withdrawal, dated when it took effect (its
``corrected_on``, ``withdrawn_on``, ``lifted_on``), records the *reversal* of each of them
(the same lines negated, id ``<correction>~<fact>``) and, for a correction, the fact as
corrected (id of the correction's event): as of a date before the correction the old figures
stand, from that date the new ones. A withdrawal also counts itself (a ``tally``:
``initiatives.withdrawn``, ``research.withdrawn``, ``discipline.lifted``...). Reversals keep the
original's reporting year, so a 2018 fact withdrawn in 2019 leaves 2018's figures.
"""

from __future__ import annotations

import functools
import json
from datetime import date
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.common import SubjectKind
from services.reporting.facts import Fact
from services.reporting.readmodels.state import Counted, ModelState, authors_json

# --- which entity a fact belongs to ----------------------------------------------------------


CORRECTABLE: tuple[type[EventData], ...] = (
    rg.PerformanceRated,
    rg.RatingCorrected,
    rg.ResearchAccepted,
    rg.ResearchWithdrawn,
    rg.InitiativeEvent,
    rg.DisciplineImposed,
    rg.DisciplineLifted,
    aw.ExemplaryModelFields,
    aw.ExemplaryModelWithdrawn,
    aw.ConferenceFields,
    aw.ConferenceReported,
)


@functools.cache
def subclass_of(cls: type[EventData], bases: tuple[type[EventData], ...]) -> bool:
    """``issubclass``, remembered per class: the contracts' classes are pydantic models,
    whose ``isinstance`` goes through ``ABCMeta`` in Python (5% of the live projection's
    CPU when every payload was tested against a dozen types)."""
    return issubclass(cls, bases)


def entity_of(p: EventData) -> str | None:
    """The correctable entity a payload counts for or changes (None: not correctable)."""
    if not subclass_of(type(p), CORRECTABLE):
        return None
    if isinstance(p, rg.PerformanceRated | rg.RatingCorrected):
        return f"rating:{p.subject_kind.value}:{p.subject_id}:{p.year}"
    if isinstance(p, rg.ResearchAccepted | rg.ResearchWithdrawn):
        return f"research:{p.research_id}"
    if isinstance(p, rg.InitiativeEvent):
        return f"initiative:{p.initiative_id}"
    if isinstance(p, rg.DisciplineImposed | rg.DisciplineLifted):
        return f"discipline:{p.person_id}:{p.imposed_on.isoformat()}"
    if isinstance(p, aw.ExemplaryModelFields | aw.ExemplaryModelWithdrawn):
        return f"exemplary:{p.exemplary_id}"
    if isinstance(p, aw.ConferenceFields | aw.ConferenceReported):
        return f"conference:{p.conference_id}"
    return None


CHANGES = (
    rg.RatingCorrected,
    rg.ResearchWithdrawn,
    rg.InitiativeDetailsCorrected,
    rg.InitiativeWithdrawn,
    rg.DisciplineLifted,
    aw.ExemplaryModelCorrected,
    aw.ExemplaryModelWithdrawn,
    aw.ConferenceCorrected,
    aw.ConferenceReported,
)
"""The payloads that reverse an entity's counted facts (their facts are loaded first)."""


def counted_ids(s: ModelState, entity: str) -> list[str]:
    row = s.counted.rows.get(entity)
    return row.ids() if row is not None else []


def remember(s: ModelState, entity: str, ids: list[str]) -> None:
    s.counted.put(entity, Counted(entity, json.dumps(ids)))


def count(s: ModelState, type_: str, fact: Fact, entity: str) -> None:
    """Record a correctable fact and remember it as counted for ``entity``."""
    s.record(type_, fact)
    ids = counted_ids(s, entity)
    if fact.event_id not in ids:
        remember(s, entity, [*ids, fact.event_id])


def applied(s: ModelState, entity: str, event_id: str) -> bool:
    """The correction ``event_id`` already changed ``entity`` (an event published twice)."""
    return any(i == event_id or i.startswith(f"{event_id}~") for i in counted_ids(s, entity))


def pinned_year(original: Fact) -> int | None:
    """The reporting year of ``original``, kept by facts dated later that change it (None:
    its campaign's)."""
    if original.year is None and original.campaign_id is None:
        return original.effective_on.year
    return original.year


def reversal(original: Fact, event_id: str, on: date) -> Fact:
    """``original`` taken back on ``on``, in its own reporting year."""
    attrs = {k: v for k, v in original.attrs.items() if k not in ("status_to", "status_from")}
    return original._replace(
        event_id=f"{event_id}~{original.event_id}",
        effective_on=on,
        year=pinned_year(original),
        sign=-original.sign,
        attrs=attrs,
    )


def corrected(s: ModelState, type_: str, event_id: str, p: EventData, on: date, fact: Fact) -> None:
    """A correction: the entity's counted facts taken back on ``on``, ``fact`` counted
    instead (once, if the correction is published twice)."""
    entity = entity_of(p)
    if entity is None or applied(s, entity, event_id):
        return
    reverse(s, type_, event_id, entity, on)
    count(s, type_, fact, entity)


def reverse(s: ModelState, type_: str, event_id: str, entity: str, on: date) -> list[Fact]:
    """Take back every fact counted for ``entity``; returns the originals."""
    originals = [f for i in counted_ids(s, entity) if (f := s.fact(i)) is not None]
    for original in originals:
        s.record(type_, reversal(original, event_id, on))
    remember(s, entity, [])
    return originals


def tally(event_id: str, like: Fact, on: date, figure: str, key: str) -> Fact:
    """One more of ``figure`` (a withdrawal, a lift...), placed like the fact it concerns."""
    return like._replace(
        event_id=event_id, kind="tally", effective_on=on, year=pinned_year(like), sign=1,
        attrs={"figure": figure, "key": key},
    )  # fmt: skip


# --- ratings ---------------------------------------------------------------------------------


def _rating_fact(event_id: str, p: rg.PerformanceRated | rg.RatingCorrected, on: date) -> Fact:
    individual = p.subject_kind is SubjectKind.INDIVIDUAL
    return Fact(
        event_id,
        "rating",
        on,
        department_code=p.department_code,
        unit_id=p.unit_id if individual else p.subject_id,
        person_id=p.subject_id if individual else None,
        year=p.year,
        attrs={"subject_kind": p.subject_kind.value, "rating": p.rating.value},
    )


def rated(s: ModelState, event_id: str, type_: str, p: rg.PerformanceRated) -> None:
    """Counted on its date, else on 31/12 of the year rated."""
    on = p.rated_on or date(p.year, 12, 31)
    entity = f"rating:{p.subject_kind.value}:{p.subject_id}:{p.year}"
    if not counted_ids(s, entity):  # stated once: a correction replaces it
        count(s, type_, _rating_fact(event_id, p, on), entity)


def rating_corrected(s: ModelState, event_id: str, type_: str, p: rg.RatingCorrected) -> None:
    corrected(s, type_, event_id, p, p.corrected_on, _rating_fact(event_id, p, p.corrected_on))


# --- research --------------------------------------------------------------------------------


def research(s: ModelState, event_id: str, type_: str, p: rg.ResearchAccepted) -> None:
    fact = Fact(
        event_id,
        "research",
        p.accepted_on,
        department_code=p.department_code,
        unit_id=p.unit_id,
        campaign_id=p.campaign_id,
        attrs={"level": p.level.value},
    )
    count(s, type_, fact, f"research:{p.research_id}")


def research_withdrawn(s: ModelState, event_id: str, type_: str, p: rg.ResearchWithdrawn) -> None:
    for original in reverse(s, type_, event_id, f"research:{p.research_id}", p.withdrawn_on):
        s.record(
            type_,
            tally(
                event_id, original, p.withdrawn_on, "research.withdrawn", original.attrs["level"]
            ),
        )


# --- initiatives -----------------------------------------------------------------------------


def initiative_corrected(
    s: ModelState, event_id: str, type_: str, p: rg.InitiativeDetailsCorrected
) -> None:
    """A new kind or unit moves the initiative's figures from the correction's date; a new
    title or authors move none (the row keeps the latest, for the authors' pages)."""
    row = s.initiatives.rows.get(p.initiative_id)
    entity = f"initiative:{p.initiative_id}"
    if row is None:
        return
    named = row._replace(title=p.title, authors=authors_json(p.authors))
    if named != row:
        s.initiatives.put(p.initiative_id, named)
        row = named
    if (row.kind, row.unit_id) == (p.kind.value, p.unit_id):
        return
    if applied(s, entity, event_id):
        return
    s.initiatives.put(p.initiative_id, row._replace(kind=p.kind.value, unit_id=p.unit_id))
    for original in reverse(s, type_, event_id, entity, p.corrected_on):
        attrs = {**original.attrs, "initiative_kind": p.kind.value}
        restated = Fact(
            f"{event_id}~+{original.event_id}",
            original.kind,
            p.corrected_on,
            department_code=original.department_code,
            unit_id=p.unit_id,
            campaign_id=original.campaign_id,
            year=pinned_year(original),
            attrs=attrs,
        )
        count(s, type_, restated, entity)


def initiative_withdrawn(
    s: ModelState, event_id: str, type_: str, p: rg.InitiativeWithdrawn
) -> None:
    entity = f"initiative:{p.initiative_id}"
    originals = reverse(s, type_, event_id, entity, p.withdrawn_on)
    submitted = [f for f in originals if f.kind == "initiative_submitted"]
    if submitted:
        key = submitted[0].attrs["initiative_kind"]
        s.record(type_, tally(event_id, submitted[0], p.withdrawn_on, "initiatives.withdrawn", key))


# --- discipline ------------------------------------------------------------------------------


def discipline_lifted(s: ModelState, event_id: str, type_: str, p: rg.DisciplineLifted) -> None:
    """Lifted at the end of its term (xóa kỷ luật) it still counts as imposed that year;
    annulled (hủy), it is taken back from the date of the annulment."""
    entity = f"discipline:{p.person_id}:{p.imposed_on.isoformat()}"
    originals = [f for i in counted_ids(s, entity) if (f := s.fact(i)) is not None]
    if not originals:
        return
    if p.annulled:
        reverse(s, type_, event_id, entity, p.lifted_on)
    level = originals[0].attrs["level"]
    s.record(type_, tally(event_id, originals[0], p.lifted_on, "discipline.lifted", level))


# --- awards' side: exemplary models, conferences, dossiers, flags ------------------------------


def exemplary_corrected(
    s: ModelState, event_id: str, type_: str, p: aw.ExemplaryModelCorrected
) -> None:
    corrected(s, type_, event_id, p, p.corrected_on, exemplary_fact(event_id, p, p.corrected_on))


def exemplary_withdrawn(
    s: ModelState, event_id: str, type_: str, p: aw.ExemplaryModelWithdrawn
) -> None:
    entity = f"exemplary:{p.exemplary_id}"
    for original in reverse(s, type_, event_id, entity, p.withdrawn_on):
        key = original.attrs["subject_kind"]
        s.record(
            type_, tally(event_id, original, p.withdrawn_on, "exemplary_models.withdrawn", key)
        )


def exemplary_fact(event_id: str, p: aw.ExemplaryModelFields, on: date) -> Fact:
    return Fact(
        event_id,
        "exemplary_model",
        on,
        department_code=p.department_code,
        unit_id=p.unit_id,
        campaign_id=p.campaign_id,
        year=p.year,
        attrs={"subject_kind": p.subject_kind.value},
    )


def _conference_fact(event_id: str, p: aw.ConferenceFields, on: date) -> Fact:
    return Fact(
        event_id,
        "conference",
        on,
        department_code=p.department_code,
        campaign_id=p.campaign_id,
        year=p.held_on.year,
        attrs={
            "conference_kind": p.kind,
            "level": p.level.value,
            "delegates": p.delegates_total,
            "exemplary": p.exemplary_delegates,
            "guests": p.guest_delegates,
            "report_due": p.report_due.isoformat(),
        },
    )


def conference(s: ModelState, event_id: str, type_: str, p: aw.ConferenceHeld) -> None:
    count(s, type_, _conference_fact(event_id, p, p.held_on), f"conference:{p.conference_id}")


def _report_fact(event_id: str, held: Fact, reported_on: str, on: date) -> Fact:
    """The report of the conference ``held`` (as it stands), counted on ``on`` in the
    conference's year, on time or late against its due date."""
    attrs = {k: held.attrs[k] for k in ("conference_kind", "level", "report_due")}
    attrs["reported_on"] = reported_on
    return held._replace(event_id=event_id, kind="conference_report", effective_on=on,
                         year=pinned_year(held), sign=1, attrs=attrs)  # fmt: skip


def _counted_of(s: ModelState, entity: str, kind: str) -> list[Fact]:
    return [f for i in counted_ids(s, entity) if (f := s.fact(i)) is not None and f.kind == kind]


def conference_corrected(
    s: ModelState, event_id: str, type_: str, p: aw.ConferenceCorrected
) -> None:
    """The conference as corrected; a report already counted is counted again against the
    corrected due date (from the correction's date)."""
    entity = f"conference:{p.conference_id}"
    if applied(s, entity, event_id):
        return
    reports = _counted_of(s, entity, "conference_report")
    fact = _conference_fact(event_id, p, p.corrected_on)
    corrected(s, type_, event_id, p, p.corrected_on, fact)
    for report in reports:
        again = _report_fact(f"{event_id}~+{report.event_id}", fact, report.attrs["reported_on"],
                             p.corrected_on)  # fmt: skip
        count(s, type_, again, entity)


def conference_reported(s: ModelState, event_id: str, type_: str, p: aw.ConferenceReported) -> None:
    """Báo cáo kết quả hội nghị (issue 17): counted once, after its conference (awards accepts
    it only then, and both are on the conference's key, so they arrive in that order)."""
    entity = f"conference:{p.conference_id}"
    held = _counted_of(s, entity, "conference")
    if held and not applied(s, entity, event_id):
        report = _report_fact(event_id, held[-1], p.reported_on.isoformat(), p.reported_on)
        count(s, type_, report, entity)


def flagged(s: ModelState, event_id: str, type_: str, p: aw.AwardFlaggedForReview) -> None:
    """An award to review (not changed): counted under its title, in the award's year."""
    row = s.nominations.rows.get(p.nomination_id)
    if row is not None:
        where = Fact(
            event_id, "tally", p.flagged_on, department_code=row.department_code,
            unit_id=row.unit_id, campaign_id=row.campaign_id, year=row.year,
        )  # fmt: skip
        figure = "awards.flagged_for_review"
        s.record(type_, tally(event_id, where, p.flagged_on, figure, row.title))


HANDLERS: dict[type[EventData], Any] = {
    rg.PerformanceRated: rated,
    rg.RatingCorrected: rating_corrected,
    rg.ResearchAccepted: research,
    rg.ResearchWithdrawn: research_withdrawn,
    rg.InitiativeDetailsCorrected: initiative_corrected,
    rg.InitiativeWithdrawn: initiative_withdrawn,
    rg.DisciplineLifted: discipline_lifted,
    aw.ExemplaryModelCorrected: exemplary_corrected,
    aw.ExemplaryModelWithdrawn: exemplary_withdrawn,
    aw.ConferenceHeld: conference,
    aw.ConferenceCorrected: conference_corrected,
    aw.ConferenceReported: conference_reported,
    aw.AwardFlaggedForReview: flagged,
}
