"""The facts one nomination is judged on, read from streams (awards' own facts, as the batch's
earlier decisions left them) and lookups (the registration service's facts), and the copies of
an award its private streams keep. No I/O: what is not loaded yet is asked for (``Missing``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from contracts.awards import (
    AwardRevoked,
    CouncilVoted,
    DecisionIssued,
    NominationApproved,
    NominationSubmitted,
)
from contracts.common import AwardMethod, Sex, SubjectKind, TitleCode
from services.awards import aggregates as agg
from services.awards import streams
from services.awards.domain.facts import (
    Ballot,
    Facts,
    HeldTitle,
    Initiative,
    Member,
    Quota,
    Research,
)
from services.awards.readmodels import lookups as lk
from services.awards.workspace import Workspace, require


def _kind(dossier: NominationSubmitted) -> str:
    return SubjectKind(dossier.nominee_kind).value


def _is_person(dossier: NominationSubmitted) -> bool:
    return dossier.nominee_kind is SubjectKind.INDIVIDUAL


def prefetch(ws: Workspace, dossiers: Sequence[NominationSubmitted]) -> None:
    """Ask at once for what judging ``dossiers`` reads. A collective's members come with its
    nomination (``NOMINATION_MEMBERS``, asked with the nominations), so their titles are asked
    here too; only a collective nominated in the same batch takes a round more."""
    stream_ids: list[str] = []
    keys: dict[str, list[object]] = {name: [] for name in lk.LOOKUPS}
    for d in dossiers:
        nominee, kind, year = d.nominee_id, _kind(d), d.year
        stream_ids += [streams.ballots(d.nomination_id), streams.titles(nominee)]
        stream_ids += [streams.quota(d.department_code, year, t) for t in streams.QUOTA_TITLES]
        stream_ids += [streams.initiative_use(i) for i in d.evidence.initiative_ids]
        keys[lk.REGISTERED].append((d.campaign_id or "", year, kind, nominee))
        keys[lk.RATING] += [(kind, nominee, year), (kind, nominee, year - 1)]
        keys[lk.DISCIPLINES].append(nominee)
        keys[lk.OPEN_CASE].append(nominee)
        keys[lk.BLOC_LEADER].append((year, nominee))
        keys[lk.INITIATIVE] += d.evidence.initiative_ids
        keys[lk.RESEARCH] += d.evidence.research_ids
        if d.campaign_id:
            keys[lk.CAMPAIGN].append(d.campaign_id)
        if _is_person(d):
            keys[lk.PERSON].append(nominee)
            continue
        known = _known_members(ws, d)
        if known is None:
            keys[lk.MEMBERS].append((nominee, year))
        else:
            stream_ids += [streams.titles(m.person_id) for m in known]
    require(ws.cmd, stream_ids, {name: k for name, k in keys.items() if k})
    later: list[str] = []
    for d in dossiers:
        if not _is_person(d):
            later += [streams.titles(m.person_id) for m in _members_of(ws, d)]
        if d.method is not AwardMethod.REGULAR:
            later += [streams.nomination(t.nomination_id) for t in _achievements_needed(ws, d)]
    require(ws.cmd, later)


def _known_members(ws: Workspace, dossier: NominationSubmitted) -> tuple[Member, ...] | None:
    """The members that came with the nomination, if they are of this dossier's unit and year."""
    found = ws.lookup(lk.NOMINATION_MEMBERS, dossier.nomination_id)
    if found is None or (found[0], found[1]) != (dossier.nominee_id, dossier.year):
        return None
    members: tuple[Member, ...] = found[2]
    return members


def _members_of(ws: Workspace, dossier: NominationSubmitted) -> tuple[Member, ...]:
    known = _known_members(ws, dossier)
    if known is not None:
        return known
    found: tuple[Member, ...] | None = ws.lookup(lk.MEMBERS, (dossier.nominee_id, dossier.year))
    return found or ()


def _achievements_needed(ws: Workspace, dossier: NominationSubmitted) -> list[HeldTitle]:
    """Held titles rule 11 compares by achievement (same title, year and method)."""
    return [
        t
        for t in ws.state(streams.titles(dossier.nominee_id), agg.TITLES)
        if t.title == dossier.title and t.year == dossier.year and t.method == dossier.method
    ]


def _titles(ws: Workspace, dossier: NominationSubmitted) -> tuple[HeldTitle, ...]:
    held = ws.state(streams.titles(dossier.nominee_id), agg.TITLES)
    if dossier.method is not AwardMethod.REGULAR:
        wanted = {t.nomination_id for t in _achievements_needed(ws, dossier)}
        held = tuple(
            replace(t, achievement=_achievement(ws, t.nomination_id))
            if t.nomination_id in wanted
            else t
            for t in held
        )
    return tuple(sorted(held, key=lambda t: (t.year, t.nomination_id)))


def _achievement(ws: Workspace, nomination_id: str) -> str | None:
    dossier = ws.state(streams.nomination(nomination_id), agg.NOMINATION).dossier
    return dossier.achievement if dossier is not None else None


def _holds(ws: Workspace, person_id: str, title: TitleCode, year: int) -> bool:
    """An unrevoked title of the year, whatever the method (a member's LĐTT, CSTĐCS)."""
    return any(
        t.title == title and t.year == year and not t.revoked
        for t in ws.state(streams.titles(person_id), agg.TITLES)
    )


def ballot(ws: Workspace, nomination_id: str) -> Ballot | None:
    return ws.state(streams.ballots(nomination_id), agg.BALLOTS).ballot


def facts_for(ws: Workspace, dossier: NominationSubmitted) -> Facts:
    nominee, kind, year = dossier.nominee_id, _kind(dossier), dossier.year
    person = ws.lookup(lk.PERSON, nominee) if _is_person(dossier) else None
    found = ws.lookup(lk.CAMPAIGN, dossier.campaign_id) if dossier.campaign_id else None
    members: tuple[Member, ...] = ()
    if not _is_person(dossier):
        members = tuple(
            replace(
                m,
                ldtt=_holds(ws, m.person_id, TitleCode.LDTT, year),
                cstdcs=_holds(ws, m.person_id, TitleCode.CSTDCS, year),
            )
            for m in _members_of(ws, dossier)
        )
    initiatives = []
    for initiative_id in dossier.evidence.initiative_ids:
        known = ws.lookup(lk.INITIATIVE, initiative_id)
        used_by = ws.state(streams.initiative_use(initiative_id), agg.INITIATIVE_USE)
        base = known if known is not None else Initiative(initiative_id=initiative_id)
        initiatives.append(replace(base, used_by=used_by))
    research = [
        ws.lookup(lk.RESEARCH, i) or Research(research_id=i) for i in dossier.evidence.research_ids
    ]
    quota = {
        t: ws.state(streams.quota(dossier.department_code, year, t), agg.QUOTA)
        for t in streams.QUOTA_TITLES
    }
    return Facts(
        dossier=dossier,
        registered=bool(ws.lookup(lk.REGISTERED, (dossier.campaign_id or "", year, kind, nominee))),
        campaign=found[1] if found else None,
        rating=ws.lookup(lk.RATING, (kind, nominee, year)),
        previous_rating=ws.lookup(lk.RATING, (kind, nominee, year - 1)),
        nominee_name=person[0] if person else None,
        nominee_sex=person[1] if person else None,
        initiatives=tuple(initiatives),
        research=tuple(research),
        titles=_titles(ws, dossier),
        members=members,
        disciplines=ws.lookup(lk.DISCIPLINES, nominee) or (),
        open_case=ws.lookup(lk.OPEN_CASE, nominee),
        ballot=ballot(ws, dossier.nomination_id),
        bloc_leader=bool(ws.lookup(lk.BLOC_LEADER, (year, nominee))),
        quota=Quota(ldtt=quota[TitleCode.LDTT], cstdcs=quota[TitleCode.CSTDCS]),
    )


def woman_priority(ws: Workspace, dossier: NominationSubmitted) -> bool:
    """A woman, or a collective with at least 70% women (Quy tắc 20)."""
    if _is_person(dossier):
        person = ws.lookup(lk.PERSON, dossier.nominee_id)
        return person is not None and person[1] == Sex.FEMALE
    members = _members_of(ws, dossier)
    women = sum(m.sex is Sex.FEMALE for m in members)
    return bool(members) and women * 10 >= 7 * len(members)


def keep_ballot(ws: Workspace, vote: CouncilVoted, index: int) -> None:
    """The nomination's result in this session, kept in its ballots stream."""
    one = vote.model_copy(update={"results": [vote.results[index]]})
    ws.emit(streams.ballots(vote.results[index].nomination_id), agg.BALLOTS, one)


def keep_award(ws: Workspace, dossier: NominationSubmitted, approved: NominationApproved) -> None:
    """An award counts from now: for the nominee's chains, the department's count of the title
    in the year (recorded by ``keep_counts`` once per decision), and the initiatives it used
    (a first use only)."""
    ws.emit(streams.titles(dossier.nominee_id), agg.TITLES, approved)
    if dossier.title in streams.QUOTA_TITLES:
        ws.see(
            streams.quota(dossier.department_code, dossier.year, dossier.title), agg.QUOTA, approved
        )
    for initiative_id in _unused(ws, dossier.evidence.initiative_ids):
        ws.emit(streams.initiative_use(initiative_id), agg.INITIATIVE_USE, approved)


def keep_counts(
    ws: Workspace, decision: DecisionIssued, awarded: Sequence[NominationApproved]
) -> None:
    """The decision's awards of each counted title, one copy of the decision per count."""
    by_count: dict[str, list[str]] = {}
    for approved in awarded:
        if approved.title in streams.QUOTA_TITLES:
            count = streams.quota(approved.department_code, approved.year, approved.title)
            by_count.setdefault(count, []).append(approved.nomination_id)
    for count, ids in by_count.items():
        ws.emit(count, None, decision.model_copy(update={"nomination_ids": ids}))


def _unused(ws: Workspace, initiative_ids: Iterable[str]) -> list[str]:
    return [
        i
        for i in dict.fromkeys(initiative_ids)
        if ws.state(streams.initiative_use(i), agg.INITIATIVE_USE) is None
    ]


def revoke_award(ws: Workspace, dossier: NominationSubmitted, revoked: AwardRevoked) -> None:
    """A revoked title no longer counts, and frees the initiatives it used."""
    ws.emit(streams.titles(dossier.nominee_id), agg.TITLES, revoked)
    if dossier.title in streams.QUOTA_TITLES:
        quota = streams.quota(dossier.department_code, dossier.year, dossier.title)
        ws.emit(quota, agg.QUOTA, revoked)
    for initiative_id in dict.fromkeys(dossier.evidence.initiative_ids):
        use = streams.initiative_use(initiative_id)
        if ws.state(use, agg.INITIATIVE_USE) == dossier.nomination_id:
            ws.emit(use, agg.INITIATIVE_USE, revoked)


def vote_share(ballot: Ballot | None) -> Fraction | None:
    return None if ballot is None else Fraction(ballot.yes_votes, ballot.members_total)
