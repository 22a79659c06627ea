"""Running services: one service in this process (`thidua run`), or all of them (`thidua up`).

Loading a scenario onto them once they run is ``thidua.loading``'s."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import importlib.util
import itertools
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from contracts.topics import SERVICES
from thidua import dbroles
from thidua.es.service import ServiceRuntime
from thidua.settings import StackSettings
from thidua.stack.process import is_running, read_pid, stop_group
from thidua.supervision import control
from thidua.telemetry import configure_telemetry


def available_services() -> list[str]:
    """The services whose wiring (``services/<name>/app.py``) exists in this checkout."""
    return [name for name in SERVICES if importlib.util.find_spec(f"services.{name}.app")]


INSTANCE_PORT_STEP = 20
"""Instance k of a service listens on its first instance's ports + 20·(k-1)."""


def instances() -> int:
    """How many instances of each service ``thidua up`` runs (``THIDUA_SERVICE_INSTANCES``,
    default 1); they share their consumer groups, and their relays elect a leader."""
    return max(int(os.environ.get("THIDUA_SERVICE_INSTANCES", "1")), 1)


def program_name(service: str, instance: int = 1) -> str:
    """``awards`` for the first instance, ``awards-2`` for the second …"""
    return service if instance == 1 else f"{service}-{instance}"


def instance_port(settings: StackSettings, service: str, instance: int = 1) -> int:
    return settings.service_port(service) + INSTANCE_PORT_STEP * (instance - 1)


def notifications_inbox_port(instance: int) -> int:
    base = int(os.environ.get("THIDUA_NOTIFICATIONS_HTTP_PORT", "18093"))
    return base + INSTANCE_PORT_STEP * (instance - 1)


AUDIT = "reporting-audit"
"""The reporting service's audit trail run as a program of its own (``thidua up`` does, below
the path to the rollup: :data:`BACKGROUND`); ``thidua run reporting`` alone keeps it in its
own process, as before, unless ``THIDUA_REPORTING_AUDIT=apart``."""


def owner_of(program: str) -> str:
    """The service a program is part of (its database role, Kafka account and spans' name)."""
    return "reporting" if program == AUDIT else program


def audit_apart() -> bool:
    """Whether the audit trail runs apart from ``thidua run reporting``."""
    return os.environ.get("THIDUA_REPORTING_AUDIT") == "apart"


def audit_builder() -> Callable[..., ServiceRuntime]:
    from services.reporting.audit.app import build_audit

    return build_audit


def ready_file(settings: StackSettings, service: str, instance: int = 1) -> Path:
    return settings.state_dir / "run" / f"{program_name(service, instance)}.ready"


def pid_file(settings: StackSettings, service: str) -> Path:
    """Where ``thidua up`` kept a service's pid before it supervised them (still stopped)."""
    return settings.state_dir / "run" / f"{service}.pid"


def _ours(pid: int, service: str) -> bool:
    return is_running(pid, marker=f"run {service}")


async def run_service(
    name: str, settings: StackSettings, port: int | None = None, instance: int = 1
) -> None:
    """Run one service until SIGINT or SIGTERM, then stop it cleanly.

    A service module offers ``build(...) -> ServiceRuntime`` (consumers, relay, ops endpoints),
    or ``run(..., host, port, stop)`` when it serves more than that (reporting's API).
    """
    known = [*available_services(), AUDIT] if "reporting" in available_services() else []
    if name not in known:
        raise ValueError(f"unknown service {name!r}; available: {', '.join(known)}")
    service = owner_of(name)
    module = importlib.import_module(f"services.{service}.app")
    provider = configure_telemetry(service)
    http_port = instance_port(settings, name, instance) if port is None else port
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ready = ready_file(settings, name, instance)
    ready.parent.mkdir(parents=True, exist_ok=True)
    database_url = dbroles.service_database_url(settings, service)  # its own role
    try:
        if name != AUDIT and hasattr(module, "run"):
            serving = asyncio.create_task(
                module.run(
                    database_url,
                    settings.kafka_bootstrap,
                    host=settings.http_host,
                    port=http_port,
                    stop=stop,
                    tracer_provider=provider,
                    api_database_url=dbroles.reader_database_url(settings),
                    audit=not audit_apart(),
                )
            )
            await _until_http_ready(f"http://127.0.0.1:{http_port}/openapi.json", serving)
            settle_heap()
            ready.write_text(str(os.getpid()))
            await serving
            return
        build = audit_builder() if name == AUDIT else module.build
        runtime: ServiceRuntime = build(
            database_url, settings.kafka_bootstrap, tracer_provider=provider
        )
        runtime.http_port = http_port
        runtime.http_host = settings.http_host
        await runtime.start()
        settle_heap()
        ready.write_text(str(os.getpid()))
        try:
            await stop.wait()
        finally:
            await runtime.stop()
    finally:
        ready.unlink(missing_ok=True)
        provider.shutdown()


GC_THRESHOLDS = (100_000, 20, 10)
"""The cyclic collector's thresholds in a service (Python's are 700, 10, 10): a young
collection once the tracked objects alive have grown by 100,000, not 700.

A service decides a batch of hundreds of records at once, and what a batch allocates (its
envelopes, payloads, appends) lives until the batch is committed. With a young collection
every 700 objects, most of it was promoted while still in use, then filled the oldest
generation, whose collections walk the whole heap (each service keeps up to 200,000 events of
streams in memory). Measured with the collector's callbacks over a run of ``thidua bench
--only burst`` (all its phases; wall time inside collections on two busy cores): 146 s in
the collector (registration 33, awards 34, notifications 47, reporting 32), most of it in
full collections of up to a second each, and the 50,000 dossiers exact in 88.0 s. With
100,000 or 250,000: 31 and 32 s in the collector, no full collection, 71.8 and 70.6 s.
Cyclic garbage waits longer to be freed."""


def settle_heap() -> None:
    """Move what is alive once a service is up (modules, schemas, templates, pools) out of the
    collector's reach (``gc.freeze``): a full collection then walks only what requests and
    batches allocate. Measured over 400 rollups: median 6.9 → 6.4 ms, and no 27 ms p99 from a
    full collection landing inside a request. Then collect young objects less often
    (:data:`GC_THRESHOLDS`)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


@contextlib.contextmanager
def heap_settled() -> Iterator[None]:
    """:func:`settle_heap` for a while, in a process that is not a service (a bench's): what
    it holds by then (a scenario of 200,000 events, a history) is not walked by the
    collector meanwhile; afterwards it is collectable again, at the usual thresholds."""
    thresholds = gc.get_threshold()
    settle_heap()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


async def _until_http_ready(url: str, serving: asyncio.Task[None], timeout: float = 120) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            if serving.done():
                await serving  # raises what made it stop
                raise RuntimeError("the service stopped before it was ready")
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


SMTP_SINK = "smtp-sink"


BACKGROUND = ("notifications", SMTP_SINK, AUDIT)
"""Programs off the path from a department's event to its rollup: mail and the audit trail
may be seconds late under a burst, the rollup and the refusals should not be."""


def niceness(program: str) -> int:
    """How much lower the supervisor runs ``program`` than the others when they compete for
    the CPU: ``THIDUA_BACKGROUND_NICE`` (default 10, 0 for none) for :data:`BACKGROUND`, 0 for
    the rest."""
    if program not in BACKGROUND:
        return 0
    return min(max(int(os.environ.get("THIDUA_BACKGROUND_NICE", "10")), 0), 19)


def background_env(env: dict[str, str], program: str) -> dict[str, str]:
    """``env`` for ``program``, marked ``THIDUA_BACKGROUND=1`` when it runs below the others."""
    return {**env, "THIDUA_BACKGROUND": "1"} if niceness(program) > 0 else env


def smtp_port() -> int:
    return int(os.environ.get("THIDUA_SMTP_SINK_PORT", "18025"))


def local_tracing_defaults() -> None:
    """Locally, trace a share of business events (10% unless ``THIDUA_TRACE_SAMPLE`` says
    otherwise; 1 traces all). The decision is taken at the department's publish and followed
    by every service (parent-based), so each sampled event is still one whole trace. Tracing
    every database query of a province-scale load costs more CPU than the services themselves
    on a two-core machine."""
    os.environ.setdefault("OTEL_TRACES_SAMPLER", "parentbased_traceidratio")
    os.environ.setdefault("OTEL_TRACES_SAMPLER_ARG", os.environ.get("THIDUA_TRACE_SAMPLE", "0.1"))


def service_environment(settings: StackSettings) -> dict[str, str]:
    """Environment of service processes: trace to the local Zipkin and mail to the local SMTP
    sink unless told otherwise."""
    local_tracing_defaults()
    env = dict(os.environ)
    env.setdefault("THIDUA_ENV", "local")  # webhooks may go unsigned (notifications)
    env.setdefault("OTEL_TRACES_EXPORTER", "zipkin")
    env.setdefault("OTEL_EXPORTER_ZIPKIN_ENDPOINT", settings.zipkin_spans_endpoint)
    env.setdefault("THIDUA_SMTP_HOST", "127.0.0.1")
    env.setdefault("THIDUA_SMTP_PORT", str(smtp_port()))
    # The cluster size, so that the topics services declare are replicated on every broker.
    env["THIDUA_KAFKA_BROKERS"] = str(settings.kafka_brokers)
    env["THIDUA_KAFKA_BOOTSTRAP"] = settings.kafka_bootstrap
    return env


async def run_smtp_sink(settings: StackSettings, port: int | None = None) -> None:
    """A local SMTP server that keeps every message as ``.stack/mail/<n>-<message-id>.eml``
    (what notifications sends when ``thidua up`` runs), until SIGINT or SIGTERM."""
    from aiosmtpd.smtp import SMTP, Envelope, Session

    mail = settings.state_dir / "mail"
    mail.mkdir(parents=True, exist_ok=True)

    received = itertools.count(sum(1 for _ in mail.iterdir()))

    class Keep:
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            content = envelope.original_content or b""
            # Counted once at start, not per message: listing a directory of thousands of
            # messages for each one took most of the sink's time.
            name = f"{time.time_ns()}-{next(received):06d}.eml"
            (mail / name).write_bytes(content)
            return "250 Message accepted for delivery"

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Keep(), hostname="thidua.local"), "127.0.0.1", port or smtp_port()
    )
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    ready = ready_file(settings, SMTP_SINK)
    ready.parent.mkdir(parents=True, exist_ok=True)
    ready.write_text(str(os.getpid()))
    try:
        await stop.wait()
    finally:
        ready.unlink(missing_ok=True)
        server.close()
        await server.wait_closed()


def start_services(
    settings: StackSettings, report: Callable[[str], None], *, timeout: float = 120.0
) -> bool:
    """Run every available service (and the SMTP sink) under the state directory's supervisor,
    started unless it runs; wait until each is ready. True if the supervisor was started here.
    Raises ``SupervisionFailed`` when they do not all become ready."""
    stop_unsupervised(settings, report)
    started = control.start(settings, report)
    control.await_ready(settings, report, timeout=timeout)
    return started


def stop_services(settings: StackSettings, report: Callable[[str], None]) -> None:
    """Stop the supervisor and everything it runs (and services an earlier, unsupervised
    ``thidua up`` left running)."""
    control.stop(settings, report)
    stop_unsupervised(settings, report)


def stop_unsupervised(settings: StackSettings, report: Callable[[str], None]) -> None:
    """Stop service processes tracked by pid files (how ``thidua up`` ran them before it
    supervised them): SIGTERM, then SIGKILL."""
    for name in [*SERVICES, SMTP_SINK]:
        path = pid_file(settings, name)
        pid = read_pid(path)
        if pid is None:
            continue
        if _ours(pid, name):
            asyncio.run(stop_group(pid, sig=signal.SIGTERM, timeout=20))
            report(f"{name:<14} stopped (unsupervised, pid {pid})")
        path.unlink(missing_ok=True)


def reporting_url(settings: StackSettings) -> str:
    return f"http://127.0.0.1:{settings.service_port('reporting')}"


def metrics_url(settings: StackSettings, service: str) -> str:
    return f"http://127.0.0.1:{settings.service_port(service)}/metrics"


def metrics_urls(settings: StackSettings) -> dict[str, str]:
    """The services whose outbox the scenario publisher's gate waits for between phases."""
    return {name: metrics_url(settings, name) for name in ("registration", "awards")}
