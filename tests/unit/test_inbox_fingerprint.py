"""What the inbox records of an event, by where it was read: a department's record is
fingerprinted (an id reused for other content is refused), an event a relay published is
recognised by its id alone."""

from __future__ import annotations

from contracts import registration as rg
from contracts import topics
from contracts.envelope import CloudEvent
from thidua.es import inbox

INGRESS = topics.ingress("sct-gialai")
PUBLISHED = "thidua.registration.events"


def _unit(name: str) -> CloudEvent:
    fact = rg.UnitEstablished(
        unit_id="sct-gialai/u001",
        department_code="sct-gialai",
        name=name,
        kind="section",
        established_on="2018-01-02",
    )
    return CloudEvent.new(fact, source="urn:test", department="sct-gialai")


def test_a_departments_record_is_fingerprinted_and_a_reused_id_is_told_apart() -> None:
    first = _unit("Phòng Kế hoạch")
    again = CloudEvent.from_json(first.to_json())
    reused = first.model_copy(update={"data": {**first.data, "name": "Phòng Tài chính"}})
    recorded = inbox.fingerprint(first, INGRESS)
    assert recorded == inbox.digest(first) and len(recorded) == 64
    assert inbox.same(recorded, inbox.fingerprint(again, INGRESS))
    assert not inbox.same(recorded, inbox.fingerprint(reused, INGRESS))


def test_an_event_a_relay_published_is_recognised_by_its_id_alone() -> None:
    event = _unit("Phòng Kế hoạch")
    assert inbox.fingerprint(event, PUBLISHED) == inbox.BY_ID
    assert inbox.fingerprint(event, "thidua.rejections.sct-gialai") == inbox.BY_ID
    # A copy read again is a copy, also of an event recorded with its full digest before.
    assert inbox.same(inbox.BY_ID, inbox.fingerprint(event, PUBLISHED))
    assert inbox.same(inbox.digest(event), inbox.fingerprint(event, PUBLISHED))
    # An id first seen published and then sent by a department is not taken for a copy.
    assert not inbox.same(inbox.BY_ID, inbox.fingerprint(event, INGRESS))
