"""What an event concerns, read from its data (the audit trail's index), and a refusal that
names the subjects of the event it refused."""

from __future__ import annotations

from contracts import topics
from contracts.envelope import CloudEvent
from contracts.examples import EXAMPLES
from contracts.rejections import InputRejected
from contracts.subjects import SubjectRef, subjects_of
from services.reporting.audit.summary import summary
from thidua.es.batch import rejection_event
from thidua.es.intake import Incoming
from thidua.es.rejections import Reason

NOMINATION = {
    "nomination_id": "sct-gialai/2018/cstdcs-0042",
    "department_code": "sct-gialai",
    "campaign_id": "sct-gialai/2018/phat-dong",
    "nominee_kind": "individual",
    "nominee_id": "sct-gialai/p-0042",
    "unit_id": "sct-gialai/vp",
    "evidence": {"initiative_ids": ["sct-gialai/sk-2018-07"], "rating": "excellent"},
}


def pairs(data: dict[str, object]) -> list[tuple[str, str]]:
    return [(s.kind, s.id) for s in subjects_of(data)]


def test_a_nomination_names_its_nominee_unit_campaign_and_evidence() -> None:
    assert pairs(NOMINATION) == [
        ("nomination", "sct-gialai/2018/cstdcs-0042"),
        ("department", "sct-gialai"),
        ("campaign", "sct-gialai/2018/phat-dong"),
        ("person", "sct-gialai/p-0042"),
        ("unit", "sct-gialai/vp"),
        ("initiative", "sct-gialai/sk-2018-07"),
    ]


def test_a_collective_nominee_is_a_unit_and_each_subject_is_named_once() -> None:
    data = {"nominee_kind": "collective", "nominee_id": "u-1", "unit_id": "u-1"}
    assert pairs(data) == [("unit", "u-1")]


def test_values_that_are_not_ids_are_left_out() -> None:
    assert pairs({"person_id": "bad id with spaces", "unit_id": 7, "campaign_id": None}) == []
    assert pairs({"nominee_kind": "martian", "nominee_id": "x"}) == []


def test_a_hostile_nesting_is_read_only_so_deep() -> None:
    data: dict[str, object] = {"person_id": "p-deep"}
    for _ in range(5000):
        data = {"inner": data}
    assert pairs(data) == []
    assert pairs({"a": {"b": {"person_id": "p-1"}}}) == [("person", "p-1")]


def test_every_example_names_only_well_formed_subjects() -> None:
    for examples in EXAMPLES.values():
        for data in examples:
            for subject in subjects_of(data):
                assert SubjectRef.model_validate(subject.model_dump()) == subject


def test_a_refusal_names_the_subjects_of_the_refused_event() -> None:
    event = CloudEvent(
        id="e-1",
        source="urn:dept:sct-gialai",
        type="vn.thidua.awards.NominationSubmitted.v1",
        time="2018-12-01T08:00:00Z",
        data=NOMINATION,
    )
    incoming = Incoming(topics.ingress("sct-gialai"), 0, 3, None, event.to_json(), ())
    refusal = rejection_event(
        "awards", "urn:svc", incoming, event, [Reason("awards.dossier_late", "Hồ sơ nộp muộn")]
    )
    payload = InputRejected.model_validate(refusal.data)
    assert payload.subjects is not None
    assert ("person", "sct-gialai/p-0042") in [(s.kind, s.id) for s in payload.subjects]
    unreadable = rejection_event(
        "registration", "urn:svc", incoming, None, [Reason("envelope.invalid", "x")]
    )
    assert InputRejected.model_validate(unreadable.data).subjects is None


def test_a_summary_says_what_happened_in_vietnamese() -> None:
    subjects = subjects_of(NOMINATION)
    assert summary("vn.thidua.awards.NominationApproved.v1", subjects) == (
        "Quyết định khen thưởng: cá nhân sct-gialai/p-0042, đơn vị sct-gialai/vp,"
        " phong trào sct-gialai/2018/phat-dong, hồ sơ sct-gialai/2018/cstdcs-0042"
    )
    refused = summary(
        "vn.thidua.rejections.InputRejected.v1",
        subjects[:1],
        refused_type="vn.thidua.awards.NominationSubmitted.v1",
        codes=["awards.dossier_late"],
    )
    assert refused == (
        "Từ chối: Tiếp nhận hồ sơ đề nghị khen thưởng (awards.dossier_late):"
        " hồ sơ sct-gialai/2018/cstdcs-0042"
    )
    assert summary("vn.thidua.x.Unknown.v1", []) == "Unknown"


def test_a_refusal_excerpt_keeps_only_the_plain_naming_fields() -> None:
    from contracts.excerpts import MAX_TEXT, excerpt_of

    data = {
        "number": "45/QĐ-SCT",
        "issued_on": "2019-12-10",
        "year": 2019,
        "title": "x" * 500,
        "name": {"nested": "no"},
        "full_name": float("nan"),
        "nomination_ids": ["a", "b"],
    }
    excerpt = excerpt_of(data)
    assert excerpt is not None
    assert set(excerpt) == {"number", "issued_on", "year", "title"}
    assert len(str(excerpt["title"])) == MAX_TEXT and str(excerpt["title"]).endswith("…")
    assert excerpt_of({"nomination_ids": ["a"]}) is None
