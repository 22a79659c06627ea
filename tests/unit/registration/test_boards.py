"""Only a province's board registers provinces and ministries and places a department in its
province (issue 14): the decision table, given who sends what, on the event store in memory."""

from __future__ import annotations

import pytest

from contracts import topics
from contracts.base import EventData
from contracts.envelope import CloudEvent
from contracts.registration import DepartmentRegistered, MinistryRegistered, ProvinceRegistered
from services.registration import streams
from services.registration.handlers import decider
from thidua.es.memory import MemoryStore, decide
from thidua.es.rejections import Refused

GIA_LAI_BOARD = "gia-lai-board"
KON_TUM_BOARD = "kon-tum-board"
DEPARTMENT = "sct-gialai"
MINISTRY = MinistryRegistered(ministry_id="bct", name="Bộ Công Thương", sector_code="cong-thuong")
PROVINCE = ProvinceRegistered(province_id="gia-lai", name="Gia Lai")


def placed(code: str = DEPARTMENT, province: str = "gia-lai") -> DepartmentRegistered:
    return DepartmentRegistered(
        department_code=code, name="Sở Công Thương", province_id=province, ministry_id="bct"
    )


def sent_by(sender: str, payload: EventData) -> list[tuple[str, EventData]]:
    """What the table decides for ``payload`` on ``sender``'s ingress topic, after the
    ministry and the province (each from the Gia Lai board)."""
    store = MemoryStore()
    store.given(streams.ministry("bct"), MINISTRY)
    store.given(streams.province("gia-lai"), PROVINCE)
    event = CloudEvent.new(payload, source=f"urn:thidua:{sender}", department=sender)
    return decide(decider(), store, event, department=sender)


def refused_codes(sender: str, payload: EventData) -> list[str]:
    with pytest.raises(Refused) as refused:
        sent_by(sender, payload)
    return [r.code for r in refused.value.reasons]


def test_a_board_code_is_its_province_and_a_suffix_no_department_may_take() -> None:
    assert topics.board("gia-lai") == GIA_LAI_BOARD
    assert topics.ingress(topics.board("gia-lai")) == "thidua.ingress.gia-lai-board"
    assert topics.is_reserved(GIA_LAI_BOARD) and topics.is_reserved(topics.UNROUTED)
    assert not topics.is_reserved(DEPARTMENT)


@pytest.mark.parametrize(
    ("sender", "payload", "outcome"),
    [
        # The province's own board: accepted.
        (KON_TUM_BOARD, ProvinceRegistered(province_id="kon-tum", name="Kon Tum"), "ok"),
        (GIA_LAI_BOARD, placed(), "ok"),
        (
            GIA_LAI_BOARD,
            MinistryRegistered(ministry_id="bnv", name="Bộ Nội vụ", sector_code="nv"),
            "ok",
        ),
        # Any province's board registers a ministry (no province owns one).
        (
            KON_TUM_BOARD,
            MinistryRegistered(ministry_id="bnv", name="Bộ Nội vụ", sector_code="nv"),
            "ok",
        ),
        # Another province's board: not in Gia Lai.
        (
            GIA_LAI_BOARD,
            ProvinceRegistered(province_id="kon-tum", name="Kon Tum"),
            "producer.board_only",
        ),
        (KON_TUM_BOARD, placed(), "producer.board_only"),
        # A department, even about itself: never.
        (DEPARTMENT, MINISTRY, "producer.board_only"),
        (DEPARTMENT, PROVINCE, "producer.board_only"),
        (DEPARTMENT, placed(), "producer.board_only"),
        (DEPARTMENT, placed("sct-khac"), "producer.board_only"),
        # A province id that cannot name a board has none: nobody registers it.
        (
            GIA_LAI_BOARD,
            ProvinceRegistered(province_id="Gia/Lai", name="Gia Lai"),
            "producer.board_only",
        ),
        # A department may not take a board's code, nor the unrouted refusals'.
        (GIA_LAI_BOARD, placed("kon-tum-board"), "producer.reserved_code"),
        (GIA_LAI_BOARD, placed(topics.UNROUTED), "producer.reserved_code"),
    ],
)
def test_who_may_register_the_directory(sender: str, payload: EventData, outcome: str) -> None:
    if outcome == "ok":
        assert [type(f) for _, f in sent_by(sender, payload)] == [type(payload)]
    else:
        assert refused_codes(sender, payload) == [outcome]


def test_a_repeat_by_the_board_is_no_change_and_by_a_department_a_refusal() -> None:
    assert sent_by(GIA_LAI_BOARD, PROVINCE) == []
    assert refused_codes(DEPARTMENT, PROVINCE) == ["producer.board_only"]
