"""The http and door sections: reporting's HTTP API served in a process of its own, its queries
under ``wrk`` and its door's batch posts.

Apart from the other sections because both measure the API's process
(``thidua.bench.http``, ``thidua.bench.door``) and compare it with a figure of its own run.
"""

from __future__ import annotations

from thidua.bench import door as door_bench
from thidua.bench import http as http_bench
from thidua.bench import raw, scratch
from thidua.bench.baselines import KAFKA_PRODUCE
from thidua.bench.options import Options, heading
from thidua.bench.report import Figure, Report
from thidua.settings import StackSettings


async def run_http(opts: Options, report: Report) -> None:
    """The http section: wrk against the province rollup and page, beside ``/health``."""
    heading(
        f"queries under load: wrk -t{http_bench.THREADS} -c{http_bench.CONNECTIONS}"
        f" -d{opts.http_seconds}s, history of {opts.history_people} staff x 50 departments"
    )
    wrk = http_bench.find_wrk()
    if wrk is None:
        print("  wrk is not installed and could not be (apt-get install -y wrk): skipped")
        return
    r = await http_bench.measure(opts.history_people, opts.http_seconds, wrk)
    names = {
        "health": "http /health (framework alone)",
        "rollup": "http province rollup API",
        "page": "http province dashboard page",
    }
    for target, name in names.items():
        result = r[target]
        settings = {"path": result["path"], "requests": result["requests"]}
        base = None if target == "health" else names["health"]
        report.add(Figure(name, result["requests_per_s"], "requests/s", base, settings))
        for p in ("50%", "99%"):
            report.add(
                Figure(
                    f"{name} p{p[:-1]}",
                    result["latency_ms"][p],
                    "ms",
                    None if base is None else f"{base} p{p[:-1]}",
                    settings,
                )
            )


DOOR = "http door, batch mode"


async def run_door(settings: StackSettings, opts: Options, report: Report, tag: str) -> None:
    """The door section: events posted in batch mode, beside Kafka produce of the same run
    (measured here if the raw section did not run)."""
    heading(
        f"HTTP door: {opts.door_events} events in batches of {opts.door_batch},"
        f" {opts.door_concurrency} clients, beside Kafka produce"
    )
    if not any(f.name == KAFKA_PRODUCE for f in report.figures):  # its baseline, this run
        try:
            produced = await raw.kafka_produce(
                settings.kafka_bootstrap, f"bench.{tag}.door-raw", opts.door_events, opts.size
            )
        finally:
            await scratch.delete_topics(settings.kafka_bootstrap, f"bench.{tag}.")
        base: dict[str, object] = {"events": opts.door_events, "bytes": opts.size}
        report.add(Figure(KAFKA_PRODUCE, produced, "msg/s", settings=base))
    r = await door_bench.measure(opts.door_events, opts.door_batch, opts.door_concurrency)
    settings_of = {k: r[k] for k in ("events", "batch", "concurrency", "requests", "seconds")}
    report.add(Figure(DOOR, r["events_per_s"], "events/s", KAFKA_PRODUCE, settings_of))
