"""Corrections on the real Kafka and PostgreSQL (issue 15), for Sở Công Thương Gia Lai, 2018:
registration's corrections arrive as the registration service publishes them. A corrected
rating returns the pending dossier it disqualifies and leaves the one that still qualifies; a
withdrawn initiative returns the pending CSTĐCS that rested on it and flags the award decided
on it, whose approval stays; a lowered rating under an approved CSTĐCS flags it too; an
annulled discipline no longer counts, a lifted one still does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from contracts.awards import CouncilVoted
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.registration import (
    DisciplineImposed,
    DisciplineLifted,
    InitiativeWithdrawn,
    PerformanceRated,
    PersonDetailsCorrected,
    RatingCorrected,
)
from services.awards.consequences import derived_id
from tests.integration.awards.conftest import (
    REGISTRATION,
    Year2018,
    awards_facts,
    codes,
    department,
    named,
    pool_of,
    send,
)
from tests.integration.awards.gia_lai_2018 import (
    PEOPLE,
    director_decision,
    known_to_awards,
    nomination,
    person_facts,
)
from tests.support import eventually


def fact_and_correction(
    sent: Sequence[CloudEvent], original: type[EventData], correction: type[EventData], **match: Any
) -> tuple[str, str]:
    """The ids of a fact and of its correction among the events sent as registration (or a
    department) would, matched by their data (e.g. ``subject_id=...``): the audit page of the
    subject lists both."""

    def first(kind: type[EventData]) -> str:
        return next(
            e.id
            for e in sent
            if e.type == kind.type_name() and all(e.data.get(k) == v for k, v in match.items())
        )

    return first(original), first(correction)


async def test_registrations_corrections_return_pending_dossiers_and_flag_decided_awards(
    awards: Year2018, bootstrap: str
) -> None:
    y, pool = awards, pool_of(awards)
    unit_of = {p: unit for p, (unit, *_) in PEOPLE.items()}
    extra: list[EventData] = []
    for person in ("r1", "r2", "r3"):  # enough LĐTT for one CSTĐCS under the 15% cap
        extra += person_facts(y, person, "qltt", "male", "good")
    for person in ("q3", "q4"):
        extra.append(
            DisciplineImposed.model_validate(
                {
                    "person_id": y.id(person),
                    "department_code": y.dept,
                    "unit_id": y.id(unit_of[person]),
                    "level": "reprimand",
                    "imposed_on": "2018-09-01",
                }
            )
        )
    known = await known_to_awards(y, bootstrap, extra)
    n = lambda who, title="LDTT", **kw: nomination(y, who, title, **kw)  # noqa: E731
    ldtt = {p: n(p) for p in ("p1", "p2", "p3", "q1", "q3", "q4", "q5", "q6", "r1", "r2", "r3")}
    cstdcs_p1 = n("p1", "CSTDCS", evidence={"initiative_ids": [y.id("sk-1")]})
    cstdcs_q2 = n("q2", "CSTDCS", evidence={"initiative_ids": [y.id("sk-1")]})
    vote = CouncilVoted.model_validate(
        {
            "session_id": y.id("hdtdkt/2018-12-18"),
            "department_code": y.dept,
            "council_level": "department",
            "members_total": 9,
            "members_present": 9,
            "session_on": "2018-12-18",
            "results": [{"nomination_id": cstdcs_p1.nomination_id, "yes_votes": 9}],
        }
    )
    await send(
        bootstrap, y.ingress, y.dept, [*ldtt.values(), cstdcs_p1, cstdcs_q2, vote], department(y)
    )
    # The corrections come on registration's topic, read apart from the ingress: they must find
    # the dossiers received (else there is nothing pending to judge again).
    await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: (
            len(named(f, "NominationSubmitted")) == len(ldtt) + 2 and bool(named(f, "CouncilVoted"))
        ),
        what="the dossiers and the vote recorded",
    )

    def rating(person: str, value: str) -> RatingCorrected:
        return RatingCorrected.model_validate(
            {
                "department_code": y.dept,
                "subject_kind": "individual",
                "subject_id": y.id(person),
                "unit_id": y.id(unit_of[person]),
                "year": 2018,
                "rating": value,
                "corrected_on": "2018-12-20",
                "reason": "Hội đồng đánh giá lại theo Kết luận số 12/KL-SCT",
            }
        )

    # p2 excellent → good still qualifies for LĐTT; p3 good → completed no longer does.
    corrections = await send(
        bootstrap,
        y.registration,
        y.dept,
        [rating("p2", "good"), rating("p3", "completed")],
        REGISTRATION,
    )
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "NominationReturned", ldtt["p3"].nomination_id)),
        what="the LĐTT of p3 returned",
    )
    [returned] = named(facts, "NominationReturned", ldtt["p3"].nomination_id)
    assert codes(returned) == ["awards.rating_corrected", "awards.ldtt_rating_too_low"]
    assert returned.causationid == corrections[1].id
    # Sent before p3's on the same partition, p2's correction is done: nothing for p2.
    assert not named(facts, "NominationReturned", ldtt["p2"].nomination_id)
    rated, corrected = fact_and_correction(
        [*known, *corrections], PerformanceRated, RatingCorrected, subject_id=y.id("p3")
    )
    assert corrected == corrections[1].id and rated != corrected

    decided = [ldtt[p].nomination_id for p in ("p1", "p2", "q1", "q5", "q6", "r1", "r2", "r3")]
    await send(
        bootstrap,
        y.ingress,
        y.dept,
        [director_decision(y, "250", *decided, cstdcs_p1.nomination_id)],
        department(y),
    )
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: len(named(f, "NominationApproved")) + len(named(f, "NominationRejected")) == 9,
        what="the decision's nine nominations concluded",
    )
    assert len(named(facts, "NominationApproved")) == 9  # p2 on "good" and p1's CSTĐCS too

    # The initiative sk-1 is withdrawn: p1's CSTĐCS (decided on it) is flagged, q2's pending
    # CSTĐCS (resting on it alone) returned. Then p1's rating is lowered: flagged again.
    withdrawn = InitiativeWithdrawn.model_validate(
        {
            "initiative_id": y.id("sk-1"),
            "department_code": y.dept,
            "withdrawn_on": "2019-01-10",
            "reason": "Sáng kiến trùng với giải pháp đã được công nhận năm 2016",
        }
    )
    lowered = rating("p1", "good").model_copy(update={"corrected_on": date(2019, 1, 15)})
    causes = await send(bootstrap, y.registration, y.dept, [withdrawn, lowered], REGISTRATION)
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: len(named(f, "AwardFlaggedForReview", cstdcs_p1.nomination_id)) == 2,
        what="p1's CSTĐCS flagged twice",
    )
    flags = named(facts, "AwardFlaggedForReview", cstdcs_p1.nomination_id)
    assert [(f.data["cause_event_id"], codes(f)) for f in flags] == [
        (causes[0].id, ["awards.evidence_withdrawn"]),  # HTXSNV still made it a CSTĐCS
        (causes[1].id, ["awards.rating_corrected", "awards.cstdcs_without_evidence"]),
    ]
    derived = [derived_id(c.id, f.payload()) for c, f in zip(causes, flags, strict=True)]
    assert [f.id for f in flags] == derived  # the same correction always gives the same flag
    assert not named(facts, "AwardFlaggedForReview", ldtt["p1"].nomination_id)  # "good" holds
    [q2_returned] = named(facts, "NominationReturned", cstdcs_q2.nomination_id)
    assert codes(q2_returned) == ["awards.evidence_withdrawn", "awards.cstdcs_without_evidence"]
    title = await pool.fetchrow(
        """SELECT t.revoked_on, n.status FROM aw_titles t JOIN aw_nominations n
           USING (nomination_id) WHERE nomination_id = $1""",
        cstdcs_p1.nomination_id,
    )
    assert (title["revoked_on"], title["status"]) == (None, "approved")  # not silently changed

    # q3's discipline is annulled (as if never imposed), q4's only lifted; q1's name corrected.
    lifts = [
        DisciplineLifted.model_validate(
            {
                "person_id": y.id(person),
                "department_code": y.dept,
                "imposed_on": "2018-09-01",
                "lifted_on": "2018-11-15",
                "annulled": annulled,
                "reason": "Giải quyết khiếu nại",
            }
        )
        for person, annulled in (("q3", True), ("q4", False))
    ]
    renamed = PersonDetailsCorrected.model_validate(
        {
            "person_id": y.id("q1"),
            "department_code": y.dept,
            "full_name": "Nguyễn Văn Quý",
            "sex": "male",
            "joined_on": "2012-01-01",
            "corrected_on": "2018-12-22",
            "reason": "Nhập sai họ tên",
        }
    )
    await send(bootstrap, y.registration, y.dept, [*lifts, renamed], REGISTRATION)
    await eventually(
        lambda: pool.fetchval("SELECT full_name FROM rc_people WHERE person_id = $1", y.id("q1")),
        lambda name: name == "Nguyễn Văn Quý",
        what="the read copy corrected",
    )
    await send(
        bootstrap,
        y.ingress,
        y.dept,
        [director_decision(y, "251", ldtt["q3"].nomination_id, ldtt["q4"].nomination_id)],
        department(y),
    )
    facts = await eventually(
        lambda: awards_facts(bootstrap, y),
        lambda f: bool(named(f, "NominationRejected", ldtt["q4"].nomination_id)),
        what="the decision on q3 and q4",
    )
    assert named(facts, "NominationApproved", ldtt["q3"].nomination_id)
    [q4] = named(facts, "NominationRejected", ldtt["q4"].nomination_id)
    assert codes(q4) == ["awards.disciplined"]
    assert "đã xóa kỷ luật ngày 15/11/2018" in q4.data["reasons"][0]["message"]
