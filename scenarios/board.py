"""The provincial board's part of the scenario (issue 17, item 3): in Gia Lai, a department's
CSTĐ tỉnh dossier for 2018 is forwarded to the province's board (Ban Thi đua - Khen thưởng
tỉnh), whose council (HĐTĐKT tỉnh) votes on it and whose chair (Chủ tịch UBND tỉnh) decides,
on the board's own ingress (``gia-lai-board``).

The nominee is the first person (by id) of Gia Lai's first department who is awarded CSTĐCS
in 2018 by the main year's decisions; the department imports their CSTĐCS of 2016 and 2017 from
its records (``AwardImported``: the three consecutive years of DOMAIN rule 8) and records a
research topic of province scope accepted in 2018 (the evidence CSTĐ tỉnh needs). Two phases
after the existing ones: the dossier (and what it rests on) first, absorbed by registration and
awards, then the board's session and decision. Nothing is drawn at random: every earlier event
keeps its id and contents, and ``Scenario.main_year`` is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from contracts import awards as a
from contracts import registration as r
from contracts import topics
from scenarios.builder import Builder, Member, Submission, awards_fact, registration_fact
from scenarios.directory import DepartmentSpec

YEAR = 2018
DOSSIER = "Ban Thi đua - Khen thưởng tỉnh: hồ sơ Chiến sĩ thi đua tỉnh năm 2018"
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
        decision_id=f"{board}/qd/{YEAR}-cstd",
        department_code=board,
        number=f"{YEAR % 100 * 100 + 50}/QĐ-UBND",
        issued_on=DECIDED_ON,
        issuer={"org_id": province, "name": "Ủy ban nhân dân tỉnh Gia Lai", "abbreviation": "UBND"},
        signer={"name": "Chủ tịch UBND tỉnh", "position": "Chủ tịch"},
        authority="provincial_chair",
        nomination_ids=list(nomination_ids),
    )
    b.emit(board, decision, f"decision:{board}/{YEAR}-cstd", DECIDED_ON)


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
