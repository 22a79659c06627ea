"""The `thidua` command line."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from typing import TYPE_CHECKING, Annotated

import httpx
import typer

from scenarios.publisher import Progress
from services.reporting.verify_cli import verify_certificate_command
from thidua import dbroles, loading, runner
from thidua.chaos.cli import chaos as chaos_command
from thidua.dlq.cli import dlq_app
from thidua.importer.cli import import_command
from thidua.security.cli import departments_app
from thidua.settings import StackSettings
from thidua.stack.cli import down as stack_down
from thidua.stack.cli import stack_app
from thidua.stack.cli import status as stack_status
from thidua.stack.cli import up as stack_up
from thidua.stack.keycloak import login_lines
from thidua.supervision import control
from thidua.supervision.control import SupervisionFailed

if TYPE_CHECKING:
    from scenarios import Scenario

app = typer.Typer(no_args_is_help=True, help="thidua: event-sourced emulation and commendation.")
app.add_typer(stack_app, name="stack")
app.add_typer(dlq_app, name="dlq")
app.add_typer(departments_app, name="departments")
app.command("chaos")(chaos_command)
app.command("import")(import_command)
app.command("verify-certificate")(verify_certificate_command)


@app.command()
def run(
    service: Annotated[
        str,
        typer.Argument(help="registration, awards, notifications, reporting, reporting-audit"),
    ],
    port: Annotated[
        int | None,
        typer.Option(help="HTTP port for health, metrics (and API); default per service"),
    ] = None,
    instance: Annotated[
        int, typer.Option(help="Which instance of the service (its ready file)", min=1)
    ] = 1,
) -> None:
    """Run one service in this process (several processes of a service share its groups).
    ``smtp-sink`` runs the local mail sink instead (mail kept in .stack/mail/)."""
    if service == runner.SMTP_SINK:
        asyncio.run(runner.run_smtp_sink(StackSettings(), port))
        return
    try:
        asyncio.run(runner.run_service(service, StackSettings(), port, instance))
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


reporting_app = typer.Typer(help="The reporting read models.", no_args_is_help=True)
app.add_typer(reporting_app, name="reporting")


@reporting_app.command("rebuild")
def reporting_rebuild() -> None:
    """Replay the log into a fresh read model, then switch readers over to it at once."""
    from services.reporting.rebuild import RebuildRunning, rebuild

    settings = StackSettings()
    # As reporting's role: the new model's schema must be the service's to write.
    reporting_url = dbroles.service_database_url(settings, "reporting")
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar = "█" * int(share * 30)
        rate = done / max(time.monotonic() - started, 1e-6)
        typer.echo(f"\r[{bar:<30}] {done}/{total} events  {rate:,.0f}/s", nl=False)

    try:
        rebuilt = asyncio.run(rebuild(reporting_url, settings.kafka_bootstrap, progress))
    except RebuildRunning as running:
        typer.echo(f"refused: {running}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"\n{rebuilt.summary()} ({time.monotonic() - started:.1f}s)")


@app.command("db-roles")
def db_roles() -> None:
    """Create or update the services' PostgreSQL roles, schemas and grants, as the admin
    (THIDUA_DATABASE_URL, or THIDUA_PG_USER with THIDUA_PG_PASSWORD[_FILE]), with each role's
    password from THIDUA_PG_<ROLE>_PASSWORD[_FILE]: a deployment's provisioning job (the local
    stack does it itself at `thidua stack up`)."""
    try:
        asyncio.run(dbroles.provision_from_env(StackSettings()))
    except dbroles.ProvisioningError as exc:
        typer.echo(f"refused: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"roles provisioned: {', '.join(dbroles.ROLES)}")


def _people_default() -> int:
    from scenarios.generator import DEFAULT_PEOPLE

    return int(os.environ.get("THIDUA_SCENARIO_PEOPLE", str(DEFAULT_PEOPLE)))


def _show(progress: Progress) -> None:
    share = progress.absorbed / progress.total if progress.total else 1.0
    bar = "█" * int(share * 30)
    typer.echo(
        f"\r  [{bar:<30}] pha {progress.number}/{progress.phases}: đã gửi {progress.published:,}"
        f" · đã xử lý {progress.absorbed:,} / {progress.total:,} sự kiện   ",
        nl=False,
    )


def _timeout_default() -> float:
    return float(os.environ.get("THIDUA_UP_TIMEOUT", "600"))


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


@app.command()
def up(
    detach: Annotated[
        bool, typer.Option("--detach", help="Return once everything is ready.")
    ] = False,
    people: Annotated[
        int,
        typer.Option(help="Staff of the scenario's province (env THIDUA_SCENARIO_PEOPLE)."),
    ] = -1,
    scenario: Annotated[
        bool, typer.Option("--scenario/--no-scenario", help="Load the Gia Lai 2018 scenario.")
    ] = True,
    timeout: Annotated[
        float,
        typer.Option(
            help="Seconds to wait for the services to be ready and the scenario to show in the "
            "rollup; then print what differs and exit 1 (env THIDUA_UP_TIMEOUT, default 600)."
        ),
    ] = -1,
) -> None:
    """Start the local stack and every service (supervised: restarted when they crash), load
    the scenario, print the URLs, run until Ctrl-C (which stops everything, at any point)."""
    signal.signal(signal.SIGTERM, _interrupt)
    # Ctrl-C stops everything, however this was started: a shell without job control starts
    # a background command (`cmd &`) with SIGINT ignored, Python then leaves it ignored, and
    # SIGINT would do nothing at all.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _up(detach, people, scenario, _timeout_default() if timeout < 0 else timeout)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut it short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        typer.echo("\ninterrupted: stopping everything…", err=True)
        down()
        raise typer.Exit(130) from None


def _up(detach: bool, people: int, scenario: bool, timeout: float) -> None:
    began = time.monotonic()
    settings = StackSettings()
    runner.local_tracing_defaults()  # before the department publishers make their tracers
    stack_up()
    try:
        runner.start_services(settings, typer.echo, timeout=timeout)
    except SupervisionFailed as exc:
        typer.echo(str(exc), err=True)
        runner.stop_services(settings, typer.echo)
        raise typer.Exit(1) from None
    if scenario:
        left = max(timeout - (time.monotonic() - began), 1.0)
        if not _load(settings, _people_default() if people < 0 else people, left):
            typer.echo(
                "the services keep running to be looked at: `thidua status`, the logs in "
                f"{settings.state_dir / 'logs'}; `thidua down` stops them",
                err=True,
            )
            raise typer.Exit(1)
    typer.echo("")
    typer.echo(f"ready ({time.monotonic() - began:.0f}s)")
    _print_urls(settings)
    if detach:
        return
    typer.echo("Ctrl-C stops everything.")
    while control.running_pid(settings) is not None:
        time.sleep(0.5)
    typer.echo("the supervisor stopped (`thidua down` elsewhere?); stopping the stack")
    raise KeyboardInterrupt


def _print_urls(settings: StackSettings) -> None:
    services = runner.available_services()
    reporting = runner.reporting_url(settings)
    typer.echo(f"  dashboard          {reporting}/")
    typer.echo(f"  API docs           {reporting}/docs")
    for line in login_lines(reporting, settings):
        typer.echo(line)
    typer.echo(f"  trace UI (Zipkin)  {settings.zipkin_url}/zipkin/")
    typer.echo(f"  Kafka              {settings.kafka_bootstrap}")
    typer.echo(f"  PostgreSQL         {settings.postgres_url(settings.postgres_user, None)}")
    typer.echo(f"    (its password)   {settings.local_pg_password_file(settings.postgres_user)}")
    if "reporting" in services:
        services = [*services, runner.AUDIT]
    for name in services:
        url = f"http://127.0.0.1:{settings.service_port(name)}"
        if name == "reporting":
            typer.echo(f"  {name:<18} {url}/health")
        else:
            typer.echo(f"  {name:<18} {url}/health/ready  {url}/metrics")
    if not services:
        typer.echo("  services           none yet")
    typer.echo(
        f"  mail (SMTP sink)   127.0.0.1:{runner.smtp_port()} → {settings.state_dir / 'mail'}"
    )
    typer.echo(f"  logs               {settings.state_dir / 'logs'}")
    typer.echo("  status             thidua status (restarts, last exits)")


def _load(settings: StackSettings, people: int, timeout: float) -> bool:
    """Load the scenario (bounded by ``timeout``); False, with what differs, when the rollup
    does not show it in time."""
    from scenarios import build_scenario

    built = build_scenario(people)
    typer.echo(
        f"scenario {built.name}: {built.events:,} events, {built.people:,} people in "
        f"{built.province_id}, {len(built.departments)} departments"
    )
    if built.prefix:
        typer.echo(
            f"  its ids start with {built.prefix!r}: a scenario of another size lives beside "
            "the default one on this stack, never in its ids"
        )
    started = time.monotonic()
    published, remaining = asyncio.run(
        loading.load_scenario(settings, built, _show, timeout=timeout)
    )
    if not published:
        typer.echo("  already loaded: the province rollup shows it")
    elif remaining:
        typer.echo("")
        typer.echo(
            f"after {time.monotonic() - started:.0f}s the rollup of {built.province_id} still "
            "differs from the scenario's expectation:",
            err=True,
        )
        for line in remaining[:20]:
            typer.echo(f"  {line}", err=True)
        if len(remaining) > 20:
            typer.echo(f"  … and {len(remaining) - 20} more", err=True)
        return False
    else:
        typer.echo(f"\n  loaded and reflected in the rollup in {time.monotonic() - started:.0f}s")
    return _write_reviews(settings, built)


def _write_reviews(settings: StackSettings, built: Scenario) -> bool:
    """The main campaign's review reports (sơ kết per phase, tổng kết), from the reporting API
    to the state directory; False, saying why, when the API cannot produce one."""
    from thidua.reviews import write_review_documents

    directory = settings.state_dir / "reports"
    try:
        written = asyncio.run(
            write_review_documents(runner.reporting_url(settings), built, directory)
        )
    except (RuntimeError, httpx.HTTPError) as exc:
        typer.echo(f"  the review reports could not be written: {exc}", err=True)
        return False
    typer.echo(f"  review reports (sơ kết, tổng kết) of {written[0].campaign_id}:")
    for document in written:
        typer.echo(f"    {document.path}")
    return True


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Measure throughput, latency, rebuild and query speed against raw Kafka and PostgreSQL
    (and the eventsourcing library) on the local stack; `thidua bench --help` for options."""
    from thidua.bench.__main__ import main as bench_main

    bench_main(list(ctx.args))


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def fuzz(ctx: typer.Context) -> None:
    """Send hostile records (from the contracts' schemas, mutated) and valid traffic to two
    new departments' ingress topics, read by the stack's service processes (started for the run
    unless `thidua up` runs them); print what became of each (`thidua fuzz --records 10000`;
    --help for options). Exits 1 if anything differs or a service restarted."""
    from thidua.fuzz.__main__ import main as fuzz_main

    fuzz_main(list(ctx.args))


@app.command()
def down() -> None:
    """Stop the services and the local stack that `thidua up` started (data is kept)."""
    runner.stop_services(StackSettings(), typer.echo)
    stack_down(purge=False)


@app.command()
def status() -> None:
    """The stack's components, then each supervised service: state, pid, restarts, last exit.
    Exits 1 unless everything is healthy and ready."""
    settings = StackSettings()
    healthy = True
    try:
        stack_status(as_json=False)
    except typer.Exit:
        healthy = False
    current = control.status(settings)
    if current is None:
        typer.echo("services  not supervised (no supervisor runs: `thidua up` starts one)")
        raise typer.Exit(1)
    typer.echo(f"services  supervisor pid {current.pid}")
    for program in current.programs:
        typer.echo(f"  {program.line()}")
    if not (healthy and current.ready):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
