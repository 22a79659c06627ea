"""A full year for Sở Công Thương Gia Lai, 2018 plan, against the real Kafka and PostgreSQL.

Registration facts arrive as the registration service would publish them; the department's
system then submits dossiers, the council's votes and the director's decisions on its ingress
topic. The awards service must approve and refuse exactly as NĐ 91/2017 says, with reasons on
the rejections topic, and refuse a director's decision on a title above the director.
"""

from __future__ import annotations

from typing import Any

from contracts import topics
from contracts.awards import AwardRevoked, CouncilVoted, DecisionIssued
from contracts.base import EventData
from contracts.envelope import CloudEvent
from tests.integration.awards.conftest import REGISTRATION, Year2018, send
from tests.integration.awards.gia_lai_2018 import PEOPLE, nomination, registration_facts
from tests.support import eventually, read_topic


def department_inputs(y: Year2018) -> list[EventData]:
    n = lambda who, title, **kw: nomination(y, who, title, **kw)  # noqa: E731
    ldtt = [n(p, "LDTT") for p in ("p1", "p2", "p3", "p4", "p5", "q1", "q2", "q3", "q4")]
    ldtt += [
        n(
            "q5",
            "LDTT",
            received_on="2018-12-12",
            late_override={
                "reason": "Gửi qua bưu điện đúng hạn",
                "approved_by": "Chánh Văn phòng Sở",
            },
        ),
        n("q6", "LDTT", received_on="2018-12-12"),
    ]
    cstdcs = [
        n("p1", "CSTDCS", evidence={"initiative_ids": [y.id("sk-1")]}),
        n("p2", "CSTDCS", evidence={"htxsnv": True}),
        n("p3", "CSTDCS", evidence={"initiative_ids": [y.id("sk-2")]}),
        n("q1", "CSTDCS", evidence={"htxsnv": True}),
        n("q2", "CSTDCS", evidence={"initiative_ids": [y.id("sk-1")]}),
    ]
    collectives = [n("qlcn", "TTLDTT"), n("qltt", "TTLDXS", conferring_level="province")]
    vote = CouncilVoted(
        session_id=y.id("hdtdkt/2018-12-18"),
        department_code=y.dept,
        council_level="department",
        members_total=9,
        members_present=9,
        session_on="2018-12-18",
        results=[
            {"nomination_id": y.id(f"2018/cstdcs-{p}"), "yes_votes": v}
            for p, v in (("p1", 8), ("p2", 8), ("p3", 8), ("q1", 7), ("q2", 8))
        ],
    )  # type: ignore[arg-type]
    sct = {"org_id": y.dept, "name": "Sở Công Thương Gia Lai", "abbreviation": "SCT"}
    director = {"name": "Nguyễn Văn A", "position": "Giám đốc"}
    decided = (
        [x.nomination_id for x in ldtt[:-1]]
        + [y.id(f"2018/cstdcs-{p}") for p in ("p1", "p2", "p3", "q2")]
        + [y.id("2018/ttldtt-qlcn")]
    )
    decisions = [
        DecisionIssued(
            decision_id=y.id("qd-250"),
            department_code=y.dept,
            number="250/QĐ-SCT",
            issued_on="2018-12-25",
            issuer=sct,
            signer=director,
            authority="department_director",
            nomination_ids=decided,
        ),
        DecisionIssued(
            decision_id=y.id("qd-251"),
            department_code=y.dept,
            number="251/QĐ-SCT",
            issued_on="2018-12-25",
            issuer=sct,
            signer=director,
            authority="department_director",
            nomination_ids=[y.id("2018/ttldxs-qltt")],
        ),
    ]  # type: ignore[arg-type]
    return [*ldtt, *cstdcs, *collectives, vote, *decisions]


def board_inputs(y: Year2018) -> list[EventData]:
    """The chair's decision on the TTLĐXS the department forwarded, on the board's ingress."""
    return [
        DecisionIssued(
            decision_id=y.id("qd-ubnd-1234"),
            department_code=y.board,
            number="1234/QĐ-UBND",
            issued_on="2019-01-15",
            issuer={"name": "Ủy ban nhân dân tỉnh Gia Lai"},
            signer={"name": "Võ Ngọc Thành", "position": "Chủ tịch UBND tỉnh"},
            authority="provincial_chair",
            nomination_ids=[y.id("2018/ttldxs-qltt")],
        ),
    ]  # type: ignore[arg-type]


def _outcomes(records: list[Any]) -> dict[str, CloudEvent]:
    events = [CloudEvent.from_json(r.value or b"") for r in records]
    return {
        e.data["nomination_id"]: e
        for e in events
        if e.type.endswith(("NominationApproved.v1", "NominationRejected.v1"))
    }


async def test_a_year_of_the_gia_lai_2018_plan(awards: Year2018, bootstrap: str) -> None:
    y = awards
    pool = y.runtime.pool
    assert pool is not None
    await send(bootstrap, y.registration, y.dept, registration_facts(y), REGISTRATION)
    # Sent on one partition in order: the last fact (the initiative's recognition) comes last.
    await eventually(
        lambda: pool.fetchval(
            """SELECT (SELECT count(*) FROM rc_ratings) = $1
                  AND (SELECT count(*) FROM rc_initiatives
                       WHERE recognized_level IS NOT NULL) = 2""",
            len(PEOPLE) + 2,
        ),
        lambda done: bool(done),
        what="awards' read copy of the registration facts",
    )
    inputs = await send(
        bootstrap, y.ingress, y.dept, department_inputs(y), f"urn:thidua:department:{y.dept}"
    )
    # The board decides once the department's inputs are in (the TTLĐXS forwarded to it).
    await eventually(
        lambda: read_topic(bootstrap, y.out.rejections_of(y.ingress)),
        lambda r: len(r) == 4,
        what="the department's inputs decided",
    )
    board = topics.ingress(y.board)
    chair = await send(bootstrap, board, y.board, board_inputs(y), f"urn:thidua:board:{y.board}")

    records = await eventually(
        lambda: read_topic(bootstrap, y.out.events),
        lambda r: len(_outcomes(r)) == 17,
        what="17 nominations concluded",
    )
    outcomes = _outcomes(records)
    approved = {
        k.removeprefix(y.id("2018/")): e.data for k, e in outcomes.items() if "Approved" in e.type
    }
    rejected = {
        k.removeprefix(y.id("2018/")): {r["code"] for r in e.data["reasons"]}
        for k, e in outcomes.items()
        if "Rejected" in e.type
    }
    assert set(approved) == {
        *(f"ldtt-{p}" for p in ("p1", "p2", "p3", "q1", "q2", "q3", "q4", "q5")),
        "cstdcs-p1",  # the woman wins the tie for the one CSTĐCS that 15% of 8 LĐTT allows
        "ttldtt-qlcn",  # 3 of 5 members LĐTT: more than 50% under NĐ 91/2017
    }
    assert rejected == {
        "ldtt-p4": {"awards.ldtt_rating_too_low"},
        "ldtt-p5": {"awards.not_registered"},
        "cstdcs-p2": {"awards.cstdcs_cap_exceeded"},
        "cstdcs-p3": {"awards.cstdcs_without_evidence", "awards.cstdcs_cap_exceeded"},
        "cstdcs-q1": {"awards.vote_below_threshold"},
        "cstdcs-q2": {"awards.initiative_already_used", "awards.cstdcs_cap_exceeded"},
        "ttldxs-qltt": {"awards.no_cstdcs_member"},
    }
    # Rule 2: p3's initiative was recognised, but submitted on 15/10/2018.
    late = outcomes[y.id("2018/cstdcs-p3")].data["reasons"]
    assert any(
        "nộp ngày 15/10/2018: sau hạn đăng ký thi đua ngày 30/08/2018" in r["message"] for r in late
    )
    assert (approved["ldtt-p1"]["cash_vnd"], approved["ldtt-p1"]["base_salary_vnd"]) == (
        417_000,
        1_390_000,
    )
    assert approved["cstdcs-p1"]["cash_vnd"] == 1_390_000
    assert approved["ttldtt-qlcn"]["cash_vnd"] == 1_112_000
    assert {a["rule_set"] for a in approved.values()} == {"nd-91-2017"}

    refusals = await eventually(
        lambda: read_topic(bootstrap, y.out.rejections_of(y.ingress)),
        lambda r: len(r) == 4,
        what="four refusals on the department's rejections topic, one per refused input",
    )
    by_original: dict[str, set[str]] = {}
    items: dict[str, list[str]] = {}
    for record in refusals:
        refusal = CloudEvent.from_json(record.value or b"")
        assert refusal.data["department"] == y.dept
        items[refusal.data["original_id"]] = [r.get("item") for r in refusal.data["reasons"]]
        by_original.setdefault(refusal.data["original_id"], set()).update(
            r["code"] for r in refusal.data["reasons"]
        )
    ids = {
        e.data.get("nomination_id") or e.data.get("decision_id") or e.data.get("session_id"): e.id
        for e in inputs
    }
    assert by_original[ids[y.id("2018/ldtt-q6")]] == {"awards.dossier_late"}
    # TTLĐXS is forwarded to the board: the director's decision on it is refused whole, nothing
    # recorded for it; the chair's (on the board's ingress) judges it.
    assert by_original[ids[y.id("qd-251")]] == {"awards.forwarded_to_board"}
    assert by_original[ids[y.id("hdtdkt/2018-12-18")]] == {"awards.vote_below_threshold"}
    assert "awards.cstdcs_cap_exceeded" in by_original[ids[y.id("qd-250")]]
    # Issue 18: the decision's five refused dossiers in one refusal, each reason naming its own.
    assert set(items[ids[y.id("qd-250")]]) == {
        y.id(f"2018/{n}") for n in ("ldtt-p4", "ldtt-p5", "cstdcs-p2", "cstdcs-p3", "cstdcs-q2")
    }
    [chairs] = await eventually(
        lambda: read_topic(bootstrap, y.out.rejections_of(board)),
        lambda r: len(r) == 1,
        what="the chair's refusal on the board's rejections topic",
    )
    chairs_refusal = CloudEvent.from_json(chairs.value or b"")
    assert chairs_refusal.data["original_id"] == chair[0].id
    assert {r["code"] for r in chairs_refusal.data["reasons"]} == {"awards.no_cstdcs_member"}
    async with pool.acquire() as conn:
        assert (
            await conn.fetchval(
                "SELECT count(*) FROM events WHERE stream_id = $1", f"decision:{y.id('qd-251')}"
            )
            == 0
        )
        assert (
            await conn.fetchval(
                "SELECT status FROM aw_nominations WHERE nomination_id = $1", y.id("2018/ldtt-q6")
            )
            == "returned"
        )

    # A revocation cancels the title (and with it the chains built on it); twice is refused.
    revocation = {
        "nomination_id": y.id("2018/ldtt-q3"),
        "department_code": y.dept,
        "decision_number": "31/QĐ-SCT",
        "revoked_on": "2019-03-01",
        "reason": "Hồ sơ kê khai không đúng",
    }

    first, again = (AwardRevoked.model_validate(revocation) for _ in range(2))
    sent = await send(
        bootstrap, y.ingress, y.dept, [first, again], f"urn:thidua:department:{y.dept}"
    )
    await eventually(
        lambda: read_topic(bootstrap, y.out.rejections_of(y.ingress)),
        lambda r: any(
            CloudEvent.from_json(x.value or b"").data["original_id"] == sent[1].id for x in r
        ),
        what="the second revocation refused",
    )
    async with pool.acquire() as conn:
        assert await conn.fetchval(
            "SELECT revoked_on IS NOT NULL FROM aw_titles WHERE nomination_id = $1",
            y.id("2018/ldtt-q3"),
        )
