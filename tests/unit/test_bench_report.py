"""The benchmark report: ratios against baselines and the JSON it writes."""

from __future__ import annotations

import json
from pathlib import Path

from scenarios.generator import DOSSIERS
from thidua.bench import pipeline
from thidua.bench.__main__ import parse
from thidua.bench.latency import _Follow
from thidua.bench.options import Options
from thidua.bench.report import Figure, Report, percentile


def test_each_figure_is_shown_with_its_ratio_to_its_baseline(tmp_path: Path) -> None:
    report = Report()
    report.add(Figure("postgres insert", 4000.0, "rows/s"))
    report.add(Figure("store append", 3000.0, "events/s", baseline="postgres insert"))
    table = report.table()
    assert "0.75x postgres insert" in table
    report.write(tmp_path / "bench.json")
    written = json.loads((tmp_path / "bench.json").read_text())
    assert [f["value"] for f in written["figures"]] == [4000.0, 3000.0]
    assert written["figures"][1]["baseline"] == "postgres insert"


def test_percentile_is_the_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 50) == 51.0
    assert percentile(samples, 99) == 99.0
    assert percentile([7.0], 99) == 7.0


def test_a_published_event_is_seen_once_reporting_passed_all_its_outputs() -> None:
    follow = _Follow({"a", "b"})
    follow.add(0, 10, json.dumps({"causationid": "a"}).encode())
    follow.add(1, 4, json.dumps({"causationid": "a"}).encode())
    follow.add(0, 11, json.dumps({"causationid": "someone-else"}).encode())
    follow.add(2, 0, None)
    assert follow.outputs == {"a": {0: 10, 1: 4}}
    follow.check({0: 11, 1: 4}, now=1.0)  # partition 1 not past offset 4 yet
    assert follow.seen_at == {}
    follow.check({0: 11, 1: 5}, now=2.0)
    follow.check({0: 12, 1: 6}, now=3.0)  # the first time counts
    assert follow.seen_at == {"a": 2.0}
    assert follow.waiting == set()
    follow.add(2, 7, json.dumps({"causationid": "a"}).encode())  # read after it was seen
    follow.add(0, 12, json.dumps({"causationid": "b"}).encode())
    assert follow.waiting == {"b"}
    follow.check({0: 13, 1: 6}, now=4.0)
    assert follow.seen_at == {"a": 2.0, "b": 4.0}


def test_unchanged_checkpoints_are_checked_against_new_outputs_only() -> None:
    follow = _Follow({"a", "b", "c"})
    follow.add(0, 5, json.dumps({"causationid": "a"}).encode())
    follow.check({0: 5}, now=1.0)
    assert follow.waiting == {"a"}
    follow.add(0, 3, json.dumps({"causationid": "b"}).encode())  # already passed
    follow.check({0: 5}, now=2.0)
    assert follow.seen_at == {"b": 2.0}
    follow.outputs["a"][0] = 4  # were "a" looked at again, it would pass now
    follow.check({0: 5}, now=3.0)
    assert follow.waiting == {"a"}
    follow.add(0, 6, json.dumps({"causationid": "c"}).encode())
    follow.check({0: 7}, now=4.0)  # moved: every cause waiting is looked at
    assert follow.seen_at == {"b": 2.0, "a": 4.0, "c": 4.0}
    assert follow.waiting == set()


def test_bench_options_from_the_command_line() -> None:
    opts = parse(["--rates", "5,20", "--only", "raw, reporting", "--copies", "3"])
    assert opts.rates == (5.0, 20.0)
    assert opts.sections == ("raw", "reporting")
    assert opts.copies == 3
    assert parse([]) == Options()
    # A warm-up scenario runs before the measured one unless asked not to.
    assert Options().warmup_people > 0
    assert parse(["--warmup-people", "0"]).warmup_people == 0


def test_the_burst_section_builds_a_scenario_with_the_dossiers_asked_for() -> None:
    opts = parse(["--only", "burst", "--burst-dossiers", "600"])
    assert opts.sections == ("burst",) and opts.burst_dossiers == 600
    assert "burst" in Options().sections and Options().burst_dossiers == 50_000
    scenario = pipeline.burst_scenario(600, "0123abcd")
    assert pipeline.dossiers_of(scenario) >= 600
    assert scenario.phases[-1].name == DOSSIERS
    assert scenario.province_id.startswith("b0123abcd-")
    # The dossiers are the deadline phase's nominations, not its votes or decisions.
    last = scenario.phases[-1].submissions
    assert pipeline.dossiers_of(scenario) < len(last)
