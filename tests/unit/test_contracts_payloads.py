"""Event contracts' payloads: every type is registered under a well-formed name, has an example
and round-trips through the envelope, the seed plans fit ``CampaignLaunched``, and validation
refuses bad input."""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from contracts import EVENT_TYPES, CloudEvent, EventData
from contracts.awards import CouncilVoted, NominationSubmitted
from contracts.base import UnknownEventType
from contracts.common import Comparator, TargetBasis, TargetMeasure, TitleCode
from contracts.examples import BAC_LIEU_53_KH_SCT, EXAMPLES, GIA_LAI_2018_PLAN, SEED_PLANS
from contracts.registration import CampaignLaunched, IndividualRegistered, UnitRenamed
from contracts.rejections import InputRejected, RejectionReason

TYPE_NAME = re.compile(r"^vn\.thidua\.[a-z]+\.[A-Z][A-Za-z0-9]+\.v[1-9][0-9]*$")
ALL_TYPES = sorted(EVENT_TYPES)


def _examples() -> list[tuple[str, int, dict[str, Any]]]:
    return [
        (cls.type_name(), i, example)
        for cls, examples in EXAMPLES.items()
        for i, example in enumerate(examples)
    ]


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
