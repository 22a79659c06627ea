"""`thidua stack up | down | status`."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from typing import Annotated

import typer

from thidua.settings import BROKERS_FILE, StackSettings
from thidua.stack.base import StackStatus
from thidua.stack.errors import PrerequisiteMissing, StackError
from thidua.stack.local import LocalStack, StackFailed

stack_app = typer.Typer(
    help="The local stack: Kafka, PostgreSQL, Zipkin and Keycloak on loopback (no Docker).",
    no_args_is_help=True,
)

EXIT_FAILED = 1
EXIT_PREREQUISITE = 2


def _stack() -> LocalStack:
    # aiokafka logs every refused connection at ERROR; status output should stay one line each.
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    return LocalStack(StackSettings(), report=typer.echo)


def record_brokers(brokers: int) -> None:
    """Make ``brokers`` the cluster size of this state directory (and of this process)."""
    if brokers not in (1, 3):
        typer.echo("--brokers: 1 or 3", err=True)
        raise typer.Exit(EXIT_PREREQUISITE)
    os.environ["THIDUA_KAFKA_BROKERS"] = str(brokers)
    state = StackSettings().state_dir
    state.mkdir(parents=True, exist_ok=True)
    (state / BROKERS_FILE).write_text(f"{brokers}\n")


def _table(status: StackStatus, *, timings: bool) -> str:
    lines = []
    for c in status.components:
        state = "healthy" if c.healthy else ("running, unhealthy" if c.running else "down")
        pid = f"pid {c.pid}" if c.pid is not None else "no pid"
        line = f"{c.name:<9} {state:<18} {c.address:<16} {pid:<10}"
        if timings and c.action is not None and c.seconds is not None:
            line += f" {c.action + f' in {c.seconds:.1f}s':<26}"
        if c.url:
            line += f" {c.url}"
        lines.append(line.rstrip())
    return "\n".join(lines)


@stack_app.command()
def up(
    brokers: Annotated[
        int,
        typer.Option(
            "--brokers",
            help="Kafka nodes: 1, or 3 for a KRaft cluster (replication 3, min ISR 2) on "
            "loopback. Recorded in the state directory for later commands; default: as "
            "recorded, or env THIDUA_KAFKA_BROKERS, or 1.",
            min=0,
        ),
    ] = 0,
) -> None:
    """Fetch what is missing, start what is not running, wait until all are ready."""
    if brokers:
        record_brokers(brokers)
    try:
        status = asyncio.run(_stack().up())
    except PrerequisiteMissing as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_PREREQUISITE) from None
    except StackFailed as exc:
        for failure in exc.failures:
            typer.echo(f"{failure.component} failed: {failure.reason}", err=True)
            if failure.log_file is not None:
                typer.echo(f"see {failure.log_file}", err=True)
        raise typer.Exit(EXIT_FAILED) from None
    except StackError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_FAILED) from None
    typer.echo(_table(status, timings=True))


@stack_app.command()
def down(
    purge: Annotated[
        bool, typer.Option("--purge", help="Also delete the data (Kafka log, database, logs).")
    ] = False,
) -> None:
    """Stop what `up` started. Data is kept unless --purge."""
    try:
        asyncio.run(_stack().down(purge=purge))
    except StackError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_FAILED) from None
    typer.echo("stack stopped" + (" and data deleted" if purge else ""))


@stack_app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Show each component's health, pid and address; exit 0 only if all are healthy."""
    result = asyncio.run(_stack().status())
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2))
    else:
        typer.echo(_table(result, timings=False))
    if not result.healthy:
        raise typer.Exit(EXIT_FAILED)
