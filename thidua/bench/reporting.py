"""The reporting and search sections, read off one generated history (``thidua.bench.history``).

Its figures (live projection, rebuild, rollup latency over the history and over one
``--copies`` + 1 times longer, and each of the search's query kinds over that longer history)
become the report's here, apart from the sections that run the services.
"""

from __future__ import annotations

import argparse
from typing import Any

from thidua.bench import history
from thidua.bench import search as search_bench
from thidua.bench.baselines import KAFKA_CONSUME
from thidua.bench.options import Options, heading
from thidua.bench.report import Figure, Report


async def run_reporting(opts: Options, report: Report) -> None:
    """The reporting section and the search's (one history serves both)."""
    measured = " and ".join(s for s in ("reporting", "search") if s in opts.sections)
    heading(
        f"{measured}: history of {opts.history_people} staff x 50 departments,"
        f" then x{opts.copies + 1}"
    )
    args = argparse.Namespace(
        people=opts.history_people,
        queries=opts.queries,
        live_seconds=opts.live_seconds if "reporting" in opts.sections else 0,
        copies=opts.copies,
        rebuilds=history.REBUILDS,
        search="search" in opts.sections,
        keep=False,
        argv=[],
    )
    r = await history.main(args)
    if "search" in r:
        _search_figures(report, r["search"], r.get("long_history", {}).get("events", r["events"]))
    if "reporting" not in opts.sections:
        return
    events = r["events"]
    have_raw = any(f.name == KAFKA_CONSUME for f in report.figures)
    if "live" in r:
        report.add(
            Figure(
                "reporting live projection, history produced at once",
                r["live"]["events_per_s"],
                "events/s",
                baseline=KAFKA_CONSUME if have_raw else None,
                settings={"events": r["live"]["applied"], "seconds": round(r["live"]["seconds"])},
            )
        )
    report.add(
        Figure(
            "reporting rebuild",
            r["rebuild"]["events_per_s"],
            "events/s",
            baseline=KAFKA_CONSUME if have_raw else None,
            settings={
                "events": events,
                "seconds": round(r["rebuild"]["seconds"], 2),
                "median of": len(r["rebuild"]["trials"]),
                "each, events/s": [round(t["events_per_s"]) for t in r["rebuild"]["trials"]],
            },
        )
    )
    short = f"{events // 1000}k events"
    _query_figures(report, short, r["queries"]["all"], None)
    if "queries_long_history" in r:
        long = r["long_history"]
        label = f"{long['events'] / 1e6:.2f}M events"
        _query_figures(report, label, r["queries_long_history"]["all"], short)


def _search_figures(report: Report, r: dict[str, Any], events: int) -> None:
    settings = {"events": events, "people": r["people"], "facts": r["facts"]}
    for label, stats in r["queries"].items():
        for p in ("p50", "p99"):
            base = None if label == search_bench.BASELINE else search_bench.BASELINE
            report.add(
                Figure(
                    f"search: {label} {p}",
                    stats[f"{p}_ms"],
                    "ms",
                    baseline=f"search: {base} {p}" if base else None,
                    settings={**settings, "queries": stats["n"]},
                )
            )


def _query_figures(
    report: Report, history_label: str, stats: dict[str, float], baseline: str | None
) -> None:
    for p, key in (("p50", "median_ms"), ("p99", "p99_ms")):
        report.add(
            Figure(
                f"rollup query {p}, history {history_label}",
                stats[key],
                "ms",
                baseline=f"rollup query {p}, history {baseline}" if baseline else None,
                settings={"queries": stats["n"]},
            )
        )
