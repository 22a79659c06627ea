"""Registration's decision table on the event store in memory: given the facts already in
the streams, when a department submits one, then the facts decided or the refusal, exactly as
the kernel runs it (department rule, streams read, facts appended), with no I/O."""

from __future__ import annotations

from datetime import date

import pytest

from contracts import examples
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.registration import (
    CampaignLaunched,
    DepartmentRegistered,
    PersonJoined,
    UnitEstablished,
    UnitRegistered,
)
from services.registration import streams
from services.registration.handlers import decider
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

DEPARTMENT = "sct-gialai"
PLAN = CampaignLaunched.model_validate({**examples.GIA_LAI_2018_PLAN, "number": "01/KH-SCT"})


def sent(payload: EventData, department: str = DEPARTMENT) -> CloudEvent:
    return CloudEvent.new(
        payload, source=f"urn:thidua:department:{department}", department=department
    )


def a_department_with_a_unit() -> MemoryStore:
    store = MemoryStore()
    store.given(
        streams.department(DEPARTMENT),
        DepartmentRegistered.model_validate(
            {
                "department_code": DEPARTMENT,
                "name": "Sở Công Thương Gia Lai",
                "ministry_id": "bct",
                "province_id": "gia-lai",
                "sector": "industry_trade",
            }
        ),
    )
    store.given(
        streams.unit(f"{DEPARTMENT}/qltt"),
        UnitEstablished(
            unit_id=f"{DEPARTMENT}/qltt",
            department_code=DEPARTMENT,
            name="Chi cục Quản lý thị trường",
            kind="attached_unit",
            established_on=date(2015, 1, 1),
        ),
    )
    return store


def refusal_codes(error: pytest.ExceptionInfo[Refused]) -> list[str]:
    return [r.code for r in error.value.reasons]


def test_a_launch_claims_its_plan_number_with_the_campaign() -> None:
    store = a_department_with_a_unit()
    decided = decide(decider(), store, sent(PLAN), department=DEPARTMENT)
    number = streams.campaign_number("sct-gialai", 2018, "01/KH-SCT")
    assert [stream for stream, _ in decided] == [streams.campaign(PLAN.campaign_id), number]


def test_a_second_plan_under_the_same_number_is_refused() -> None:
    store = a_department_with_a_unit()
    decide(decider(), store, sent(PLAN), department=DEPARTMENT)
    other = PLAN.model_copy(update={"campaign_id": f"{DEPARTMENT}/2018/khac"})
    with pytest.raises(Refused) as refused:
        decide(decider(), store, sent(other), department=DEPARTMENT)
    assert refusal_codes(refused) == ["campaign.number_taken"]


def test_a_unit_of_another_department_is_refused_by_the_kernel_rule() -> None:
    store = a_department_with_a_unit()
    joined = PersonJoined(
        person_id="x/1",
        department_code="sct-khanhhoa",
        unit_id=f"{DEPARTMENT}/qltt",
        full_name="Nguyễn Văn A",
        sex="male",
        position="Chuyên viên",
        is_leader=False,
        joined_on=date(2017, 1, 1),
    )
    with pytest.raises(Refused) as refused:
        decide(decider(), store, sent(joined), department=DEPARTMENT)
    assert refusal_codes(refused) == ["producer.foreign_department"]
    assert store.log == []


def test_late_registration_is_refused_and_a_timely_one_recorded() -> None:
    store = a_department_with_a_unit()
    decide(decider(), store, sent(PLAN), department=DEPARTMENT)
    register = UnitRegistered.model_validate(
        {
            "campaign_id": PLAN.campaign_id,
            "department_code": DEPARTMENT,
            "unit_id": f"{DEPARTMENT}/qltt",
            "titles": ["TTLDXS"],
            "registered_on": "2018-08-31",
        }
    )
    with pytest.raises(Refused) as refused:
        decide(decider(), store, sent(register), department=DEPARTMENT)
    assert refusal_codes(refused) == ["registration.deadline_passed"]
    timely = register.model_copy(update={"registered_on": date(2018, 8, 30)})
    decided = decide(decider(), store, sent(timely), department=DEPARTMENT)
    assert [type(f).__name__ for _, f in decided] == ["UnitRegistered"]
