"""Handlers: load the aggregate, ask the domain, append the facts, keep the tables in step.

Two consumers feed them. ``on_ingress``: what departments submit (dossiers, council votes,
decisions, revocations, exemplary models, conferences). ``on_registration_fact``: the
registration service's accepted facts, which only update awards' read copy (and suspend or
resume nominations when a case opens or closes).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta, timezone

from contracts import awards as a
from contracts import registration as r
from contracts import topics
from contracts.base import EventData
from contracts.common import RejectionReason, SubjectKind
from contracts.envelope import CloudEvent
from contracts.rejections import GenericReason, InputRejected
from services.awards import queries, readcopy
from services.awards.domain import nomination as n
from services.awards.rules import judge, rule_set_for_year
from services.awards.rules.authority import signer_may_decide
from services.awards.rules.base import refusal
from services.awards.rules.procedure import Candidate, award_order, council_may_decide
from thidua.es.consumer import UnitOfWork
from thidua.es.rejections import Reason, Refused

VIETNAM = timezone(timedelta(hours=7))


def _refuse(reasons: Sequence[RejectionReason]) -> Refused:
    return Refused([Reason(x.code, x.message, x.field) for x in reasons])


def _today(event: CloudEvent) -> date:
    return event.time.astimezone(VIETNAM).date()


async def _lock_department(uow: UnitOfWork, department: str) -> None:
    """Judgements of one department run one at a time (quota, initiative use, chains)."""
    await uow.conn.execute("SELECT pg_advisory_xact_lock(hashtext('awards:' || $1))", department)


def _producer(uow: UnitOfWork, claimed: str) -> str:
    department = topics.department_of_ingress(uow.incoming.topic)
    if department is None or department == claimed:
        return claimed
    raise _refuse(
        [
            RejectionReason(
                code=GenericReason.FOREIGN_DEPARTMENT,
                message=f"Sự kiện ghi Sở '{claimed}' nhưng được gửi qua kênh của Sở '{department}'",
                field="department_code",
            )
        ]
    )


async def _load(uow: UnitOfWork, nomination_id: str) -> n.Nomination:
    recorded = await uow.load(f"nomination:{nomination_id}")
    return n.replay(nomination_id, [e.event.payload() for e in recorded])


async def _append(uow: UnitOfWork, state: n.Nomination, *facts: EventData) -> n.Nomination:
    await uow.append(f"nomination:{state.nomination_id}", state.version, *facts)
    for fact in facts:
        state = state.apply(fact)
    assert state.status is not None
    await uow.conn.execute(
        "UPDATE aw_nominations SET status = $2, case_id = $3 WHERE nomination_id = $1",
        state.nomination_id,
        state.status,
        state.case_id,
    )
    return state


async def _tell_producer(
    uow: UnitOfWork, event: CloudEvent, nomination_id: str, reasons: Sequence[RejectionReason]
) -> None:
    """Also publish a refusal of a nomination on thidua.rejections, where the department's
    system listens, while the facts that led to it are kept."""
    department = topics.department_of_ingress(uow.incoming.topic) or event.department
    refusal_fact = InputRejected(
        original_id=event.id,
        original_type=event.type,
        producer=event.source,
        department=department,
        topic=uow.incoming.topic,
        partition=uow.incoming.partition,
        offset=uow.incoming.offset,
        rejected_by="awards",
        reasons=[
            x.model_copy(update={"message": f"Hồ sơ {nomination_id}: {x.message}"}) for x in reasons
        ],
    )
    await uow.append(
        f"rejection:{uow.incoming.position}/{nomination_id}", 0, refusal_fact, subject=nomination_id
    )


# --- ingress ---------------------------------------------------------------------------------


async def on_ingress(uow: UnitOfWork, event: CloudEvent, payload: EventData) -> None:
    try:
        match payload:
            case a.NominationSubmitted():
                await submit_nomination(uow, event, payload)
            case a.CouncilVoted():
                await record_vote(uow, event, payload)
            case a.DecisionIssued():
                await issue_decision(uow, event, payload)
            case a.AwardRevoked():
                await revoke_award(uow, event, payload)
            case a.ExemplaryModelChosen():
                _producer(uow, payload.department_code)
                await _record_once(uow, f"exemplary:{payload.exemplary_id}", payload)
            case a.ConferenceHeld():
                _producer(uow, payload.department_code)
                await _record_once(uow, f"conference:{payload.conference_id}", payload)
            case _:
                pass
    except n.Refused as refused:
        raise _refuse(refused.reasons) from None


async def _record_once(uow: UnitOfWork, stream: str, payload: EventData) -> None:
    if await uow.load(stream):
        raise n.Refused(refusal("already_recorded", f"Đã ghi nhận {stream} trước đó"))
    await uow.append(stream, 0, payload)


async def submit_nomination(
    uow: UnitOfWork, event: CloudEvent, dossier: a.NominationSubmitted
) -> None:
    department = _producer(uow, dossier.department_code)
    for kind, subject, field in (
        (dossier.nominee_kind, dossier.nominee_id, "nominee_id"),
        (SubjectKind.COLLECTIVE, dossier.unit_id, "unit_id"),
    ):
        if subject is None or (kind is SubjectKind.COLLECTIVE and subject == department):
            continue
        owner = await queries.department_of(uow.conn, kind, subject)
        if owner is not None and owner != department:
            raise n.Refused(
                refusal("foreign_nominee", f"{subject} thuộc Sở '{owner}', không thuộc Sở", field)
            )
    deadline = None
    if dossier.campaign_id is not None:
        found = await queries.campaign(uow.conn, dossier.campaign_id)
        if found is None:
            raise n.Refused(
                refusal(
                    "unknown_campaign",
                    f"Chưa có phong trào thi đua {dossier.campaign_id} trong danh mục",
                    "campaign_id",
                )
            )
        owner, campaign = found
        if owner != department or campaign.year != dossier.year:
            raise n.Refused(
                refusal(
                    "campaign_mismatch",
                    f"Phong trào {dossier.campaign_id} là của Sở '{owner}' năm {campaign.year}",
                    "campaign_id",
                )
            )
        deadline = campaign.dossier_deadline
    await _lock_department(uow, department)
    state = await _load(uow, dossier.nomination_id)
    facts = n.submit(
        state,
        dossier,
        dossier_deadline=deadline,
        open_case=await queries.open_case(uow.conn, dossier.nominee_id),
        today=_today(event),
    )
    await uow.conn.execute(
        """INSERT INTO aw_nominations (nomination_id, department_code, year, title, nominee_kind,
               nominee_id, status) VALUES ($1, $2, $3, $4, $5, $6, 'submitted')
           ON CONFLICT (nomination_id) DO UPDATE SET year = $3, title = $4, nominee_kind = $5,
               nominee_id = $6""",
        dossier.nomination_id,
        department,
        dossier.year,
        dossier.title,
        dossier.nominee_kind,
        dossier.nominee_id,
    )
    await _append(uow, state, *facts)
    for fact in facts:
        if isinstance(fact, a.NominationReturned):
            await _tell_producer(uow, event, dossier.nomination_id, fact.reasons)


async def record_vote(uow: UnitOfWork, event: CloudEvent, vote: a.CouncilVoted) -> None:
    department = _producer(uow, vote.department_code)
    stream = f"council:{vote.session_id}"
    if await uow.load(stream):
        raise n.Refused(
            refusal("session_exists", f"Phiên họp {vote.session_id} đã được ghi nhận", "session_id")
        )
    await _lock_department(uow, department)
    reasons: list[RejectionReason] = []
    states: list[n.Nomination] = []
    for i, ballot in enumerate(vote.results):
        state = await _load(uow, ballot.nomination_id)
        problems = n.open_for_vote(state) or _same_department(state, department)
        reasons += [x.model_copy(update={"field": f"results[{i}]"}) for x in problems]
        states.append(state)
    for state in states:
        assert state.dossier is not None or reasons
    if not reasons:
        years = {s.dossier.year for s in states if s.dossier is not None}
        for year in sorted(years):
            params = rule_set_for_year(year).params
            reasons += council_may_decide(
                vote.council_level, vote.members_total, vote.members_present, params
            )
    if reasons:
        raise n.Refused(reasons)
    await uow.append(stream, 0, vote)
    for ballot, state in zip(vote.results, states, strict=True):
        await uow.conn.execute(
            """INSERT INTO aw_ballots (nomination_id, session_id, council_level, members_total,
                   members_present, yes_votes, session_on) VALUES ($1, $2, $3, $4, $5, $6, $7)""",
            ballot.nomination_id,
            vote.session_id,
            vote.council_level,
            vote.members_total,
            vote.members_present,
            ballot.yes_votes,
            vote.session_on,
        )
        assert state.dossier is not None
        rule_set = rule_set_for_year(state.dossier.year)
        failed = judge(await queries.facts_for(uow.conn, state.dossier), rule_set).reasons
        below = [x for x in failed if x.code == "awards.vote_below_threshold"]
        if below:
            await _append(
                uow,
                state,
                a.NominationRejected(
                    nomination_id=state.nomination_id,
                    rejected_on=vote.session_on,
                    reasons=below,
                    rule_set=rule_set.name,
                ),
            )
            await _tell_producer(uow, event, state.nomination_id, below)


def _same_department(state: n.Nomination, department: str) -> list[RejectionReason]:
    if state.dossier is None or state.dossier.department_code == department:
        return []
    return refusal(
        "foreign_nomination",
        f"Hồ sơ {state.nomination_id} thuộc Sở '{state.dossier.department_code}'",
        "nomination_ids",
    )


async def issue_decision(uow: UnitOfWork, event: CloudEvent, decision: a.DecisionIssued) -> None:
    department = _producer(uow, decision.department_code)
    stream = f"decision:{decision.decision_id}"
    if await uow.load(stream):
        raise n.Refused(
            refusal(
                "decision_exists", f"Quyết định {decision.number} đã được ghi nhận", "decision_id"
            )
        )
    await _lock_department(uow, department)
    reasons: list[RejectionReason] = []
    states: dict[str, n.Nomination] = {}
    for i, nomination_id in enumerate(dict.fromkeys(decision.nomination_ids)):
        state = await _load(uow, nomination_id)
        field = f"nomination_ids[{i}]"
        problems = n.open_for_decision(state) or _same_department(state, department)
        if not problems and state.dossier is not None:
            problems = signer_may_decide(
                decision.authority, state.dossier.title, state.dossier.conferring_level, field
            )
        reasons += [x.model_copy(update={"field": field}) for x in problems]
        states[nomination_id] = state
    if reasons:
        raise n.Refused(reasons)
    await uow.append(stream, 0, decision)
    candidates = []
    for state in states.values():
        assert state.dossier is not None
        candidates.append(
            Candidate(
                nomination_id=state.nomination_id,
                title=state.dossier.title,
                vote_share=queries.vote_share(
                    await queries.latest_ballot(uow.conn, state.nomination_id)
                ),
                woman=await queries.woman_priority(uow.conn, state.dossier),
            )
        )
    for candidate in award_order(candidates):
        state = states[candidate.nomination_id]
        assert state.dossier is not None
        verdict = judge(
            await queries.facts_for(uow.conn, state.dossier), rule_set_for_year(state.dossier.year)
        )
        outcome = n.conclude(state, decision, verdict)
        await _append(uow, state, outcome)
        if isinstance(outcome, a.NominationApproved):
            await _record_title(uow, state.dossier, outcome)
        else:
            await _tell_producer(uow, event, state.nomination_id, verdict.reasons)


async def _record_title(
    uow: UnitOfWork, dossier: a.NominationSubmitted, approved: a.NominationApproved
) -> None:
    await uow.conn.execute(
        """INSERT INTO aw_titles (nomination_id, department_code, nominee_kind, nominee_id, year,
               title, method, achievement, decision_id, decision_date, cash_vnd)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        dossier.nomination_id,
        dossier.department_code,
        dossier.nominee_kind,
        dossier.nominee_id,
        dossier.year,
        dossier.title,
        dossier.method,
        dossier.achievement,
        approved.decision_id or approved.decision_number,
        approved.decision_date,
        approved.cash_vnd,
    )
    for initiative_id in dossier.evidence.initiative_ids:
        await uow.conn.execute(
            """INSERT INTO aw_initiative_uses (initiative_id, nomination_id) VALUES ($1, $2)
               ON CONFLICT (initiative_id) DO NOTHING""",
            initiative_id,
            dossier.nomination_id,
        )


async def revoke_award(uow: UnitOfWork, event: CloudEvent, revocation: a.AwardRevoked) -> None:
    department = _producer(uow, revocation.department_code)
    await _lock_department(uow, department)
    state = await _load(uow, revocation.nomination_id)
    if _same_department(state, department):
        raise n.Refused(_same_department(state, department))
    await _append(uow, state, *n.revoke(state, revocation))
    await uow.conn.execute(
        "UPDATE aw_titles SET revoked_on = $2 WHERE nomination_id = $1",
        revocation.nomination_id,
        revocation.revoked_on,
    )
    # The initiatives it used may support another award again.
    await uow.conn.execute(
        "DELETE FROM aw_initiative_uses WHERE nomination_id = $1", revocation.nomination_id
    )


# --- the registration service's facts -------------------------------------------------------


async def on_registration_fact(uow: UnitOfWork, event: CloudEvent, payload: EventData) -> None:
    await readcopy.apply(uow.conn, payload)
    if isinstance(payload, r.CaseOpened):
        await _suspend_for(uow, payload)
    elif isinstance(payload, r.CaseClosed):
        await _resume_after(uow, payload)


async def _suspend_for(uow: UnitOfWork, case: r.CaseOpened) -> None:
    rows = await uow.conn.fetch(
        """SELECT nomination_id, department_code FROM aw_nominations
           WHERE nominee_id = $1 AND status = 'submitted' ORDER BY nomination_id""",
        case.subject_id,
    )
    for row in rows:
        await _lock_department(uow, row["department_code"])
        state = await _load(uow, row["nomination_id"])
        if state.status is n.Status.SUBMITTED:
            await _append(
                uow,
                state,
                a.NominationSuspended(
                    nomination_id=state.nomination_id,
                    case_id=case.case_id,
                    suspended_on=case.opened_on,
                ),
            )


async def _resume_after(uow: UnitOfWork, closed: r.CaseClosed) -> None:
    rows = await uow.conn.fetch(
        """SELECT nomination_id, department_code FROM aw_nominations
           WHERE case_id = $1 AND status = 'suspended' ORDER BY nomination_id""",
        closed.case_id,
    )
    for row in rows:
        await _lock_department(uow, row["department_code"])
        state = await _load(uow, row["nomination_id"])
        if state.status is not n.Status.SUSPENDED or state.dossier is None:
            continue
        other = await queries.open_case(uow.conn, state.dossier.nominee_id)
        if other is not None:
            suspended = a.NominationSuspended(
                nomination_id=state.nomination_id, case_id=other, suspended_on=closed.closed_on
            )
            await _append(uow, state, suspended)
            continue
        resumed = a.NominationResumed(
            nomination_id=state.nomination_id, case_id=closed.case_id, resumed_on=closed.closed_on
        )
        await _append(uow, state, resumed)
