"""Event contracts' generated files: the committed schemas and AsyncAPI match the code, are
deterministic and self-contained, and versions only grow (a change within one is additive)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from contracts import EVENT_TYPES, generate
from contracts.registration import CampaignLaunched, UnitRenamed

REGENERATE = "run python -m contracts.generate"


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
