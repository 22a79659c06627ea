"""The HTTP door reads CloudEvents in the binding's three modes as the ingress reads Kafka
records: the same events, the same refusals (the kernel's own checks)."""

from __future__ import annotations

from datetime import date

import pytest
from cloudevents.core.bindings.http import HTTPMessage

from contracts.envelope import CloudEvent
from contracts.registration import PersonJoined
from services.reporting.door.binding import MAX_BATCH_EVENTS, Admitted, Unreadable, read_request
from tests import cloudevents_sdk as sdk

CODE = "sct-gialai"


def joined(n: int = 1, department: str = CODE) -> CloudEvent:
    payload = PersonJoined(
        person_id=f"{department}/p-{n}",
        department_code=department,
        unit_id=f"{department}/vp",
        full_name='Nguyễn Thị Lan - Phòng Quản lý "công nghiệp" 100%',
        sex="female",
        joined_on=date(2010, 9, 1),
    )
    return CloudEvent.new(payload, source="urn:thidua:department:sct-gialai", department=department)


def read(message: HTTPMessage, code: str = CODE) -> Admitted:
    headers = [(k.lower().encode(), v.encode()) for k, v in message.headers.items()]
    content_type = {k.lower(): v for k, v in message.headers.items()}.get("content-type")
    return read_request(code, headers, content_type, message.body)


@pytest.mark.parametrize("mode", [sdk.binary, sdk.structured])
def test_one_event_from_the_sdk_reads_as_the_same_event(mode: object) -> None:
    event = joined()
    admitted = read(mode(event))  # type: ignore[operator]
    assert admitted.refusals == {}
    assert admitted.events == [event]


def test_a_batch_reads_every_event_in_order() -> None:
    events = [joined(n) for n in range(5)]
    admitted = read(sdk.batch(events))
    assert admitted.events == events and not admitted.refusals


def test_a_batch_with_bad_events_names_each_by_index_with_the_ingress_codes() -> None:
    good = joined(1)
    foreign = joined(2, department="sct-baclieu")
    not_submittable = CloudEvent.new(
        joined(3).payload(), source="urn:x", department=CODE
    ).model_copy(update={"type": "vn.thidua.notifications.NotificationSent.v1"})
    bad_data = joined(4).model_copy(update={"data": {"person_id": 7}})
    admitted = read(sdk.batch([good, foreign, bad_data, not_submittable]))
    assert admitted.events == [good]
    codes = {i: {r.code for r in reasons} for i, reasons in admitted.refusals.items()}
    assert codes[1] == {"producer.foreign_department"}
    assert codes[2] == {"data.invalid"}
    assert codes[3] & {"data.invalid", "envelope.not_submittable"}
    assert admitted.ids == {1: foreign.id, 2: bad_data.id, 3: not_submittable.id}


def test_binary_attributes_are_percent_decoded() -> None:
    event = joined().model_copy(update={"subject": 'sct-gialai/p-1 "Lan" 100%'})
    message = sdk.binary(event)
    assert "%20" in message.headers["ce-subject"]
    assert read(message).events == [event]


def test_a_binary_attribute_that_is_not_utf8_is_refused() -> None:
    message = sdk.binary(joined())
    headers = {**message.headers, "ce-source": "%FF%FE"}
    admitted = read(HTTPMessage(headers=headers, body=message.body))
    assert [r.code for r in admitted.refusals[0]] == ["envelope.invalid"]


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code"),
    [
        ("text/plain", b"hello", 415, "door.unsupported_content"),
        ("application/json", b"{}", 415, "door.unsupported_content"),
        (sdk.BATCH_CONTENT_TYPE, b"{}", 400, "door.batch_unreadable"),
        (sdk.BATCH_CONTENT_TYPE, b"[1,", 400, "door.batch_unreadable"),
        (sdk.BATCH_CONTENT_TYPE, b"[]", 422, "door.batch_empty"),
        (
            sdk.BATCH_CONTENT_TYPE,
            b"[" + b"{}," * MAX_BATCH_EVENTS + b"{}]",
            413,
            "door.batch_too_large",
        ),
    ],
)
def test_what_is_no_cloudevent_at_all(
    content_type: str, body: bytes, status: int, code: str
) -> None:
    with pytest.raises(Unreadable) as caught:
        read_request(CODE, [(b"content-type", content_type.encode())], content_type, body)
    assert (caught.value.status, caught.value.code) == (status, code)


def test_an_element_of_a_batch_that_is_not_an_envelope_is_refused_by_index() -> None:
    message = sdk.batch([joined(1)])
    body = message.body[:-1] + b',"x",{"specversion":"1.0"}]'
    admitted = read(HTTPMessage(headers=message.headers, body=body))
    assert len(admitted.events) == 1 and set(admitted.refusals) == {1, 2}
    assert all(r.code == "envelope.invalid" for rs in admitted.refusals.values() for r in rs)
    assert admitted.ids == {}  # neither says an id


def test_a_refused_binary_event_is_named_by_its_ce_id() -> None:
    message = sdk.binary(joined().model_copy(update={"data": {"person_id": 7}}))
    admitted = read(message)
    assert admitted.ids == {0: message.headers["ce-id"]}
