"""The provincial board's part of the scenario (issue 17, item 3): in Gia Lai, a department's
CSTĐ tỉnh dossier for 2018 is forwarded to the province's board (Ban Thi đua - Khen thưởng
tỉnh), whose council (HĐTĐKT tỉnh) votes on it and whose chair (Chủ tịch UBND tỉnh) decides,
on the board's own ingress (``gia-lai-board``); and the province's flag goes to the leader of
the bloc the board ranked.

The nominee is the first person (by id) awarded CSTĐCS in 2018 by the main year's decisions in
the first of Gia Lai's departments that awarded one; the department imports their CSTĐCS of
2016 and 2017 from its records (``AwardImported``: the three consecutive years of DOMAIN rule
8), records a research topic of province scope accepted in 2018 (the evidence CSTĐ tỉnh needs)
and records them as a direct worker. Gia Lai's departments form a bloc; the first nominates
itself for the flag. Three phases after the existing ones: the dossiers (and what they rest
on), absorbed by registration and awards; the board's ranking of the bloc, absorbed by
registration (and awards' read copy); the council's session and the chair's decision. Nothing
is drawn at random: every earlier event keeps its id and contents, and ``Scenario.main_year``
is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from contracts import awards as a
from contracts import registration as r
from contracts import topics
from scenarios.builder import Builder, Member, Submission, awards_fact, registration_fact
from scenarios.directory import DepartmentSpec

YEAR = 2018
DOSSIER = "Ban Thi đua - Khen thưởng tỉnh: hồ sơ Chiến sĩ thi đua tỉnh, Cờ thi đua năm 2018"
RANKING = "Ban Thi đua - Khen thưởng tỉnh xếp hạng khối thi đua năm 2018"
DECISION = "Hội đồng Thi đua - Khen thưởng tỉnh bỏ phiếu, Chủ tịch UBND tỉnh quyết định"
COUNCIL_MEMBERS = 11
COUNCIL_PRESENT = 10  # 91% attendance (rule 16: at least 80%)
YES_VOTES = 10  # 10 of all 11 members: 90.9% (rule 15: CSTĐ tỉnh needs 90%)
RECEIVED_ON = date(YEAR, 12, 7)
SESSION_ON = date(YEAR, 12, 27)
DECIDED_ON = date(YEAR, 12, 28)


def nominee(people: Sequence[Member]) -> Member | None:
    """The first person awarded CSTĐCS in the main year."""
    return next((p for p in sorted(people, key=lambda p: p.person_id) if p.cstdcs), None)


def forwarded_dossier(b: Builder, spec: DepartmentSpec, people: Sequence[Member]) -> str | None:
    """The department's CSTĐ tỉnh dossier and what it rests on; returns its id (None: the
    department awarded no CSTĐCS, so there is nobody to nominate)."""
    person = nominee(people)
    if person is None:
        return None
    code = b.code(spec.code)
    # Recorded as a direct worker (người trực tiếp công tác) from 01/01/2018: their awards of
    # the year count in the direct workers' share (LĐTT, CSTĐCS and CSTĐ tỉnh).
    role = registration_fact(
        "PersonRoleChanged",
        person_id=person.person_id,
        position="Kiểm soát viên thị trường",
        is_leader=person.is_leader,
        is_direct_worker=True,
        effective_on=date(YEAR, 1, 1),
    )
    b.emit(code, role, f"role:{person.person_id}/{YEAR}", date(YEAR, 12, 1))
    b.expect(code).direct_worker_awards += 3
    for year in (YEAR - 2, YEAR - 1):
        imported = awards_fact(
            "AwardImported",
            nomination_id=f"{person.person_id}/import/{year}-cstdcs",
            department_code=code,
            year=year,
            title="CSTDCS",
            nominee_kind="individual",
            nominee_id=person.person_id,
            unit_id=person.unit_id,
            decision_number=f"{200 + year % 100}/QĐ-{spec.abbreviation}",
            decision_date=date(year, 12, 20),
        )
        b.emit(code, imported, f"import:{person.person_id}/{year}", date(YEAR, 12, 1))
    research_id = f"{person.person_id}/dt-{YEAR}"
    accepted = registration_fact(
        "ResearchAccepted",
        research_id=research_id,
        department_code=code,
        unit_id=person.unit_id,
        title="Giải pháp nâng cao hiệu quả quản lý nhà nước trên địa bàn tỉnh",
        authors=[{"person_id": person.person_id, "full_name": person.full_name}],
        level="ministry_province",
        accepted_on=date(YEAR, 11, 15),
    )
    b.emit(code, accepted, f"research:{research_id}", date(YEAR, 11, 15))
    campaign = f"{code}/{YEAR}/phat-dong"
    nomination_id = f"{person.person_id}/{YEAR}/cstd_bo_tinh"
    dossier = awards_fact(
        "NominationSubmitted",
        nomination_id=nomination_id,
        department_code=code,
        campaign_id=campaign,
        year=YEAR,
        title="CSTD_BO_TINH",
        conferring_level="province",
        nominee_kind="individual",
        nominee_id=person.person_id,
        unit_id=person.unit_id,
        evidence={"htxsnv": person.rating == "excellent", "research_ids": [research_id]},
        received_on=RECEIVED_ON,
    )
    b.emit(code, dossier, f"nomination:{nomination_id}", RECEIVED_ON, minute=1)
    expect = b.expect(code)
    expect.dossiers["received"] += 1
    expect.award("CSTD_BO_TINH", person.sex, person.is_leader)
    return nomination_id


def bloc_flag(b: Builder, specs: Sequence[DepartmentSpec]) -> tuple[str, str]:
    """Gia Lai's departments form an emulation bloc (the first of them sends it) and the first
    nominates itself for the province's flag of 2018 (Cờ thi đua tỉnh); returns (the bloc's id,
    the flag's nomination id). The board ranks the bloc later (``bloc_ranking``)."""
    leader = b.code(specs[0].code)
    bloc_id = f"{leader}/khoi-so-nganh-{YEAR}"
    formed = registration_fact(
        "BlocFormed",
        bloc_id=bloc_id,
        name="Khối thi đua các sở, ngành kinh tế tỉnh",
        organiser={"name": "Ủy ban nhân dân tỉnh Gia Lai", "abbreviation": "UBND"},
        level="province",
        members=[{"member_kind": "department", "member_id": b.code(s.code)} for s in specs],
        formed_on=date(YEAR - 2, 1, 4),
    )
    b.emit(leader, formed, f"bloc:{bloc_id}", date(YEAR - 2, 1, 4))
    nomination_id = f"{leader}/{YEAR}/co_thi_dua"
    flag = awards_fact(
        "NominationSubmitted",
        nomination_id=nomination_id,
        department_code=leader,
        campaign_id=f"{leader}/{YEAR}/phat-dong",
        year=YEAR,
        title="CO_THI_DUA",
        conferring_level="province",
        nominee_kind="collective",
        nominee_id=leader,
        achievement="Trưởng khối thi đua các sở, ngành kinh tế tỉnh năm 2018",
        received_on=RECEIVED_ON,
    )
    b.emit(leader, flag, f"nomination:{nomination_id}", RECEIVED_ON, minute=2)
    expect = b.expect(leader)
    expect.dossiers["received"] += 1
    expect.award("CO_THI_DUA", None, None)
    return bloc_id, nomination_id


def bloc_ranking(b: Builder, province: str, bloc_id: str, specs: Sequence[DepartmentSpec]) -> None:
    """The board's ranking of the bloc for 2018: the first department leads it (rule 14)."""
    ranking = registration_fact(
        "BlocRanked",
        bloc_id=bloc_id,
        year=YEAR,
        ranked_on=date(YEAR, 12, 15),
        ranking=[
            {
                "member_kind": "department",
                "member_id": b.code(spec.code),
                "rank": rank,
                "score": 98 - 3 * rank,
            }
            for rank, spec in enumerate(specs, start=1)
        ],
    )
    b.emit(topics.board(province), ranking, f"bloc-ranking:{bloc_id}/{YEAR}", date(YEAR, 12, 15))


def council_and_decision(b: Builder, province: str, nomination_ids: Sequence[str]) -> None:
    """The provincial council's session and the chair's decision, on the board's ingress."""
    if not nomination_ids:
        return
    board = topics.board(province)
    vote = awards_fact(
        "CouncilVoted",
        session_id=f"{board}/hdtdkt/{YEAR}",
        department_code=board,
        council_level="province",
        members_total=COUNCIL_MEMBERS,
        members_present=COUNCIL_PRESENT,
        session_on=SESSION_ON,
        results=[{"nomination_id": n, "yes_votes": YES_VOTES} for n in nomination_ids],
    )
    b.emit(board, vote, f"council:{board}/{YEAR}", SESSION_ON)
    decision = awards_fact(
        "DecisionIssued",
        decision_id=f"{board}/qd/{YEAR}-tinh",
        department_code=board,
        number=f"{YEAR % 100 * 100 + 50}/QĐ-UBND",
        issued_on=DECIDED_ON,
        issuer={"org_id": province, "name": "Ủy ban nhân dân tỉnh Gia Lai", "abbreviation": "UBND"},
        signer={"name": "Chủ tịch UBND tỉnh", "position": "Chủ tịch"},
        authority="provincial_chair",
        nomination_ids=list(nomination_ids),
    )
    b.emit(board, decision, f"decision:{board}/{YEAR}-tinh", DECIDED_ON)


THRESHOLD_PERCENT = {"CSTDCS": 80, "CO_THI_DUA": 80, "CSTD_BO_TINH": 90, "CSTD_TOAN_QUOC": 90}
"""DOMAIN rule 15: the share of all council members a title needs."""


def expect_figures(b: Builder, submissions: Iterable[Submission], year: int = YEAR) -> None:
    """The processing days and vote results each department's rollup of ``year`` must show,
    read from the events the scenario publishes and judged as the law says: a dossier received
    after its plan's deadline is returned (never decided); one voted below its threshold is
    rejected at the session; any other is decided by the first decision naming it."""
    deadlines: dict[str, date] = {}
    dossiers: list[a.NominationSubmitted] = []
    ballots: dict[str, tuple[date, int, int]] = {}
    decided: dict[str, date] = {}
    for submission in submissions:
        p = submission.event.payload()
        if isinstance(p, r.CampaignLaunched) and p.deadlines.dossier is not None:
            deadlines[p.campaign_id] = p.deadlines.dossier
        elif isinstance(p, a.NominationSubmitted) and p.year == year:
            dossiers.append(p)
        elif isinstance(p, a.CouncilVoted):
            for ballot in p.results:
                ballots[ballot.nomination_id] = (p.session_on, ballot.yes_votes, p.members_total)
        elif isinstance(p, a.DecisionIssued):
            for nomination_id in p.nomination_ids:
                decided.setdefault(nomination_id, p.issued_on)
    for dossier in dossiers:
        deadline = deadlines.get(dossier.campaign_id or "")
        if deadline is not None and dossier.received_on > deadline and not dossier.late_override:
            continue
        expect = b.expect(dossier.department_code)
        title = dossier.title.value
        decided_on = decided.get(dossier.nomination_id)
        if dossier.nomination_id in ballots:
            session_on, yes, total = ballots[dossier.nomination_id]
            reached = yes * 100 >= THRESHOLD_PERCENT.get(title, 0) * total
            expect.votes[title].append((reached, yes * 1000 // total))
            if not reached:
                decided_on = session_on
        if decided_on is not None:
            expect.processing[title].append((decided_on - dossier.received_on).days)


def phases(
    b: Builder,
    province: str,
    specs: Sequence[DepartmentSpec],
    roster: Mapping[str, Sequence[Member]],
    earlier: Sequence[Submission],
) -> list[tuple[str, tuple[Submission, ...], tuple[str, ...]]]:
    """The board's phases (name, submissions, the services that must absorb them before the
    next): the dossiers forwarded, the bloc's ranking, the council and the chair's decision;
    then what they add to the expectation, with the ``earlier`` events of the main year."""
    nominating = next((s for s in specs if nominee(roster[s.code]) is not None), specs[0])
    cstd = forwarded_dossier(b, nominating, roster[nominating.code])
    bloc_id, flag = bloc_flag(b, specs)
    forwarded = b.take()
    bloc_ranking(b, province, bloc_id, specs)
    ranked = b.take()
    council_and_decision(b, province, [n for n in (cstd, flag) if n is not None])
    decided = b.take()
    expect_figures(b, [*earlier, *forwarded, *decided])
    return [
        (DOSSIER, forwarded, ("registration", "awards")),
        (RANKING, ranked, ("registration",)),
        (DECISION, decided, ("awards",)),
    ]
