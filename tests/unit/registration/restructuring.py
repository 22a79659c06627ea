"""Bạc Liêu's Sở Công Thương merging into Cà Mau's on 01/07/2025 (issue 16), on registration's
decision table in memory: the world before the merger (``the_world``) and after it
(``after_the_merger``), a fact sent as a department or a board would (``send``, ``refused``),
and the facts the restructuring tests send."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts import examples
from contracts.base import EventData
from contracts.common import DocumentRef
from contracts.envelope import CloudEvent
from contracts.registration import (
    CampaignLaunched,
    DepartmentMerged,
    DepartmentRegistered,
    MinistryRegistered,
    PerformanceRated,
    PersonJoined,
    ProvinceRegistered,
    UnitEstablished,
    UnitRegistered,
    UnitTransferred,
)
from services.registration import streams
from services.registration.handlers import decider
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

OLD, NEW = "sct-baclieu", "sct-camau"
BL_BOARD, CM_BOARD = "bac-lieu-board", "ca-mau-board"
MERGER_DAY = date(2025, 7, 1)
RESOLUTION_202 = DocumentRef(
    number="202/2025/QH15",
    issued_on=date(2025, 6, 12),
    issuer="Quốc hội",
    title="Về việc sắp xếp đơn vị hành chính cấp tỉnh",
)
UNIT, OTHER_UNIT, NEW_UNIT = f"{OLD}/ttkc", f"{OLD}/vp", f"{NEW}/vp"
PERSON = f"{OLD}/p-0012"
CAMPAIGN = f"{OLD}/2025/thi-dua"


def department(code: str, name: str, province: str, **kw: Any) -> DepartmentRegistered:
    return DepartmentRegistered(
        department_code=code, name=name, province_id=province, ministry_id="bct", **kw
    )


def unit(unit_id: str, department_code: str) -> UnitEstablished:
    return UnitEstablished.model_validate(
        {
            "unit_id": unit_id,
            "department_code": department_code,
            "name": f"Đơn vị {unit_id}",
            "kind": "section",
            "established_on": "2015-01-01",
        }
    )


def plan() -> CampaignLaunched:
    return CampaignLaunched.model_validate(
        {
            **examples.BAC_LIEU_53_KH_SCT,
            "campaign_id": CAMPAIGN,
            "number": "01/KH-SCT",
            "issued_on": "2025-02-01",
            "year": 2025,
            "period": {"start": "2025-02-01", "end": "2026-12-31"},
        }
    )


def the_world() -> MemoryStore:
    """Bạc Liêu and Cà Mau, a department in each, units, a person, an open campaign."""
    store = MemoryStore()
    store.given(
        streams.ministry("bct"),
        MinistryRegistered(ministry_id="bct", name="Bộ Công Thương", sector_code="cong-thuong"),
    )
    store.given(
        streams.province("bac-lieu"), ProvinceRegistered(province_id="bac-lieu", name="Bạc Liêu")
    )
    store.given(streams.province("ca-mau"), ProvinceRegistered(province_id="ca-mau", name="Cà Mau"))
    store.given(
        streams.department(OLD),
        department(OLD, "Sở Công Thương Bạc Liêu", "bac-lieu", established_on=date(2008, 1, 1)),
    )
    store.given(streams.department(NEW), department(NEW, "Sở Công Thương Cà Mau", "ca-mau"))
    for unit_id, code in ((UNIT, OLD), (OTHER_UNIT, OLD), (NEW_UNIT, NEW)):
        store.given(streams.unit(unit_id), unit(unit_id, code))
    store.given(
        streams.person(PERSON),
        PersonJoined.model_validate(
            {
                "person_id": PERSON,
                "department_code": OLD,
                "unit_id": UNIT,
                "full_name": "Trần Thị Mai",
                "sex": "female",
                "position": "Chuyên viên",
                "is_leader": False,
                "joined_on": "2016-03-01",
            }
        ),
    )
    store.given(streams.campaign(CAMPAIGN), plan())
    return store


def send(store: MemoryStore, sender: str, payload: EventData) -> list[tuple[str, EventData]]:
    event = CloudEvent.new(payload, source=f"urn:thidua:{sender}", department=sender)
    return decide(decider(), store, event, department=sender)


def refused(store: MemoryStore, sender: str, payload: EventData) -> Refused:
    log = list(store.log)
    with pytest.raises(Refused) as error:
        send(store, sender, payload)
    assert store.log == log  # a refusal changes nothing
    return error.value


def codes(error: Refused) -> list[str]:
    return [r.code for r in error.reasons]


def merged(code: str = OLD, into: str = NEW, on: date = MERGER_DAY, **kw: Any) -> DepartmentMerged:
    return DepartmentMerged(
        department_code=code, into_department_code=into, effective_on=on,
        legal_basis=RESOLUTION_202, **kw,
    )  # fmt: skip


def after_the_merger() -> MemoryStore:
    store = the_world()
    assert [type(f).__name__ for _, f in send(store, BL_BOARD, merged())] == ["DepartmentMerged"]
    return store


def rating(sender: str, year: int, **kw: Any) -> PerformanceRated:
    return PerformanceRated.model_validate(
        {
            "department_code": sender,
            "subject_kind": "individual",
            "subject_id": PERSON,
            "unit_id": UNIT,
            "year": year,
            "rating": "excellent",
            **kw,
        }
    )


def registered(sender: str, on: str, unit_id: str = UNIT) -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "campaign_id": CAMPAIGN,
            "department_code": sender,
            "unit_id": unit_id,
            "titles": ["TTLDXS"],
            "registered_on": on,
        }
    )


def transferred(**kw: Any) -> UnitTransferred:
    return UnitTransferred.model_validate(
        {
            "unit_id": UNIT,
            "from_department_code": OLD,
            "to_department_code": NEW,
            "effective_on": "2025-07-01",
            **kw,
        }
    )
