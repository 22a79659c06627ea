"""The dossier deadline of each of Gia Lai's departments: its dossiers, its council's vote and
its director's decisions, and what the law makes of each (``Expectation``).

Apart from ``scenarios.departments`` (the year before the deadline): these are the burst the
bench measures, one phase of their own (``scenarios.generator.DOSSIERS``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from scenarios.builder import Builder, Member, awards_fact, some_day
from scenarios.departments import YEAR
from scenarios.directory import DepartmentSpec
from scenarios.expectation import Outcome

DOSSIER_DEADLINE = date(YEAR, 12, 10)
COUNCIL_MEMBERS = 9
DECISION_NOMINATIONS = 4000
"""Dossiers one decision names at most: 4,000 ids make an envelope of about 145 KB."""


def _dossier(
    b: Builder,
    code: str,
    campaign: str,
    title: str,
    nominee: tuple[str, str, str | None],
    received_on: date,
    evidence: dict[str, Any] | None = None,
) -> str:
    kind, nominee_id, unit_id = nominee
    nomination_id = f"{nominee_id}/{YEAR}/{title.lower()}"
    data = awards_fact(
        "NominationSubmitted",
        nomination_id=nomination_id,
        department_code=code,
        campaign_id=campaign,
        year=YEAR,
        title=title,
        nominee_kind=kind,
        nominee_id=nominee_id,
        unit_id=unit_id,
        evidence=evidence or {},
        received_on=received_on,
    )
    b.emit(code, data, f"nomination:{nomination_id}", received_on)
    b.expect(code).dossiers["received"] += 1
    if received_on > DOSSIER_DEADLINE:
        b.expect(code).dossiers["late"] += 1
    return nomination_id


def dossiers_and_decisions(b: Builder, spec: DepartmentSpec, people: list[Member]) -> None:
    """LĐTT for everyone who registered (late registrants are refused at the decision), some
    dossiers after the deadline (returned), CSTĐCS within 10% of LĐTT, TTLĐTT for each
    registered unit; one council session; decision 1 (LĐTT) then decision 2 (the rest)."""
    code = b.code(spec.code)
    rng = b.rng
    expect = b.expect(code)
    campaign = f"{code}/{YEAR}/phat-dong"
    ldtt_open: list[str] = []
    for person in people:
        if not (person.registered or person.registered_late):
            continue
        late = rng.random() < 0.02
        received = (
            some_day(rng, date(YEAR, 12, 12), date(YEAR, 12, 18))
            if late
            else some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        )
        nid = _dossier(
            b, code, campaign, "LDTT", ("individual", person.person_id, person.unit_id), received
        )
        if late:
            expect.nomination("LDTT", Outcome.RETURNED)
            expect.dossiers["returned"] += 1
            expect.dossiers["returned_late"] += 1
            continue
        ldtt_open.append(nid)
        person.ldtt = person.registered and person.rating in ("good", "excellent")
        if person.ldtt:
            expect.award("LDTT", person.sex, person.is_leader)
        else:
            expect.nomination("LDTT", Outcome.REJECTED)

    holders = [p for p in people if p.ldtt]
    budget = len(holders) // 10  # within the legacy 15% cap, whatever the vote
    evidenced = [p for p in holders if p.rating == "excellent" or (p.initiative or ("", 0))[1]]
    unproven = [p for p in holders if p.rating == "good" and p.initiative and not p.initiative[1]][
        :2
    ]
    chosen = rng.sample(evidenced, min(len(evidenced), max(budget - len(unproven), 0)))
    ballots: list[dict[str, Any]] = []
    decision_two: list[str] = []
    for person in sorted([*chosen, *unproven[: max(budget, 0)]], key=lambda p: p.person_id):
        evidence: dict[str, Any] = {"htxsnv": person.rating == "excellent"}
        if person.initiative:
            evidence["initiative_ids"] = [person.initiative[0]]
        received = some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        nid = _dossier(
            b,
            code,
            campaign,
            "CSTDCS",
            ("individual", person.person_id, person.unit_id),
            received,
            evidence,
        )
        passes_vote = person in unproven or rng.random() < 0.85
        yes = rng.randint(8, 9) if passes_vote else rng.randint(5, 7)  # 80% of 9 is 7.2
        ballots.append({"nomination_id": nid, "yes_votes": yes})
        if not passes_vote:
            expect.nomination("CSTDCS", Outcome.REJECTED)
            continue
        decision_two.append(nid)
        if person in unproven:
            expect.nomination("CSTDCS", Outcome.REJECTED)
        else:
            expect.award("CSTDCS", person.sex, person.is_leader)
            person.cstdcs = True

    by_unit: dict[str, list[Member]] = defaultdict(list)
    for person in people:
        by_unit[person.unit_id].append(person)
    for unit in spec.units:
        if unit.kind not in ("section", "attached_unit"):
            continue
        unit_id = f"{code}/{unit.local}"
        received = some_day(rng, date(YEAR, 11, 20), DOSSIER_DEADLINE)
        nid = _dossier(b, code, campaign, "TTLDTT", ("collective", unit_id, unit_id), received)
        decision_two.append(nid)
        members = by_unit[unit_id]
        # NĐ 91/2017: more than 50% of members LĐTT (units are rated good or better here).
        if members and sum(m.ldtt for m in members) * 2 > len(members):
            expect.award("TTLDTT", None, None)
        else:
            expect.nomination("TTLDTT", Outcome.REJECTED)

    signer = {"name": "Giám đốc Sở", "position": "Giám đốc"}
    issuer = {"org_id": code, "name": spec.name, "abbreviation": spec.abbreviation}
    if ballots:
        vote = awards_fact(
            "CouncilVoted",
            session_id=f"{code}/hdtdkt/{YEAR}-1",
            department_code=code,
            council_level="department",
            members_total=COUNCIL_MEMBERS,
            members_present=COUNCIL_MEMBERS,
            session_on=date(YEAR, 12, 14),
            results=ballots,
        )
        b.emit(code, vote, f"council:{code}/{YEAR}-1", date(YEAR, 12, 14))
    # A decision names at most DECISION_NOMINATIONS dossiers (an envelope must stay under the
    # services' 256 KiB limit): a department of tens of thousands of staff issues several.
    decisions = [
        (on, nominations[at : at + DECISION_NOMINATIONS])
        for on, nominations in ((date(YEAR, 12, 20), ldtt_open), (date(YEAR, 12, 26), decision_two))
        for at in range(0, len(nominations), DECISION_NOMINATIONS)
    ]
    for number, (on, nominations) in enumerate(decisions, start=1):
        decision = awards_fact(
            "DecisionIssued",
            decision_id=f"{code}/qd/{YEAR}-{number}",
            department_code=code,
            number=f"{100 + number}/QĐ-{spec.abbreviation}",
            issued_on=on,
            issuer=issuer,
            signer=signer,
            authority="department_director",
            nomination_ids=nominations,
        )
        b.emit(code, decision, f"decision:{code}/{YEAR}-{number}", on)
