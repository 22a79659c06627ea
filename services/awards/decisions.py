"""Awards' decisions on what a department submits: dossiers, council votes, award decisions,
revocations, exemplary models and conferences. Each is pure: it reads streams and lookups
through a :class:`Workspace` and returns the facts to append, or raises a refusal. The
department rule (the payload's department is the ingress topic's) is the kernel's, from the
table in ``handlers.py``; whose a named campaign or dossier is, ``senders.py``; the nominations
refused while an input's facts are kept are told to the producer by ``refusals.py``.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone
from typing import Any

from contracts import awards as a
from contracts.common import RejectionReason, SubjectKind
from services.awards import aggregates as agg
from services.awards import boards, funds, judging, streams
from services.awards.domain import nomination as n
from services.awards.domain.facts import Facts
from services.awards.readmodels import lookups as lk
from services.awards.refusals import Refusals, tell_producer
from services.awards.rules import judge, rule_set_for_year
from services.awards.rules.authority import signer_may_decide
from services.awards.rules.base import as_reasons
from services.awards.rules.procedure import Candidate, award_order, council_may_decide
from services.awards.senders import departments_campaign, departments_nomination, may_act
from services.awards.successors import acts_for
from services.awards.workspace import Folds, Workspace, require
from thidua.es.decider import Command, Emit
from thidua.es.rejections import Refused, refuse

VIETNAM = timezone(timedelta(hours=7))


def _today(cmd: Command[Any]) -> date:
    return cmd.event.time.astimezone(VIETNAM).date()


def _once(
    ws: Workspace, stream: str, code: str, message: str, field: str | None = "session_id"
) -> None:
    """Sessions and decisions are recorded once."""
    if ws.state(stream, agg.RECORDED):
        raise refuse(code, message, field)


def submit_nomination(cmd: Command[a.NominationSubmitted], folds: Folds) -> list[Emit]:
    """Quy tắc 3 and 18 at reception: late dossiers are returned, those under a case suspended."""
    dossier = cmd.payload
    department = dossier.department_code
    subjects = [
        (SubjectKind(kind).value, subject, field)
        for kind, subject, field in (
            (dossier.nominee_kind, dossier.nominee_id, "nominee_id"),
            (SubjectKind.COLLECTIVE, dossier.unit_id, "unit_id"),
        )
        if subject is not None and not (kind is SubjectKind.COLLECTIVE and subject == department)
    ]
    nomination = streams.nomination(dossier.nomination_id)
    require(
        cmd,
        [nomination],
        {
            lk.SUBJECT_DEPARTMENT: [(kind, subject) for kind, subject, _ in subjects],
            lk.OPEN_CASE: [dossier.nominee_id],
            lk.CAMPAIGN: [dossier.campaign_id] if dossier.campaign_id else [],
        },
    )
    day = dossier.received_on
    for kind, subject, field in subjects:
        owner = cmd.lookup(lk.SUBJECT_DEPARTMENT, (kind, subject))
        if owner is not None and not acts_for(cmd, department, owner, (kind, subject), day):
            raise refuse(
                "awards.foreign_nominee", f"{subject} thuộc Sở '{owner}', không thuộc Sở", field
            )
    deadline = None
    if dossier.campaign_id is not None:
        campaign = departments_campaign(cmd, dossier.campaign_id, day, dossier.year)
        deadline = campaign.dossier_deadline
    ws = Workspace(cmd, folds)
    facts = n.submit(
        ws.state(nomination, agg.NOMINATION),
        dossier,
        dossier_deadline=deadline,
        open_case=cmd.lookup(lk.OPEN_CASE, dossier.nominee_id),
        today=_today(cmd),
    )
    returned = [f for f in facts if isinstance(f, a.NominationReturned)]
    forwarded = None if returned else boards.forward(cmd, dossier)
    if forwarded is not None:
        facts.append(forwarded)
    if returned:
        require(cmd, [streams.nominations_refused(cmd.incoming.position)])
    ws.emit(nomination, agg.NOMINATION, *facts)
    tell_producer(ws, [(dossier.nomination_id, f.reasons) for f in returned])
    return ws.emits


def record_vote(cmd: Command[a.CouncilVoted], folds: Folds) -> list[Emit]:
    """Quy tắc 16 (quorum of a provincial council) refuses the session; a nomination below
    its vote threshold (Quy tắc 15) is rejected at the vote."""
    vote = cmd.payload
    ids = [b.nomination_id for b in vote.results]
    position = cmd.incoming.position
    session = streams.council(vote.session_id)
    require(
        cmd,
        [
            session,
            *(streams.nomination(i) for i in ids),
            *(streams.ballots(i) for i in ids),
            streams.nominations_refused(position),
        ],
    )
    ws = Workspace(cmd, folds)
    _once(ws, session, "awards.session_exists", f"Phiên họp {vote.session_id} đã được ghi nhận")
    reasons: list[RejectionReason] = []
    states: list[n.Nomination] = []
    for i, nomination_id in enumerate(ids):
        state = ws.state(streams.nomination(nomination_id), agg.NOMINATION)
        problems = n.open_for_vote(state) or may_act(
            cmd, state, vote.department_code, vote.session_on
        )
        item = {"field": f"results[{i}]", "item": nomination_id}
        reasons += [x.model_copy(update=item) for x in problems]
        states.append(state)
    reasons += boards.board_council(vote)
    if not reasons:
        for year in sorted({s.dossier.year for s in states if s.dossier is not None}):
            params = rule_set_for_year(year).params
            reasons += council_may_decide(
                vote.council_level, vote.members_total, vote.members_present, params
            )
    if reasons:
        raise Refused(as_reasons(reasons))
    ws.emit(session, agg.RECORDED, vote)
    refused: Refusals = []
    for i, state in enumerate(states):
        assert state.dossier is not None
        judging.keep_ballot(ws, vote, i)
        rule_set = rule_set_for_year(state.dossier.year)
        ballot = judging.ballot(ws, state.nomination_id)
        failed = judge(Facts(dossier=state.dossier, ballot=ballot), rule_set).reasons
        below = [x for x in failed if x.code == "awards.vote_below_threshold"]
        result = a.NominationVoted(
            nomination_id=state.nomination_id,
            session_id=vote.session_id,
            department_code=vote.department_code,
            council_level=vote.council_level,
            members_total=vote.members_total,
            members_present=vote.members_present,
            yes_votes=vote.results[i].yes_votes,
            threshold_percent=rule_set.params.vote_threshold_percent.get(state.dossier.title),
            reached=not below,
            voted_on=vote.session_on,
            expected_cash_vnd=None
            if below
            else funds.expected_cash(state.dossier.title, vote.session_on),
        )
        ws.emit(streams.nomination(state.nomination_id), agg.NOMINATION, result)
        if below:
            rejected = a.NominationRejected(
                nomination_id=state.nomination_id,
                rejected_on=vote.session_on,
                reasons=below,
                rule_set=rule_set.name,
            )
            ws.emit(streams.nomination(state.nomination_id), agg.NOMINATION, rejected)
            refused.append((state.nomination_id, below))
    tell_producer(ws, refused)
    return ws.emits


def issue_decision(cmd: Command[a.DecisionIssued], folds: Folds) -> list[Emit]:
    """Every rule in force at the decision, nominations judged in prerequisite order, then by
    vote share, women first on a tie (Quy tắc 20); a signer above their authority (Quy tắc 22)
    has the whole decision refused."""
    decision = cmd.payload
    ids = list(dict.fromkeys(decision.nomination_ids))
    position = cmd.incoming.position
    recorded = streams.decision(decision.decision_id)
    require(
        cmd,
        [
            recorded,
            funds.fund_stream(decision),
            *(streams.nomination(i) for i in ids),
            streams.nominations_refused(position),
        ],
        {lk.NOMINATION_MEMBERS: ids},
    )
    ws = Workspace(cmd, folds)
    message = f"Quyết định {decision.number} đã được ghi nhận"
    _once(ws, recorded, "awards.decision_exists", message, "decision_id")
    reasons: list[RejectionReason] = []
    dossiers: list[a.NominationSubmitted] = []
    for i, nomination_id in enumerate(ids):
        state = ws.state(streams.nomination(nomination_id), agg.NOMINATION)
        field = f"nomination_ids[{i}]"
        problems = n.open_for_decision(state) or may_act(
            cmd, state, decision.department_code, decision.issued_on
        )
        if not problems and state.dossier is not None:
            problems = signer_may_decide(
                decision.authority, state.dossier.title, state.dossier.conferring_level, field
            )
        reasons += [x.model_copy(update={"field": field, "item": nomination_id}) for x in problems]
        if state.dossier is not None:
            dossiers.append(state.dossier)
    if reasons:
        raise Refused(as_reasons(reasons))
    judging.prefetch(ws, dossiers)
    ws.emit(recorded, agg.RECORDED, decision)
    by_id = {d.nomination_id: d for d in dossiers}
    candidates = [
        Candidate(
            nomination_id=d.nomination_id,
            title=d.title,
            vote_share=judging.vote_share(judging.ballot(ws, d.nomination_id)),
            woman=judging.woman_priority(ws, d),
        )
        for d in dossiers
    ]
    awarded: list[a.NominationApproved] = []
    refused: Refusals = []
    for candidate in award_order(candidates):
        dossier = by_id[candidate.nomination_id]
        stream = streams.nomination(dossier.nomination_id)
        verdict = judge(judging.facts_for(ws, dossier), rule_set_for_year(dossier.year))
        outcome = n.conclude(ws.state(stream, agg.NOMINATION), decision, verdict)
        ws.emit(stream, agg.NOMINATION, outcome)
        if isinstance(outcome, a.NominationApproved):
            judging.keep_award(ws, dossier, outcome)
            awarded.append(outcome)
        else:
            refused.append((dossier.nomination_id, verdict.reasons))
    order = {nomination_id: i for i, nomination_id in enumerate(ids)}
    tell_producer(ws, sorted(refused, key=lambda r: order[r[0]]))
    judging.keep_counts(ws, decision, awarded)
    funds.draw(ws, decision, awarded)
    return ws.emits


def revoke_award(cmd: Command[a.AwardRevoked], folds: Folds) -> list[Emit]:
    """Quy tắc 24: the title no longer counts; the initiatives it used are free again; the
    cash it drew on a fund goes back to that fund."""
    revocation = cmd.payload
    ws, stream, state = departments_nomination(
        cmd, revocation.nomination_id, revocation.revoked_on, folds
    )
    facts = n.revoke(state, revocation)
    dossier = state.dossier
    assert dossier is not None
    quotas = [streams.quota(dossier.department_code, dossier.year, t) for t in streams.QUOTA_TITLES]
    uses = [streams.initiative_use(i) for i in dossier.evidence.initiative_ids]
    require(cmd, [streams.titles(dossier.nominee_id), *quotas, *uses])
    award = state.approval
    ws.emit(stream, agg.NOMINATION, *facts)
    judging.revoke_award(ws, dossier, revocation)
    funds.recover(ws, award, revocation)
    return ws.emits


def import_award(cmd: Command[a.AwardImported], folds: Folds) -> list[Emit]:
    """A title from the department's records before the system: its nominee must be the
    department's, the record new, and the nominee must not hold the title for that year
    already (rule 11); then it counts in the chains like an approval."""
    record = cmd.payload
    stream = streams.nomination(record.nomination_id)
    kind = SubjectKind(record.nominee_kind).value
    require(
        cmd,
        [stream, streams.titles(record.nominee_id)],
        {lk.SUBJECT_DEPARTMENT: [(kind, record.nominee_id)]},
    )
    owner = cmd.lookup(lk.SUBJECT_DEPARTMENT, (kind, record.nominee_id))
    if owner is None:
        raise refuse(
            "awards.unknown_nominee",
            f"Chưa có {record.nominee_id} trong danh mục cán bộ, đơn vị",
            "nominee_id",
        )
    subject = (kind, record.nominee_id)
    if not acts_for(cmd, record.department_code, owner, subject, record.decision_date):
        raise refuse(
            "awards.foreign_nominee",
            f"{record.nominee_id} thuộc Sở '{owner}', không thuộc Sở",
            "nominee_id",
        )
    if record.decision_date > _today(cmd):
        raise refuse(
            "awards.decision_in_future",
            f"Ngày quyết định {record.decision_date:%d/%m/%Y} chưa đến",
            "decision_date",
        )
    ws = Workspace(cmd, folds)
    held = ws.state(streams.titles(record.nominee_id), agg.TITLES)
    if any(t.title == record.title and t.year == record.year and not t.revoked for t in held):
        raise refuse(
            "awards.title_already_held",
            f"{record.nominee_id} đã có danh hiệu {record.title} năm {record.year}",
            "title",
        )
    if ws.state(stream, agg.NOMINATION).version:
        raise refuse(
            "awards.already_recorded",
            f"Đã có hồ sơ hoặc bản ghi {record.nomination_id}",
            "nomination_id",
        )
    ws.emit(stream, agg.NOMINATION, record)
    ws.emit(streams.titles(record.nominee_id), agg.TITLES, record)
    return ws.emits


def record_once(ws: Workspace, stream: str) -> list[Emit]:
    """An exemplary model or a conference: recorded once."""
    if ws.state(stream, agg.RECORD).recorded is not None:
        raise refuse("awards.already_recorded", f"Đã ghi nhận {stream} trước đó")
    ws.emit(stream, agg.RECORD, ws.cmd.payload)
    return ws.emits


def choose_exemplary(cmd: Command[a.ExemplaryModelChosen], folds: Folds) -> list[Emit]:
    stream = streams.exemplary(cmd.payload.exemplary_id)
    require(cmd, [stream])
    return record_once(Workspace(cmd, folds), stream)
