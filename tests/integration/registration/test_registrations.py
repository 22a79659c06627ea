"""Registrations of units and individuals: only while open, once, withdrawable; and the
ingress gate: malformed, unknown, conflicting and other departments' inputs are refused."""

from __future__ import annotations

import json
from datetime import date

from contracts.common import SubjectKind, TitleCode
from contracts.registration import (
    IndividualRegistered,
    RegistrationWithdrawn,
    UnitEstablished,
    UnitRegistered,
)
from scenarios.seeds import BAC_LIEU, GIA_LAI
from tests.integration.registration.conftest import Registration
from tests.support import unique

GL_2018 = "sct-gialai/2018/phat-dong"
BL_53 = "sct-baclieu/2019/53-KH-SCT"


async def new_unit(registration: Registration, department: str, name: str) -> str:
    """A unit of its own for one test (registrations are once per unit and campaign)."""
    unit_id = unique(f"{department}/u-")
    (outcome,) = await registration.submit(
        registration.code(department),
        UnitEstablished(
            unit_id=unit_id,
            department_code=registration.code(department),
            name=name,
            kind="section",
            established_on=date(2017, 1, 1),
        ),
    )
    assert outcome.types() == ["UnitEstablished"]
    return unit_id


def unit_registration(
    registration: Registration,
    department: str,
    campaign: str,
    unit_id: str,
    day: date,
    **kw: object,
) -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "campaign_id": campaign,
            "department_code": registration.code(department),
            "unit_id": unit_id,
            "titles": ["TTLDXS"],
            "registered_on": day.isoformat(),
            **kw,
        }
    )


async def test_gia_lai_registration_closes_on_30_08_2018(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    on_time = await new_unit(registration, GIA_LAI, "Tổ Thương mại điện tử")
    late = await new_unit(registration, GIA_LAI, "Tổ Xúc tiến đầu tư")
    accepted, refused = await registration.submit(
        gl,
        unit_registration(registration, GIA_LAI, GL_2018, on_time, date(2018, 8, 30)),
        unit_registration(registration, GIA_LAI, GL_2018, late, date(2018, 8, 31)),
    )
    assert accepted.types() == ["UnitRegistered"]
    assert refused.codes == ["registration.deadline_passed"] and not refused.facts
    assert "30/08/2018" in refused.messages[0]


async def test_registration_opens_when_the_plan_is_issued(registration: Registration) -> None:
    bl = registration.code(BAC_LIEU)
    early = await new_unit(registration, BAC_LIEU, "Tổ Quản lý điện")
    refused, accepted = await registration.submit(
        bl,
        unit_registration(registration, BAC_LIEU, BL_53, early, date(2019, 8, 1)),
        unit_registration(registration, BAC_LIEU, BL_53, early, date(2019, 8, 2)),
    )
    assert refused.codes == ["registration.not_open"]
    assert accepted.types() == ["UnitRegistered"]


async def test_a_repeat_is_idempotent_and_a_different_second_registration_is_refused(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    unit = await new_unit(registration, GIA_LAI, "Tổ Năng lượng tái tạo")
    first = unit_registration(registration, GIA_LAI, GL_2018, unit, date(2018, 3, 10))
    repeat = first.model_copy(update={"registered_on": date(2018, 3, 12)})
    different = first.model_copy(update={"titles": [TitleCode.TTLDTT]})
    outcomes = await registration.submit(gl, first, repeat, different)
    assert [o.types() for o in outcomes] == [["UnitRegistered"], [], []]
    assert outcomes[1].inbox == "ignored" and outcomes[1].codes == []
    assert outcomes[2].codes == ["registration.already_registered"]


async def test_withdrawal_is_an_event_and_needs_a_registration(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    unit = await new_unit(registration, GIA_LAI, "Tổ Hóa chất")
    never = await new_unit(registration, GIA_LAI, "Tổ Vật liệu nổ")

    def withdraw(unit_id: str) -> RegistrationWithdrawn:
        return RegistrationWithdrawn(
            campaign_id=GL_2018,
            department_code=gl,
            registrant_kind=SubjectKind.COLLECTIVE,
            registrant_id=unit_id,
            withdrawn_on=date(2018, 6, 1),
            reason="Sắp xếp lại tổ chức",
        )

    outcomes = await registration.submit(
        gl,
        unit_registration(registration, GIA_LAI, GL_2018, unit, date(2018, 3, 10)),
        withdraw(unit),
        withdraw(never),
        unit_registration(
            registration, GIA_LAI, GL_2018, unit, date(2018, 7, 1), titles=["TTLDTT"]
        ),
    )
    assert [o.types() for o in outcomes] == [
        ["UnitRegistered"],
        ["RegistrationWithdrawn"],
        [],
        ["UnitRegistered"],
    ]
    assert outcomes[2].codes == ["registration.not_registered"]


async def test_individuals_register_in_the_unit_they_belong_to(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)

    def individual(person: str, unit: str, titles: list[str]) -> IndividualRegistered:
        return IndividualRegistered.model_validate(
            {
                "campaign_id": GL_2018,
                "department_code": gl,
                "person_id": f"{GIA_LAI}/{person}",
                "unit_id": f"{GIA_LAI}/{unit}",
                "titles": titles,
                "research_topics": [{"title": "Ứng dụng phần mềm quản lý văn bản điện tử"}],
                "initiatives": [
                    {"title": "Số hóa hồ sơ thi đua khen thưởng", "kind": "management"}
                ],
                "registered_on": "2018-03-12",
            }
        )

    outcomes = await registration.submit(
        gl,
        individual("p-0042", "vp", ["LDTT", "CSTDCS"]),
        individual("p-0051", "vp", ["LDTT"]),
        individual("p-0077", "qltt", ["TTLDXS"]),
    )
    assert outcomes[0].types() == ["IndividualRegistered"]
    assert outcomes[1].codes == ["directory.person_not_in_unit"]
    assert outcomes[2].codes == ["registration.title_not_for_individuals"]


async def test_a_unit_of_one_department_cannot_be_registered_through_another_departments_topic(
    registration: Registration,
) -> None:
    gl, bl = registration.code(GIA_LAI), registration.code(BAC_LIEU)
    unit = await new_unit(registration, GIA_LAI, "Tổ Kiểm tra liên ngành")
    claimed = unit_registration(registration, BAC_LIEU, GL_2018, unit, date(2018, 3, 10))
    posing = unit_registration(registration, GIA_LAI, GL_2018, unit, date(2018, 3, 10))
    (through_bac_lieu, posing_as_gia_lai) = await registration.submit(bl, claimed, posing)
    assert through_bac_lieu.codes == ["directory.unit_of_other_department"]
    assert posing_as_gia_lai.codes == ["producer.foreign_department"]
    (own_topic,) = await registration.submit(gl, posing)
    assert own_topic.types() == ["UnitRegistered"]


async def test_malformed_unknown_and_conflicting_inputs_are_refused_with_reasons(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    unit = await new_unit(registration, GIA_LAI, "Tổ Công nghiệp hỗ trợ")
    good = registration.envelope(
        gl, unit_registration(registration, GIA_LAI, GL_2018, unit, date(2018, 4, 1))
    )
    same_id_other_content = good.model_copy(update={"data": {**good.data, "titles": ["TTLDTT"]}})
    unknown_type = good.model_copy(
        update={"id": unique("e-"), "type": "vn.thidua.registration.UnitPromoted.v1"}
    )
    invalid_data = good.model_copy(
        update={"id": unique("e-"), "data": {**good.data, "registered_on": "31/08/2018"}}
    )
    await registration.send(gl, [good, same_id_other_content, unknown_type, invalid_data])
    accepted, conflict, unknown, invalid = await registration.settle(
        [good, same_id_other_content, unknown_type, invalid_data]
    )
    assert accepted.types() == ["UnitRegistered"]
    assert conflict.codes == ["envelope.duplicate_id_conflict"]
    assert unknown.codes == ["envelope.unknown_type"]
    assert invalid.codes == ["data.invalid"]
    (position,) = await registration.send_raw(gl, [b'{"id": "x", "type": 42'])
    malformed = await registration.rejection_at(position)
    assert [r["code"] for r in malformed.data["reasons"]] == ["envelope.invalid"]
    assert malformed.data["department"] == gl and malformed.data["rejected_by"] == "registration"
    assert json.loads(malformed.to_json())["type"] == "vn.thidua.rejections.InputRejected.v1"
