"""The end-to-end sections, with the four services running: a scenario's throughput and its
publish-to-rollup latency (``pipeline``), and the dossier-deadline burst (``burst``).

Apart from the other sections because only these run the services (``_services``) and publish
scenarios through them (``thidua.bench.pipeline``, ``thidua.bench.latency``).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from thidua.bench import latency, pipeline
from thidua.bench.baselines import KAFKA_PRODUCE
from thidua.bench.options import Options, heading
from thidua.bench.quiet import settle
from thidua.bench.report import Figure, Report
from thidua.cleanup import delete_topics as cleanup_topics
from thidua.settings import StackSettings


@asynccontextmanager
async def _services(settings: StackSettings, tag: str) -> AsyncIterator[None]:
    """The four services running for a scenario of namespace ``tag``: department topics that
    earlier runs' scenarios left behind deleted first, the services started if they were not,
    and stopped again afterwards if this started them."""
    stale = await cleanup_topics(
        settings.kafka_bootstrap, lambda t: pipeline.leftover_topics(t, tag)
    )
    if stale:
        print(f"  deleted {stale} department topics that earlier runs left behind", flush=True)
    started = await pipeline.start_services(settings)
    try:
        yield
    finally:
        pipeline.stop_started(settings, started)


BURST = "end to end: dossiers at once until rollup exact"
BURST_SECONDS = 60.0
"""Issue 12: 50,000 dossiers at once, exact in the rollup within a minute."""


async def run_burst(settings: StackSettings, opts: Options, report: Report) -> None:
    """The burst section: ``--burst-dossiers`` dossiers at once, timed until the rollup is
    exact."""
    heading(f"burst: {opts.burst_dossiers:,} dossiers at once, until the rollup is exact")
    # A namespace of its own (b<8 hex>-…), apart from the pipeline section's scenario.
    tag = uuid.uuid4().hex[:8]
    began = time.perf_counter()
    scenario = await asyncio.to_thread(pipeline.burst_scenario, opts.burst_dossiers, tag)
    print(
        f"  scenario of {scenario.people:,} people, {scenario.events:,} events, built in"
        f" {time.perf_counter() - began:.0f} s: {pipeline.dossiers_of(scenario):,} dossiers"
        f" ({len(scenario.phases[-1].submissions):,} events) at the deadline",
        flush=True,
    )
    async with _services(settings, tag):
        t = await pipeline.throughput_and_burst(settings, scenario.people, tag, scenario)
        seconds = t["burst_seconds"]
        print(
            f"  {t['burst_dossiers']:,} dossiers ({t['burst_events']:,} events) exact in the"
            f" rollup {seconds:.1f} s after their first publish"
            f" ({t['burst_events_per_s']:,.0f} events/s; target {BURST_SECONDS:.0f} s:"
            f" {'met' if seconds <= BURST_SECONDS else 'not met'})",
            flush=True,
        )
        behind = await pipeline.background_caught_up(settings)
        print(
            f"  notifications and the audit trail caught up {behind:.1f} s after the rollup"
            " was exact",
            flush=True,
        )
    report.add(
        Figure(
            BURST,
            seconds,
            "s",
            settings={
                "dossiers": t["burst_dossiers"],
                "events": t["burst_events"],
                "events_per_s": round(t["burst_events_per_s"], 1),
                "people": t["people"],
                "scenario_events": t["events"],
                "cpu_seconds": t["cpu_seconds"],
                "background_after_s": round(behind, 1),
            },
        )
    )


WARM_UP = "end to end: warm-up scenario until rollup exact"


async def _warm_up(settings: StackSettings, people: int, report: Report) -> None:
    """A smaller scenario of its own namespace first, its figure apart (no target): measured,
    the first scenario after Kafka starts pays for its compilers (6.7 s of the broker's CPU
    against 0.6-0.8 s on a broker up for half an hour), and services just started pay for their
    first batches, neither of which a system in service pays per scenario."""
    tag = uuid.uuid4().hex[:8]
    print(f"  warm-up: a scenario of {people:,} people first (its figure is not a target)")
    t = await pipeline.throughput_and_burst(settings, people, tag)
    report.add(
        Figure(
            WARM_UP,
            t["events_per_s"],
            "events/s",
            settings={"people": people, "events": t["events"], "seconds": round(t["seconds"], 1)},
        )
    )
    await pipeline.delete_departments(settings.kafka_bootstrap, f"b{tag}")
    await settle("the scenario")


async def run_pipeline(settings: StackSettings, opts: Options, report: Report, tag: str) -> None:
    """The pipeline section: the warm-up scenario, the measured one, then publish-to-rollup
    latency at each of ``--rates``."""
    heading("end to end: departments -> registration, awards -> reporting rollup")
    async with _services(settings, tag):
        if opts.warmup_people:
            await _warm_up(settings, opts.warmup_people, report)
        t = await pipeline.throughput_and_burst(settings, opts.people, tag)
        scenario = {"people": t["people"], "events": t["events"]}
        print(
            f"  scenario: {t['events']} events, rollup exact {t['seconds']:.1f} s after the"
            f" first publish (set-up of its departments before that:"
            f" {t['setup_seconds']:.1f} s)",
            flush=True,
        )
        if t["cpu_seconds"]:
            spent = ", ".join(f"{n} {c:.1f}" for n, c in t["cpu_seconds"].items())
            print(f"  the services' CPU meanwhile, seconds: {spent}", flush=True)
        have_raw = "raw" in opts.sections
        report.add(
            Figure(
                "end to end: scenario until rollup exact",
                t["events_per_s"],
                "events/s",
                baseline=KAFKA_PRODUCE if have_raw else None,
                settings={**scenario, "seconds": round(t["seconds"], 1)},
            )
        )
        report.add(
            Figure(
                "end to end: dossier-deadline burst until rollup exact",
                t["burst_events_per_s"],
                "events/s",
                baseline=KAFKA_PRODUCE if have_raw else None,
                settings={"events": t["burst_events"], "seconds": round(t["burst_seconds"], 1)},
            )
        )
        if t["cpu_ms_per_event"] is not None:
            report.add(
                Figure(
                    "end to end: the services' CPU per scenario event",
                    t["cpu_ms_per_event"],
                    "ms",
                    settings={**scenario, "cpu_seconds": t["cpu_seconds"]},
                )
            )
        for rate in opts.rates:
            # The scenario's after-effects (notifications catching up for 7-20 s, autovacuum)
            # and the previous rate's are over before a latency is measured.
            await settle(f"the open loop at {rate:g} events/s")
            r = await latency.open_loop(settings, rate, opts.load_seconds, f"{tag}")
            load = {
                "rate": rate,
                "seconds": opts.load_seconds,
                "events": r["published"],
                "measured": r["measured"],
                "max_ms": round(r["max_ms"], 1),
                "registration_share_p50_ms": round(r["recorded_p50_ms"], 1),
                "registration_share_p99_ms": round(r["recorded_p99_ms"], 1),
            }
            for p in ("p50", "p99"):
                report.add(
                    Figure(
                        f"publish to rollup {p} at {rate:g}/s",
                        r[f"{p}_ms"],
                        "ms",
                        baseline=f"kafka latency {p} at {rate:g}/s" if have_raw else None,
                        settings=load,
                    )
                )
        # The scenarios' department topics (ingress and rejections): left behind, every later
        # metadata refresh and fetch of every service subscribed by pattern would carry them
        # (a dev stack had 354 rejections topics of past runs, and the audit trail's consumer
        # spent a third of its time fetching them).
        await pipeline.delete_departments(settings.kafka_bootstrap, f"b{tag}")
