"""Refusals of malformed records say what is wrong in Vietnamese, not in pydantic's English."""

from __future__ import annotations

import json

import pytest

from thidua.es.admission import typed
from thidua.es.intake import Incoming, read_event
from thidua.es.rejections import Refused, schema_message

ENVELOPE = {
    "specversion": "1.0",
    "id": "e-1",
    "source": "urn:thidua:department:sct-gialai",
    "type": "vn.thidua.registration.PersonJoined.v1",
    "time": "2018-01-02T08:00:00+07:00",
    "datacontenttype": "application/json",
}


def _refusal(value: bytes) -> str:
    with pytest.raises(Refused) as refused:
        read_event(Incoming("thidua.ingress.sct-gialai", 0, 7, None, value, ()))
    return "; ".join(r.message for r in refused.value.reasons)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"[" * 5000 + b"]" * 5000, "không phải JSON hợp lệ"),
        (b"not json", "không phải JSON hợp lệ"),
        (json.dumps({**ENVELOPE, "time": "not-a-time"}).encode(), "thời điểm theo RFC 3339"),
        (json.dumps({k: v for k, v in ENVELOPE.items() if k != "id"}).encode(), "bắt buộc"),
    ],
)
def test_envelope_refusals_are_vietnamese(value: bytes, expected: str) -> None:
    message = _refusal(value)
    assert expected in message
    assert "Input should" not in message and "Field required" not in message


def test_a_number_too_large_for_a_float_is_refused_in_vietnamese() -> None:
    data = {
        "department_code": "sct-gialai",
        "person_id": "sct-gialai/p-1",
        "full_name": "Nguyễn Văn A",
        "unit_id": "sct-gialai/vp",
        "joined_on": "2015-05-05",
        "sex": "female",
        "birth_year": "BIRTH",
    }
    raw = json.dumps({**ENVELOPE, "data": data}).replace('"BIRTH"', "1e400").encode()
    event = read_event(Incoming("thidua.ingress.sct-gialai", 0, 7, None, raw, ()))
    with pytest.raises(Refused) as refused:
        typed(event)
    messages = "; ".join(r.message for r in refused.value.reasons)
    assert "Trường 'birth_year' không hợp lệ: phải là số hữu hạn" in messages
    assert "Input should" not in messages


def test_a_type_without_a_translation_keeps_pydantic_message_and_bad_context_falls_back() -> None:
    assert schema_message({"type": "uuid_parsing", "msg": "Input should be a valid UUID"}) == (
        "Input should be a valid UUID"
    )
    assert schema_message({"type": "string_too_long", "msg": "too long", "ctx": {}}) == "too long"
    assert (
        schema_message({"type": "string_too_long", "msg": "x", "ctx": {"max_length": 300}})
        == "quá dài (nhiều nhất 300 ký tự)"
    )
