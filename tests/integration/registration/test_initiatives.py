"""Initiatives: submitted, voted on by the initiative council, recognised at ≥2/3 or rejected."""

from __future__ import annotations

from datetime import date

from contracts.registration import (
    InitiativeRecognized,
    InitiativeRejected,
    InitiativeReviewed,
    InitiativeSubmitted,
)
from scenarios.seeds import BAC_LIEU, GIA_LAI
from tests.integration.registration.conftest import Registration
from tests.support import unique


def submitted(registration: Registration, **kw: object) -> InitiativeSubmitted:
    return InitiativeSubmitted.model_validate(
        {
            "initiative_id": unique(f"{GIA_LAI}/sk-"),
            "department_code": registration.code(GIA_LAI),
            "unit_id": f"{GIA_LAI}/vp",
            "title": "Số hóa hồ sơ thi đua khen thưởng",
            "kind": "management",
            "scope": "unit",
            "authors": [{"person_id": f"{GIA_LAI}/p-0042", "full_name": "Nguyễn Thị Lan"}],
            "campaign_id": "sct-gialai/2018/phat-dong",
            "submitted_on": "2018-10-15",
            "applied_since": "2018-06-01",
            **kw,
        }
    )


def reviewed(initiative: str, approve: int, total: int = 9) -> InitiativeReviewed:
    return InitiativeReviewed(
        initiative_id=initiative,
        members_total=total,
        members_present=total,
        approve_votes=approve,
        reviewed_on=date(2018, 11, 5),
    )


def recognized(initiative: str, level: str = "unit") -> InitiativeRecognized:
    return InitiativeRecognized.model_validate(
        {"initiative_id": initiative, "level": level, "recognized_on": "2018-11-10"}
    )


def rejected(initiative: str) -> InitiativeRejected:
    return InitiativeRejected.model_validate(
        {
            "initiative_id": initiative,
            "rejected_on": "2018-11-10",
            "reasons": [
                {
                    "code": "registration.initiative_not_applied",
                    "message": "Giải pháp chưa được áp dụng tại đơn vị",
                }
            ],
        }
    )


async def test_recognition_needs_two_thirds_of_the_council(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    good, weak = submitted(registration), submitted(registration)
    a, b = good.initiative_id, weak.initiative_id
    outcomes = await registration.submit(
        gl,
        good,
        reviewed(a, 6),
        recognized(a, "national"),
        recognized(a),
        weak,
        reviewed(b, 5),
        recognized(b),
        rejected(b),
    )
    assert [o.types() for o in outcomes] == [
        ["InitiativeSubmitted"],
        ["InitiativeReviewed"],
        [],
        ["InitiativeRecognized"],
        ["InitiativeSubmitted"],
        ["InitiativeReviewed"],
        [],
        ["InitiativeRejected"],
    ]
    assert outcomes[2].codes == ["initiative.level_above_scope"]
    assert outcomes[6].codes == ["initiative.insufficient_votes"]


async def test_a_decided_initiative_stays_decided(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    initiative = submitted(registration)
    i = initiative.initiative_id
    outcomes = await registration.submit(
        gl, initiative, rejected(i), reviewed(i, 9), recognized(i), rejected(i), reviewed(i, 3)
    )
    assert [o.types() for o in outcomes] == [
        ["InitiativeSubmitted"],
        [],
        ["InitiativeReviewed"],
        ["InitiativeRecognized"],
        [],
        [],
    ]
    assert outcomes[1].codes == ["initiative.not_reviewed"]
    assert outcomes[4].codes == ["initiative.already_decided"]
    assert outcomes[5].codes == ["initiative.already_decided"]


async def test_initiatives_belong_to_the_submitting_department(registration: Registration) -> None:
    bl = registration.code(BAC_LIEU)
    foreign_unit = submitted(registration, department_code=bl)
    foreign_author = submitted(registration, department_code=bl, unit_id=f"{BAC_LIEU}/ttkc")
    unknown = recognized(unique(f"{BAC_LIEU}/sk-"))
    outcomes = await registration.submit(bl, foreign_unit, foreign_author, unknown)
    assert outcomes[0].codes == ["directory.unit_of_other_department"]
    assert outcomes[1].codes == ["directory.person_of_other_department"]
    assert outcomes[2].codes == ["initiative.unknown"]
    own = submitted(registration)
    (accepted,) = await registration.submit(registration.code(GIA_LAI), own)
    (review_from_elsewhere,) = await registration.submit(bl, reviewed(own.initiative_id, 9))
    assert accepted.types() == ["InitiativeSubmitted"]
    assert review_from_elsewhere.codes == ["initiative.of_other_department"]
