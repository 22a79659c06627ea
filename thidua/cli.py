"""The `thidua` command line."""

from __future__ import annotations

import asyncio
import signal
import threading
import time
from typing import Annotated

import typer

from thidua import runner
from thidua.settings import StackSettings
from thidua.stack.cli import down as stack_down
from thidua.stack.cli import stack_app
from thidua.stack.cli import up as stack_up

app = typer.Typer(no_args_is_help=True, help="thidua: event-sourced emulation and commendation.")
app.add_typer(stack_app, name="stack")


@app.command()
def run(
    service: Annotated[str, typer.Argument(help="registration, awards, notifications, reporting")],
    port: Annotated[
        int | None,
        typer.Option(help="HTTP port for health, metrics (and API); default per service"),
    ] = None,
) -> None:
    """Run one service in this process (several processes of a service share its groups)."""
    try:
        asyncio.run(runner.run_service(service, StackSettings(), port))
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None


reporting_app = typer.Typer(help="The reporting read models.", no_args_is_help=True)
app.add_typer(reporting_app, name="reporting")


@reporting_app.command("rebuild")
def reporting_rebuild() -> None:
    """Replay the log into a fresh read model, then switch readers over to it at once."""
    from services.reporting.rebuild import rebuild

    settings = StackSettings()
    started = time.monotonic()

    def progress(done: int, total: int) -> None:
        share = done / total if total else 1.0
        bar = "█" * int(share * 30)
        rate = done / max(time.monotonic() - started, 1e-6)
        typer.echo(f"\r[{bar:<30}] {done}/{total} events  {rate:,.0f}/s", nl=False)

    schema = asyncio.run(rebuild(settings.database_url, settings.kafka_bootstrap, progress))
    typer.echo(f"\nreaders now use {schema} ({time.monotonic() - started:.1f}s)")


@app.command()
def up(
    detach: Annotated[
        bool, typer.Option("--detach", help="Return once everything is ready.")
    ] = False,
) -> None:
    """Start the local stack and every service, print the URLs, run until Ctrl-C."""
    settings = StackSettings()
    stack_up()
    try:
        runner.start_services(settings, typer.echo)
    except RuntimeError as exc:
        typer.echo(str(exc), err=True)
        runner.stop_services(settings, typer.echo)
        raise typer.Exit(1) from None
    services = runner.available_services()
    typer.echo("")
    typer.echo("ready")
    typer.echo(f"  trace UI (Zipkin)  {settings.zipkin_url}/zipkin/")
    typer.echo(f"  Kafka              {settings.kafka_bootstrap}")
    typer.echo(f"  PostgreSQL         {settings.database_url}")
    for name in services:
        url = f"http://127.0.0.1:{settings.service_port(name)}"
        if name == "reporting":
            typer.echo(f"  {name:<18} {url}/docs (API)  {url}/health")
        else:
            typer.echo(f"  {name:<18} {url}/health/ready  {url}/metrics")
    if not services:
        typer.echo("  services           none yet")
    typer.echo(f"  logs               {settings.state_dir / 'logs'}")
    if detach:
        return
    typer.echo("Ctrl-C stops everything.")
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    typer.echo("stopping…")
    down()


@app.command()
def down() -> None:
    """Stop the services and the local stack that `thidua up` started (data is kept)."""
    runner.stop_services(StackSettings(), typer.echo)
    stack_down(purge=False)


if __name__ == "__main__":
    app()
