"""What registration's corrections change in awards' nominations, as the law reads (issue 15).

Every eligibility rule runs at the decision, on the read copy as it then is, so a pending
nomination is always judged on the corrected facts. These decisions tell the department
earlier, and protect what was already decided:

- a pending nomination (submitted or suspended) that no longer qualifies because of the
  correction is returned (``NominationReturned``, not late) with the rules' reasons, as the
  standing body returns an incomplete dossier; one that still qualifies is left alone;
- an award already decided is never changed: when the correction takes away what it rested
  on, it is flagged for review (``AwardFlaggedForReview``), once per correction.

"Because of the correction" is found by judging twice: on the facts as corrected, and on
the same facts with the corrected item at its best (the rating at "hoàn thành xuất sắc", the
evidence not withdrawn); only the reasons the correction adds count. Pure, like
``decisions.py``; the read copy is already corrected when these run (``Decider.read_inputs``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from contracts import awards as a
from contracts import registration as r
from contracts.common import Rating, RejectionReason, SubjectKind
from services.awards import aggregates as agg
from services.awards import judging, streams
from services.awards.domain.facts import Facts
from services.awards.domain.nomination import PENDING, Status
from services.awards.readmodels import lookups as lk
from services.awards.rules import judge, rule_set_for_year
from services.awards.rules.base import vn_date
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit

_NAMESPACE = uuid.UUID("5b0f3a52-6d1e-4c8a-9a57-0c2f7e1d4b63")
"""Awards' namespace of derived event ids (uuid5)."""

AtBest = Callable[[Facts], Facts]
"""The same facts with the corrected item at its best."""


def _dossiers(
    ws: Workspace, ids: Iterable[str], cites: Callable[[a.NominationSubmitted], bool]
) -> list[a.NominationSubmitted]:
    """The dossiers among ``ids`` the correction may touch: pending or approved, and relying
    on the corrected fact."""
    ids = list(dict.fromkeys(ids))
    require(ws.cmd, [streams.nomination(i) for i in ids])
    found = []
    for nomination_id in ids:
        state = ws.state(streams.nomination(nomination_id), agg.NOMINATION)
        if state.dossier is None or not cites(state.dossier):
            continue
        if state.status in PENDING or state.status is Status.APPROVED:
            found.append(state.dossier)
    judging.prefetch(ws, found)
    return found


def _caused(facts: Facts, at_best: AtBest) -> list[RejectionReason]:
    """The reasons the nomination fails for on the corrected facts and not at best."""
    rule_set = rule_set_for_year(facts.year)
    before = {x.code for x in judge(at_best(facts), rule_set).reasons}
    return [x for x in judge(facts, rule_set).reasons if x.code not in before]


def _follow(
    ws: Workspace,
    dossiers: list[a.NominationSubmitted],
    at_best: AtBest,
    cause: RejectionReason,
    on: date,
    *,
    flag_any_award: bool,
) -> list[Emit]:
    """Return the pending dossiers the correction disqualifies; flag the awards it undermines
    (every award that rested on it with ``flag_any_award``)."""
    event = ws.cmd.event
    for dossier in dossiers:
        stream = streams.nomination(dossier.nomination_id)
        state = ws.state(stream, agg.NOMINATION)
        caused = _caused(judging.facts_for(ws, dossier), at_best)
        fact: a.NominationEvent
        if state.status in PENDING:
            if not caused:
                continue
            fact = a.NominationReturned(
                nomination_id=dossier.nomination_id,
                returned_on=on,
                late=False,
                reasons=[cause, *caused],
            )
        elif event.id in state.flagged_by or not (caused or flag_any_award):
            continue
        else:
            fact = a.AwardFlaggedForReview(
                nomination_id=dossier.nomination_id,
                department_code=dossier.department_code,
                flagged_on=on,
                cause_type=event.type,
                cause_event_id=event.id,
                reasons=[cause, *caused],
            )
        ws.emit(stream, agg.NOMINATION, fact, ids=[derived_id(event.id, fact)])
    return ws.emits


def derived_id(cause_id: str, fact: a.NominationEvent) -> str:
    """The event id of what a correction does to one nomination: the same correction always
    gives the same id (a flag or a return is derived once per correction and nomination)."""
    return str(uuid.uuid5(_NAMESPACE, f"{cause_id}\x1f{fact.event_name}\x1f{fact.nomination_id}"))


def rating_corrected(cmd: Command[r.RatingCorrected], folds: Folds) -> list[Emit]:
    """The nominations that read this rating: the subject's own of that year (and of the year
    after, whose Bằng khen reads the year before), and its unit's collective ones of the
    year (their members' ratings)."""
    fixed = cmd.payload
    subject, year = fixed.subject_id, fixed.year
    unit = fixed.unit_id if fixed.subject_kind is SubjectKind.INDIVIDUAL else None
    nominees = [subject, *([unit] if unit else [])]
    require(cmd, lookups={lk.NOMINATIONS_OF: nominees})
    ids = [i for n in nominees for i in cmd.lookup(lk.NOMINATIONS_OF, n) or ()]

    def reads_it(d: a.NominationSubmitted) -> bool:
        if d.nominee_id == subject:
            return d.year in (year, year + 1)
        return d.nominee_kind is SubjectKind.COLLECTIVE and d.year == year

    def at_best(facts: Facts) -> Facts:
        if facts.dossier.nominee_id != subject:
            best = Rating.EXCELLENT
            members = tuple(
                replace(m, rating=best) if m.person_id == subject else m for m in facts.members
            )
            return replace(facts, members=members)
        if facts.year == year:
            return replace(facts, rating=Rating.EXCELLENT)
        return replace(facts, previous_rating=Rating.EXCELLENT)

    ws = Workspace(cmd, folds)
    dossiers = _dossiers(ws, ids, reads_it)
    cause = RejectionReason(
        code="awards.rating_corrected",
        message=f"Kết quả đánh giá, xếp loại năm {year} của {subject} được đính chính ngày "
        f"{vn_date(fixed.corrected_on)}: {fixed.reason}",
        field="evidence.rating",
    )
    return _follow(ws, dossiers, at_best, cause, fixed.corrected_on, flag_any_award=False)


_WITHDRAWN = {
    "initiative": ("Sáng kiến {} làm căn cứ khen thưởng đã bị rút", "evidence.initiative_ids"),
    "research": (
        "Đề tài {} làm căn cứ khen thưởng đã bị hủy kết quả nghiệm thu",
        "evidence.research_ids",
    ),
}


def _evidence_withdrawn(
    cmd: Command[Any], folds: Folds, kind: str, evidence_id: str, on: date, why: str
) -> list[Emit]:
    what, field = _WITHDRAWN[kind]
    cause = RejectionReason(
        code="awards.evidence_withdrawn",
        message=f"{what.format(evidence_id)} ngày {vn_date(on)}: {why}",
        field=field,
    )
    key = (kind, evidence_id)
    require(cmd, lookups={lk.NOMINATIONS_CITING: [key]})
    ids = cmd.lookup(lk.NOMINATIONS_CITING, key) or ()

    def cites(d: a.NominationSubmitted) -> bool:
        named = d.evidence.initiative_ids if kind == "initiative" else d.evidence.research_ids
        return evidence_id in named

    def at_best(facts: Facts) -> Facts:
        return replace(
            facts,
            initiatives=tuple(
                replace(i, withdrawn_on=None) if i.initiative_id == evidence_id else i
                for i in facts.initiatives
            ),
            research=tuple(
                replace(x, withdrawn_on=None) if x.research_id == evidence_id else x
                for x in facts.research
            ),
        )

    ws = Workspace(cmd, folds)
    dossiers = _dossiers(ws, ids, cites)
    return _follow(ws, dossiers, at_best, cause, on, flag_any_award=True)


def initiative_withdrawn(cmd: Command[r.InitiativeWithdrawn], folds: Folds) -> list[Emit]:
    """A withdrawn initiative no longer counts; every award whose dossier named it is flagged."""
    f = cmd.payload
    return _evidence_withdrawn(cmd, folds, "initiative", f.initiative_id, f.withdrawn_on, f.reason)


def research_withdrawn(cmd: Command[r.ResearchWithdrawn], folds: Folds) -> list[Emit]:
    """Research whose acceptance is cancelled no longer counts, like a withdrawn initiative."""
    f = cmd.payload
    return _evidence_withdrawn(cmd, folds, "research", f.research_id, f.withdrawn_on, f.reason)
