"""Regressions found by the fuzz run of Kafka records (``thidua fuzz``): each record here once
went to a DLQ, vanished or was refused twice; now each is refused once, within the refusal's
own contract."""

from __future__ import annotations

import json
from datetime import date

import pytest

from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from contracts.notifications import DeliveryPlanned
from contracts.registration import PersonJoined
from thidua.es.batch import BatchDecision, Outcome, Ownership, rejection_event
from thidua.es.decider import Decider
from thidua.es.intake import Incoming, read_event
from thidua.es.rejections import Refused

INGRESS = "thidua.ingress.sct-gialai"


def joined() -> CloudEvent:
    payload = PersonJoined(
        person_id="sct-gialai/p-1",
        department_code="sct-gialai",
        unit_id="sct-gialai/vp",
        full_name="Nguyễn Thị Lan",
        sex="female",
        joined_on=date(2010, 9, 1),
    )
    return CloudEvent.new(payload, source="urn:dept", department="sct-gialai")


def binary(event: CloudEvent) -> tuple[bytes, list[tuple[str, bytes]]]:
    document = json.loads(event.to_json())
    data = document.pop("data")
    headers = [(f"ce_{k}", str(v).encode()) for k, v in document.items()]
    return json.dumps(data, ensure_ascii=False).encode(), headers


def refusal_of(value: bytes, headers: list[tuple[str, bytes]]) -> Refused:
    incoming = Incoming(INGRESS, 0, 7, None, value, headers)
    with pytest.raises(Refused) as caught:
        read_event(incoming)
    # The refusal itself must be publishable (a refusal that breaks its own contract
    # sent the record to the DLQ).
    rejection_event("registration", "urn:svc", incoming, None, caught.value.reasons)
    return caught.value


def test_a_lone_surrogate_in_binary_data_is_refused() -> None:
    """json.loads accepts "\\ud800"; the string could then not be encoded to UTF-8 again (the
    inbox digest failed and the record went to the DLQ)."""
    value, headers = binary(joined())
    value = value.replace(b'"full_name": "', b'"full_name": "\\ud800', 1)
    refused = refusal_of(value, headers)
    assert [r.code for r in refused.reasons] == ["envelope.invalid"]


def test_deep_binary_data_is_refused() -> None:
    _, headers = binary(joined())
    refused = refusal_of(b'{"x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", headers)
    assert [r.code for r in refused.reasons] == ["envelope.invalid"]


@pytest.mark.parametrize(
    "content_type", [b"text/plain", b"application/xml", b"application/cloudevents-batch+json"]
)
def test_a_structured_envelope_labelled_as_something_else_is_refused(content_type: bytes) -> None:
    refused = refusal_of(joined().to_json(), [("content-type", content_type)])
    assert [(r.code, r.field) for r in refused.reasons] == [("envelope.invalid", "content-type")]


@pytest.mark.parametrize(
    "content_type", [None, b"application/cloudevents+json; charset=utf-8", b"application/json"]
)
def test_a_structured_envelope_labelled_as_json_is_read(content_type: bytes | None) -> None:
    headers = [("content-type", content_type)] if content_type else []
    event = joined()
    assert read_event(Incoming(INGRESS, 0, 1, None, event.to_json(), headers)) == event


def test_the_size_limit_is_judged_before_a_header_key_and_the_first_content_type_counts() -> None:
    """Headers are read in one pass; which refusal a record gets does not depend on it: too
    large first, then a key that is not UTF-8, then the (first) content type."""
    bad_key = b"x\xff".decode("utf-8", "surrogateescape")
    value = joined().to_json()
    too_large = refusal_of(value, [(bad_key, b"v"), ("pad", b"x" * 300_000)])
    assert [r.code for r in too_large.reasons] == ["envelope.too_large"]
    bad = refusal_of(value, [("content-type", b"text/plain"), (bad_key, b"v")])
    assert [(r.code, r.field) for r in bad.reasons] == [("envelope.invalid", "x\\xff")]
    first_plain = [("content-type", b"text/plain"), ("content-type", b"application/json")]
    labelled = refusal_of(value, first_plain)
    assert [(r.code, r.field) for r in labelled.reasons] == [("envelope.invalid", "content-type")]
    first_json = first_plain[::-1]
    assert read_event(Incoming(INGRESS, 0, 1, None, value, first_json)).to_json() == value


@pytest.mark.parametrize(
    "escaped",
    [
        b'"full_name": "Nguy\\u0000n',  # the only backslash is the NUL's own
        b'"full_name": "\\"Lan\\" \\u0000',  # other escapes before it
    ],
)
def test_a_nul_escape_is_refused_whatever_else_the_text_escapes(escaped: bytes) -> None:
    original = joined().to_json()
    value = original.replace(b'"full_name":"', escaped, 1)
    assert value != original
    refused = refusal_of(value, [])
    assert [r.code for r in refused.reasons] == ["envelope.invalid"]
    assert "NUL" in refused.reasons[0].message


def test_a_nul_in_a_binary_attribute_is_refused() -> None:
    value, headers = binary(joined())
    headers = [(k, b"urn:de\x00pt" if k == "ce_source" else v) for k, v in headers]
    refused = refusal_of(value, headers)
    assert [r.code for r in refused.reasons] == ["envelope.invalid"]


def test_long_producer_text_in_a_reason_is_cut_to_the_contract() -> None:
    value, headers = binary(joined())
    long_type = [*headers, ("content-type", b"x" * 5000)]
    assert len(refusal_of(value, long_type).reasons[0].message) < 200
    long_name = [("ce_" + "n" * 5000, b"\xff"), *headers]
    reason = refusal_of(value, long_name).reasons[0]
    assert len(reason.message) < 200 and len(reason.field or "") <= 80


def test_a_refusal_quoting_more_than_its_contract_allows_is_cut() -> None:
    from thidua.es.rejections import Reason

    incoming = Incoming(INGRESS, 0, 7, None, b"")
    event = rejection_event(
        "awards", "urn:svc", incoming, None, [Reason("x.y", "m" * 5000, "f" * 1000)]
    )
    reason = event.data["reasons"][0]
    assert (len(reason["message"]), len(reason["field"])) == (2000, 300)


def read(ownership: Ownership, event: CloudEvent) -> tuple[str | None, list[str]]:
    decision = BatchDecision("svc", Decider(), ownership=ownership)
    record = decision._read(Incoming(INGRESS, 0, 1, None, event.to_json()))
    return record.outcome, [r.code for r in record.refusal or []]


def test_a_type_no_ingress_reader_owns_is_refused_by_the_gatekeeper_alone() -> None:
    """A notifications fact on an ingress topic: neither registration nor awards owns it, and
    notifications reads no ingress, so it vanished without a refusal."""
    planned = DeliveryPlanned.model_validate(EXAMPLES[DeliveryPlanned][0])
    event = CloudEvent.new(planned, source="urn:dept", department="sct-gialai")
    assert read(Ownership.service("registration", gatekeeper=True), event) == (
        None,
        ["envelope.not_submittable"],
    )
    assert read(Ownership.service("awards"), event) == (Outcome.NOT_OURS, [])


def test_an_unknown_type_under_another_service_prefix_is_refused_once() -> None:
    """``vn.thidua.awards.Bogus.v1`` was refused by awards (its prefix) and by the gatekeeper
    (an unknown type): two refusals of one record."""
    event = joined().model_copy(update={"type": "vn.thidua.awards.Bogus.v1"})
    assert read(Ownership.service("registration", gatekeeper=True), event) == (
        None,
        ["envelope.unknown_type"],
    )
    assert read(Ownership.service("awards"), event) == (Outcome.NOT_OURS, [])


def test_counts_and_amounts_are_bounded_by_the_contract() -> None:
    """A headcount of 3 billion passed registration, and reporting could not write it to its
    ``integer`` column (asyncpg: value out of int32 range, a poison record for its DLQ); now
    ingress refuses it."""
    from pydantic import ValidationError

    from contracts.common import MAX_COUNT
    from contracts.registration import UnitEstablished

    unit = EXAMPLES[UnitEstablished][0]
    assert UnitEstablished.model_validate({**unit, "headcount": MAX_COUNT}).headcount == MAX_COUNT
    with pytest.raises(ValidationError):
        UnitEstablished.model_validate({**unit, "headcount": 3_000_000_000})
