"""The benchmark report: ratios against baselines and the JSON it writes."""

from __future__ import annotations

import json
from pathlib import Path

from thidua.bench.report import Figure, Report


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
