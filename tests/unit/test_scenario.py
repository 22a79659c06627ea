"""The province scenario: deterministic, large enough, and consistent with its expectation."""

from __future__ import annotations

from collections import Counter

import pytest

from contracts.topics import ingress
from scenarios import Expectation, Scenario, build_scenario, differences, dossiers, observed
from thidua.es.intake import MAX_ENVELOPE_BYTES


def test_the_same_seed_gives_the_same_events_and_ids() -> None:
    first, second = build_scenario(300), build_scenario(300)
    assert [s.event.id for s in first.submissions()] == [s.event.id for s in second.submissions()]
    assert first.expectation.figures() == second.expectation.figures()


def test_gia_lai_has_a_thousand_people_in_several_departments() -> None:
    scenario = build_scenario()
    assert scenario.people >= 1000
    gia_lai = {s.department for s in scenario.submissions() if s.department.endswith("gialai")}
    assert len(gia_lai) >= 4
    assert scenario.expectation.figures()["staff"]["staff"] == scenario.people


def test_every_event_id_is_unique_and_every_topic_is_a_department_ingress() -> None:
    scenario = build_scenario(300)
    ids = Counter(s.event.id for s in scenario.submissions())
    assert max(ids.values()) == 1
    assert all(ingress(s.department) for s in scenario.submissions())


def test_a_prefix_gives_tests_a_province_of_their_own() -> None:
    scenario = build_scenario(300, prefix="t1234-")
    assert scenario.province_id == "t1234-gia-lai"
    assert all(d.startswith("t1234-") for d in scenario.departments)


def test_some_inputs_are_refused_as_the_law_requires() -> None:
    figures = build_scenario(300).expectation.figures()
    assert figures["dossiers"]["returned_late"] > 0
    assert figures["nominations"]["LDTT"]["rejected"] > 0
    assert figures["initiatives"]["rejected"]
    assert figures["cash_vnd"] == sum(a["cash_vnd"] for a in figures["awards"])


def test_an_identical_rollup_shows_no_differences_and_a_changed_one_does() -> None:
    expected = build_scenario(300).expectation.figures()
    rollup = {**expected, "awards": [dict(a, label="x") for a in expected["awards"]]}
    assert differences(expected, observed(rollup)) == []
    rollup["cash_vnd"] = 0
    assert differences(expected, observed(rollup)) == [
        f"cash_vnd: expected {expected['cash_vnd']!r}, got 0"
    ]


def test_nobody_joins_a_unit_before_it_was_established() -> None:
    """Registration refuses a join into a unit that did not exist yet (directory.unit_inactive)."""
    scenario = build_scenario(300)
    established: dict[str, str] = {}
    joins: list[tuple[str, str]] = []
    for submission in scenario.submissions():
        kind, data = submission.event.type, submission.event.data
        if kind.endswith(".UnitEstablished.v1"):
            established[data["unit_id"]] = data["established_on"]
        elif kind.endswith(".PersonJoined.v1"):
            joins.append((data["unit_id"], data["joined_on"]))
    assert joins
    late = [(unit, on) for unit, on in joins if on < established[unit]]
    assert late == []


def test_the_default_scenario_keeps_the_real_ids_and_any_other_has_a_namespace() -> None:
    assert build_scenario().province_id == "gia-lai"
    assert build_scenario(3000).province_id == "p3000s2018-gia-lai"
    assert build_scenario(300, seed=7).province_id == "p300s7-gia-lai"
    assert build_scenario(300, prefix="t1234-").province_id == "t1234-gia-lai"


def test_scenarios_of_other_sizes_or_seeds_never_reuse_an_id_for_other_content() -> None:
    """``thidua up --people 3000`` after the default ``make up``: before namespaces, 1,139 of
    its events reused an id of the first scenario with other content, and awards refused them
    (``envelope.duplicate_id_conflict``)."""
    built = [
        build_scenario(),
        build_scenario(3000),
        build_scenario(300),
        build_scenario(300, seed=7),
    ]
    seen: dict[str, tuple[str, str]] = {}
    for scenario in built:
        for submission in scenario.submissions():
            event = submission.event
            content = (event.type, event.model_dump_json(include={"data", "subject"}))
            assert seen.setdefault(event.id, content) == content, (scenario.name, event.id)
    assert len(seen) == sum(s.events for s in built)
    departments = [d for s in built for d in s.departments]
    assert len(set(departments)) == len(departments)
    assert len({s.province_id for s in built}) == len(built)


def test_each_department_has_its_expectation_and_the_scopes_add_them_up() -> None:
    scenario = build_scenario(300)
    assert set(scenario.by_department) == set(scenario.departments)
    province = scenario.expectation.figures()
    assert province["staff"]["staff"] == scenario.people
    every = Expectation.merged(scenario.by_department.values()).figures()
    ministries = Expectation.merged(
        scenario.ministry_expectation(m) for m in scenario.ministries
    ).figures()
    # Every department is in one ministry: the ministries hold all of it, the province part.
    assert ministries == every
    assert every["staff"]["staff"] == scenario.people + 12 * (
        len(scenario.departments) - len(scenario.main_departments)
    )
    assert every["cash_vnd"] == province["cash_vnd"] > 0
    ministry = scenario.ministry_of[scenario.main_departments[0]]
    assert 0 < scenario.ministry_expectation(ministry).figures()["cash_vnd"] < province["cash_vnd"]


def test_a_large_departments_decisions_each_name_at_most_the_limit_and_all_together_every_dossier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A department's director names every approved dossier in decisions of at most
    ``DECISION_NOMINATIONS`` each (the services refuse an envelope over 256 KiB: 47,900 people
    made one decision of 16,350 dossiers, 678 KB, refused as ``envelope.too_large``)."""

    def decisions(scenario: Scenario) -> dict[str, list[str]]:
        return {
            s.event.data["decision_id"]: list(s.event.data["nomination_ids"])
            for s in scenario.submissions()
            if s.event.type.endswith(".DecisionIssued.v1") and isinstance(s.event.data, dict)
        }

    whole = decisions(build_scenario(300))
    monkeypatch.setattr(dossiers, "DECISION_NOMINATIONS", 7)
    split_scenario = build_scenario(300)
    split = decisions(split_scenario)
    assert len(split) > len(whole)
    assert max(len(ids) for ids in split.values()) <= 7
    named = [n for ids in split.values() for n in ids]
    assert sorted(named) == sorted(n for ids in whole.values() for n in ids)
    assert len(set(named)) == len(named)
    # The decisions' splitting changes nothing the province's figures count.
    assert split_scenario.expectation.figures() == build_scenario(300).expectation.figures()
    assert all(len(s.event.to_json()) <= MAX_ENVELOPE_BYTES for s in split_scenario.submissions())
