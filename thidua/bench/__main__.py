"""``thidua bench`` (or ``python -m thidua.bench``): the pipeline's speed on this machine, each
figure beside what Kafka or PostgreSQL alone do here in the same run.

1. Raw baselines: aiokafka produce, consume and send-to-receipt latency; asyncpg inserts into
   a table shaped like the event store.
2. Peer: this project's event store against the ``eventsourcing`` library's PostgreSQL
   recorder, same events, same sizes, same transactions.
3. End to end, with the four services running: a scenario's throughput until its rollup is
   exact, its dossier-deadline burst, and publish-to-rollup latency under open-loop load. A
   smaller scenario (``--warmup-people``) runs first, its figure reported apart.
   Burst: a scenario large enough that its dossier deadline brings ``--burst-dossiers``
   (50,000) dossiers at once, timed from their first publish until the rollup is exact.
4. Reporting: a live projection of a history produced at once, a rebuild of it, and rollup
   query latency over it and over a history ``--copies`` + 1 times longer.
5. Search: the search's queries of each kind, the person's and the unit's page, over the
   model of that longer history (``thidua.bench.search``), beside a primary-key lookup.
6. HTTP: Debian's ``wrk`` (-t2 -c20) against the reporting API on loopback: the province rollup
   and the province dashboard page, beside ``/health`` (the framework alone).
7. Door: events/s posted to the HTTP door in batch mode until Kafka acknowledged them, beside
   the Kafka produce path (acks=all, idempotent) of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from thidua.bench.api import run_door, run_http
from thidua.bench.baselines import run_raw_and_peer
from thidua.bench.end_to_end import run_burst, run_pipeline
from thidua.bench.options import Options
from thidua.bench.quiet import settle
from thidua.bench.report import Report
from thidua.bench.reporting import run_reporting
from thidua.settings import StackSettings
from thidua.stack import LocalStack


async def run(opts: Options) -> Report:
    settings = StackSettings()
    await LocalStack(settings).up()
    report = Report()
    tag = uuid.uuid4().hex[:8]
    sections: list[tuple[set[str], Callable[[], Awaitable[None]]]] = [
        ({"raw", "peer"}, lambda: run_raw_and_peer(settings, opts, report, tag)),
        ({"pipeline"}, lambda: run_pipeline(settings, opts, report, tag)),
        ({"burst"}, lambda: run_burst(settings, opts, report)),
        ({"reporting", "search"}, lambda: run_reporting(opts, report)),
        ({"http"}, lambda: run_http(opts, report)),
        ({"door"}, lambda: run_door(settings, opts, report, tag)),
    ]
    ran = False
    for wanted, section in sections:
        chosen = wanted & set(opts.sections)
        if chosen:
            if ran:  # each section after the first starts on a quiet machine
                await settle("/".join(sorted(chosen)))
            await section()
            ran = True
    return report


def parse(argv: list[str] | None = None) -> Options:
    d = Options()
    parser = argparse.ArgumentParser(
        prog="thidua bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--events", type=int, default=d.events, help="raw and peer messages")
    parser.add_argument("--size", type=int, default=d.size, help="approximate event bytes")
    parser.add_argument("--per-tx", type=int, default=d.per_tx, help="events per transaction")
    parser.add_argument("--people", type=int, default=d.people, help="scenario staff")
    parser.add_argument(
        "--warmup-people",
        type=int,
        default=d.warmup_people,
        help="staff of a scenario run first, its figure apart (0: none)",
    )
    parser.add_argument(
        "--rates",
        default=",".join(f"{r:g}" for r in d.rates),
        help="open-loop rates, events/s, comma-separated",
    )
    parser.add_argument("--load-seconds", type=float, default=d.load_seconds)
    parser.add_argument(
        "--history-people", type=int, default=d.history_people, help="staff per department"
    )
    parser.add_argument("--copies", type=int, default=d.copies, help="history copies to query")
    parser.add_argument("--queries", type=int, default=d.queries)
    parser.add_argument(
        "--live-seconds", type=float, default=d.live_seconds, help="0: no live projection"
    )
    parser.add_argument(
        "--http-seconds", type=int, default=d.http_seconds, help="wrk duration per URL"
    )
    parser.add_argument(
        "--only",
        default=",".join(d.sections),
        help="sections to run: raw, peer, pipeline, burst, reporting, search, http, door",
    )
    parser.add_argument(
        "--burst-dossiers",
        type=int,
        default=d.burst_dossiers,
        help="dossiers at once in the burst section",
    )
    parser.add_argument("--door-events", type=int, default=d.door_events)
    parser.add_argument("--door-batch", type=int, default=d.door_batch, help="events a post")
    parser.add_argument("--door-concurrency", type=int, default=d.door_concurrency)
    a = parser.parse_args(argv)
    return Options(
        events=a.events,
        size=a.size,
        per_tx=a.per_tx,
        people=a.people,
        warmup_people=a.warmup_people,
        rates=tuple(float(r) for r in a.rates.split(",") if r),
        load_seconds=a.load_seconds,
        history_people=a.history_people,
        copies=a.copies,
        queries=a.queries,
        live_seconds=a.live_seconds,
        http_seconds=a.http_seconds,
        door_events=a.door_events,
        door_batch=a.door_batch,
        door_concurrency=a.door_concurrency,
        burst_dossiers=a.burst_dossiers,
        sections=tuple(s.strip() for s in a.only.split(",") if s.strip()),
    )


async def _stoppable(work: Coroutine[Any, Any, Report]) -> Report:
    """``work``, cancelled on SIGTERM (``timeout``, ``kill``) as on Ctrl-C, so each section's
    clean-up (its topics, schemas and services) still runs."""
    task = asyncio.ensure_future(work)
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    return await task


def main(argv: list[str] | None = None) -> None:
    opts = parse(argv)
    began = time.monotonic()
    try:
        report = asyncio.run(_stoppable(run(opts)))
    except asyncio.CancelledError:
        print("\nbench stopped (SIGTERM); what it made on the stack was removed", flush=True)
        raise SystemExit(143) from None
    print()
    print(report.table())
    print(f"\n{time.monotonic() - began:.0f} s in all; settings: {opts}")
    path = StackSettings().state_dir / "bench" / "bench.json"
    report.write(path, settings=opts.__dict__)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
