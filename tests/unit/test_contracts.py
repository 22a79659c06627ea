"""Event contracts: committed schemas match the code, versions only grow, the seed plans fit."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts import EVENT_TYPES, CloudEvent, EventData, generate
from contracts.awards import CouncilVoted, NominationSubmitted
from contracts.base import UnknownEventType
from contracts.common import Comparator, TargetBasis, TargetMeasure, TitleCode
from contracts.examples import (
    BAC_LIEU_53_KH_SCT,
    EXAMPLES,
    GIA_LAI_2018_PLAN,
    SEED_PLANS,
)
from contracts.registration import CampaignLaunched, IndividualRegistered, UnitRenamed
from contracts.rejections import InputRejected, RejectionReason

TYPE_NAME = re.compile(r"^vn\.thidua\.[a-z]+\.[A-Z][A-Za-z0-9]+\.v[1-9][0-9]*$")
REGENERATE = "run python -m contracts.generate"
ALL_TYPES = sorted(EVENT_TYPES)


def _examples() -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (cls.type_name(), i, example)
        for cls, examples in EXAMPLES.items()
        for i, example in enumerate(examples)
    ]


# --- committed files -------------------------------------------------------------------------


def test_committed_schemas_and_asyncapi_match_the_contracts() -> None:
    drifted = generate.find_drift()
    assert not drifted, f"generated files drifted, {REGENERATE}: {drifted}"


def test_check_mode_passes_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert generate.main(["--check"]) == 0, capsys.readouterr().out


def test_drift_detection_sees_changed_missing_and_stale_files(tmp_path: Path) -> None:
    generate.write(tmp_path)
    assert generate.find_drift(tmp_path) == []
    changed = tmp_path / generate.ASYNCAPI
    changed.write_text(changed.read_text(encoding="utf-8") + " ", encoding="utf-8")
    missing = f"{generate.SCHEMA_DIR}/{UnitRenamed.type_name()}.json"
    (tmp_path / missing).unlink()
    stale = f"{generate.SCHEMA_DIR}/vn.thidua.registration.Gone.v1.json"
    (tmp_path / stale).write_text("{}\n", encoding="utf-8")

    assert generate.find_drift(tmp_path) == sorted([generate.ASYNCAPI, missing, stale])
    generate.write(tmp_path)
    assert generate.find_drift(tmp_path) == []


def test_generated_output_is_deterministic() -> None:
    assert generate.render() == generate.render()
    for text in generate.render().values():
        assert text.endswith("}\n")
        assert text == generate.dump(json.loads(text))


def test_each_payload_schema_is_identified_and_self_contained() -> None:
    files = generate.render()
    for cls in EVENT_TYPES.values():
        schema = json.loads(files[f"{generate.SCHEMA_DIR}/{cls.type_name()}.json"])
        assert schema["$id"] == cls.schema_uri()
        assert schema["x-thidua"]["type"] == cls.type_name()
        assert schema["examples"], f"{cls.type_name()} has no example"
        for ref in _refs(schema):
            assert _pointer(schema, ref) is not None, f"{cls.type_name()}: dangling {ref}"


# --- AsyncAPI --------------------------------------------------------------------------------


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for value in node.values() for r in _refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def _pointer(document: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = document
    for part in ref[2:].split("/"):
        node = node.get(part.replace("~1", "/").replace("~0", "~"))
        if node is None:
            return None
    return node


def test_asyncapi_references_resolve_and_operations_use_their_channel() -> None:
    doc = generate.asyncapi()
    assert doc["asyncapi"] == "3.0.0"
    for ref in _refs(doc):
        assert _pointer(doc, ref) is not None, f"dangling {ref}"
    for name, operation in doc["operations"].items():
        assert operation["action"] in {"send", "receive"}
        channel = operation["channel"]["$ref"]
        for message in operation["messages"]:
            assert message["$ref"].startswith(channel + "/messages/"), name


def test_asyncapi_topics_and_who_may_send_what() -> None:
    doc = generate.asyncapi()
    addresses = {c["address"] for c in doc["channels"].values()}
    assert {
        "thidua.ingress.{department}",
        "thidua.registration.events",
        "thidua.awards.events",
        "thidua.notifications.events",
        "thidua.rejections.{department}",
        "thidua.rejections.unrouted",
        "thidua.registration.dlq",
        "thidua.awards.dlq",
        "thidua.notifications.dlq",
    } <= addresses
    ingress = set(doc["channels"]["ingress"]["messages"])
    assert ingress == {n for n, cls in EVENT_TYPES.items() if cls.submittable}
    assert "vn.thidua.registration.CampaignLaunched.v1" in ingress
    assert "vn.thidua.awards.NominationApproved.v1" not in ingress
    assert "vn.thidua.rejections.InputRejected.v1" not in ingress
    on_channels = {m for c in doc["channels"].values() for m in c["messages"]}
    assert set(EVENT_TYPES) <= on_channels


# --- additivity ------------------------------------------------------------------------------


def test_contracts_change_only_additively_within_a_version() -> None:
    problems = generate.breaking_changes()
    assert not problems, "breaking changes within a version (make a new version):\n" + "\n".join(
        problems
    )


def test_baseline_records_every_type_and_field() -> None:
    for version in generate.versions():
        recorded = generate.load_baseline(version)
        assert recorded == generate.snapshot(version), (
            f"contracts/baseline/v{version}.json is out of date: "
            "run python -m contracts.generate --baseline"
        )


def test_checker_catches_a_removed_field() -> None:
    baseline = generate.snapshot(1)
    current = copy.deepcopy(baseline)
    name = CampaignLaunched.type_name()
    del current[name]["theme"]
    del current[name]["phases[].end"]
    assert generate.breaking(baseline, current) == [
        f"{name}: field phases[].end removed",
        f"{name}: field theme removed",
    ]


def test_checker_catches_a_new_required_field() -> None:
    baseline = generate.snapshot(1)
    current = copy.deepcopy(baseline)
    name = CampaignLaunched.type_name()
    current[name]["sponsor"] = {"type": "string", "required": True}
    current[name]["phases[].budget"] = {"type": "number", "required": True}
    assert generate.breaking(baseline, current) == [
        f"{name}: new required field phases[].budget",
        f"{name}: new required field sponsor",
    ]


def test_checker_catches_retyped_newly_required_and_narrowed_fields() -> None:
    baseline = generate.snapshot(1)
    current = copy.deepcopy(baseline)
    name = CampaignLaunched.type_name()
    current[name]["year"]["type"] = "string"
    current[name]["theme"]["required"] = True
    current[name]["kind"]["enum"].remove("by_wave")
    del current[UnitRenamed.type_name()]
    assert generate.breaking(baseline, current) == [
        f"{name}: field kind lost values ['by_wave']",
        f"{name}: field theme became required",
        f"{name}: field year changed type integer -> string",
        f"{UnitRenamed.type_name()}: type removed",
    ]


def test_checker_allows_new_optional_fields_types_and_values() -> None:
    baseline = generate.snapshot(1)
    current = copy.deepcopy(baseline)
    name = CampaignLaunched.type_name()
    current[name]["website"] = {"type": "null|string", "required": False}
    current[name]["budget"] = {"type": "object", "required": False}
    current[name]["budget.amount"] = {"type": "integer", "required": True}
    current[name]["kind"]["enum"].append("five_yearly")
    current["vn.thidua.registration.Brand.v1"] = {"x": {"type": "string", "required": True}}
    assert generate.breaking(baseline, current) == []


def test_checker_reads_real_models() -> None:
    class RenamedWithRequiredReason(UnitRenamed):
        reason: str

    class RenamedWithOptionalReason(UnitRenamed):
        reason: str | None = None

    name = UnitRenamed.type_name()
    baseline = {name: generate.snapshot_of(UnitRenamed)}
    optional = {name: generate.snapshot_of(RenamedWithOptionalReason)}
    required = {name: generate.snapshot_of(RenamedWithRequiredReason)}
    assert generate.breaking(baseline, optional) == []
    assert generate.breaking(baseline, required) == [f"{name}: new required field reason"]


# --- registry and envelope -------------------------------------------------------------------


def _concrete_subclasses(cls: type[EventData]) -> list[type[EventData]]:
    found = []
    for sub in cls.__subclasses__():
        if "event_name" in sub.__dict__ and "<locals>" not in sub.__qualname__:
            found.append(sub)
        found += _concrete_subclasses(sub)
    return found


def test_type_names_are_unique_well_formed_and_registered() -> None:
    classes = _concrete_subclasses(EventData)
    names = [cls.type_name() for cls in classes]
    assert len(names) == len(set(names))
    assert sorted(names) == ALL_TYPES, "every payload class needs @event_type"
    for cls in classes:
        assert TYPE_NAME.match(cls.type_name()), cls.type_name()
        assert cls.__module__.split(".")[:2] == ["contracts", cls.service]  # its owner's
        assert EVENT_TYPES[cls.type_name()] is cls


def test_every_type_has_an_example() -> None:
    missing = [name for name in ALL_TYPES if not EXAMPLES.get(EVENT_TYPES[name])]
    assert not missing


@pytest.mark.parametrize(("type_name", "index", "example"), _examples())
def test_every_type_round_trips_through_the_envelope(
    type_name: str, index: int, example: dict[str, Any]
) -> None:
    payload = EVENT_TYPES[type_name].model_validate(example)
    event = CloudEvent.new(payload, source="urn:thidua:test", subject="s-1", department="sct-gl")
    received = CloudEvent.from_json(event.to_json())
    assert received == event
    assert received.type == type_name
    assert received.dataschema == payload.schema_uri()
    assert received.payload() == payload
    assert json.loads(json.dumps(received.data)) == received.data


def test_unknown_type_is_refused() -> None:
    event = CloudEvent.new(UnitRenamed.model_validate(EXAMPLES[UnitRenamed][0]), source="x")
    forged = event.model_copy(update={"type": "vn.thidua.registration.UnitExploded.v1"})
    with pytest.raises(UnknownEventType):
        forged.payload()


def test_newer_payloads_with_unknown_fields_still_parse() -> None:
    example = {**EXAMPLES[UnitRenamed][0], "added_in_a_later_release": 42}
    assert UnitRenamed.model_validate(example).name == EXAMPLES[UnitRenamed][0]["name"]


def test_quantities_are_json_numbers() -> None:
    plan = CampaignLaunched.model_validate(GIA_LAI_2018_PLAN)
    wire = json.loads(plan.model_dump_json())
    assert wire["economic_targets"][0]["value"] == 19663
    assert wire["economic_targets"][0]["growth_percent"] == 8.76
    assert wire["economic_targets"][3]["growth_percent"] == -31.2
    assert plan.economic_targets[0].growth_percent == Decimal("8.76")


# --- the seed plans --------------------------------------------------------------------------


@pytest.mark.parametrize("plan", SEED_PLANS.values(), ids=list(SEED_PLANS))
def test_every_seed_plan_is_a_campaign(plan: dict[str, Any]) -> None:
    campaign = CampaignLaunched.model_validate(plan)
    assert campaign.campaign_id == plan["campaign_id"]
    assert campaign.period.start <= campaign.period.end


def test_gia_lai_2018_plan_is_expressible() -> None:
    plan = CampaignLaunched.model_validate(GIA_LAI_2018_PLAN)
    assert plan.year == 2018
    assert [(p.start, p.end) for p in plan.phases] == [
        (date(2018, 1, 1), date(2018, 6, 30)),
        (date(2018, 7, 1), date(2018, 12, 31)),
    ]
    assert [(t.value, t.growth_percent) for t in plan.economic_targets] == [
        (Decimal(19663), Decimal("8.76")),
        (Decimal(57500), Decimal("12.09")),
        (Decimal(470), Decimal("4.44")),
        (Decimal(86), Decimal("-31.2")),
    ]
    targets = {t.title: t for t in plan.emulation_targets}
    assert targets[TitleCode.LDTT].value == 90
    assert targets[TitleCode.LDTT].measure is TargetMeasure.PERCENT
    assert targets[TitleCode.CSTDCS].value == 15
    assert targets[TitleCode.CSTDCS].basis is TargetBasis.STAFF_EXCLUDING_LEADERS
    assert targets[TitleCode.TTLDTT].value == 100
    assert targets[TitleCode.TTLDTT].basis is TargetBasis.UNITS
    assert targets[TitleCode.TTLDXS].value == 30
    assert targets[TitleCode.TTLDXS].comparator is Comparator.GTE
    assert targets[TitleCode.CO_THI_DUA].measure is TargetMeasure.COUNT
    assert plan.deadlines.registration == date(2018, 8, 30)
    assert plan.deadlines.dossier == date(2018, 12, 10)
    assert plan.theme == "Kỷ cương - Hành động - Chung tay cùng tỉnh Gia Lai phát triển"
    assert plan.slogan == "Đồng thuận cao, thi đua giỏi, về đích sớm"
    assert len(plan.parents) == 3


def test_plan_53_kh_sct_implements_95_kh_ubnd() -> None:
    plan = CampaignLaunched.model_validate(BAC_LIEU_53_KH_SCT)
    assert plan.number == "53/KH-SCT"
    assert plan.issued_on == date(2019, 8, 2)
    assert plan.signer is not None and plan.signer.name == "Phan Văn Sáu"
    [parent] = plan.parents
    assert (parent.number, parent.issued_on) == ("95/KH-UBND", date(2019, 7, 29))
    assert "Bạc Liêu" in parent.issuer


# --- validation refuses bad input ------------------------------------------------------------


def _invalid(model: type[EventData], data: dict[str, Any], location: str) -> None:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    locations = [".".join(map(str, e["loc"])) for e in caught.value.errors()]
    assert any(loc.startswith(location) for loc in locations), locations


@pytest.mark.parametrize("bad", ["2018-02-30", "30/08/2018", "2018-8-30", ""])
def test_malformed_dates_are_refused(bad: str) -> None:
    plan = copy.deepcopy(GIA_LAI_2018_PLAN)
    plan["deadlines"]["registration"] = bad
    _invalid(CampaignLaunched, plan, "deadlines.registration")


def test_unknown_title_codes_are_refused() -> None:
    registration = {**EXAMPLES[IndividualRegistered][0], "titles": ["LDTT", "CSTD_CO_SO"]}
    _invalid(IndividualRegistered, registration, "titles.1")
    nomination = {**EXAMPLES[NominationSubmitted][0], "title": "ldtt"}
    _invalid(NominationSubmitted, nomination, "title")


def test_malformed_codes_and_numbers_are_refused() -> None:
    plan = {**BAC_LIEU_53_KH_SCT, "number": "KH 53"}
    _invalid(CampaignLaunched, plan, "number")
    _invalid(CampaignLaunched, {**BAC_LIEU_53_KH_SCT, "department_code": "SCT BL"}, "department")
    with pytest.raises(ValidationError):
        RejectionReason(code="deadline passed", message="Quá hạn")


def test_inconsistent_counts_and_intervals_are_refused() -> None:
    plan = copy.deepcopy(GIA_LAI_2018_PLAN)
    plan["phases"][0]["end"] = "2017-12-31"
    _invalid(CampaignLaunched, plan, "phases.0")
    plan = copy.deepcopy(GIA_LAI_2018_PLAN)
    plan["emulation_targets"][0]["value"] = 190
    _invalid(CampaignLaunched, plan, "emulation_targets.0")
    vote = copy.deepcopy(EXAMPLES[CouncilVoted][0])
    vote["results"][0]["yes_votes"] = vote["members_present"] + 1
    _invalid(CouncilVoted, vote, "")


def test_input_rejected_names_the_original_the_producer_and_the_reasons() -> None:
    rejected = InputRejected(
        original_id="evt-1",
        original_type=IndividualRegistered.type_name(),
        producer="urn:thidua:department:sct-gialai",
        department="sct-gialai",
        topic="thidua.ingress.sct-gialai",
        partition=0,
        offset=7,
        rejected_by="registration",
        reasons=[
            RejectionReason(
                code="registration.deadline_passed",
                message="Đăng ký sau hạn đăng ký thi đua",
                field="registered_on",
            )
        ],
    )
    assert rejected.type_name() == "vn.thidua.rejections.InputRejected.v1"
    assert not rejected.submittable
    with pytest.raises(ValidationError):
        InputRejected.model_validate({**rejected.model_dump(), "reasons": []})
