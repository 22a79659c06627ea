"""``thidua chaos``: a chaos run on a stack of its own, its counts printed."""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from thidua.chaos import environment
from thidua.chaos.run import Plan, run_on_own_stack, summary


def chaos(
    minutes: Annotated[
        float, typer.Option(help="Keep killing service instances at least this long.")
    ] = 0.0,
    events: Annotated[int, typer.Option(help="Events of the scenario (at least).")] = 20_000,
    kills: Annotated[int, typer.Option(help="Service instances SIGKILLed (at least).")] = 10,
    gap: Annotated[float, typer.Option(help="Seconds between two faults.")] = 8.0,
    seed: Annotated[int, typer.Option(help="Seed of the random choices.")] = 13,
    port_base: Annotated[
        int, typer.Option(help="Ports of the run's stack: base+25 … base+432 (see --help).")
    ] = environment.DEFAULT_PORT_BASE,
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the run's state directory (logs, data).")
    ] = False,
) -> None:
    """Load a scenario on a stack of its own (3 Kafka brokers, PostgreSQL, two instances of
    every service) while killing service instances, a broker and PostgreSQL (kill -9) and
    stalling a relay leader (SIGSTOP); then check and print the counts: rollups, ingress
    offsets, event ids, DLQ, notifications. Exits 1 when any count is wrong."""
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)
    state = Path(tempfile.mkdtemp(prefix="thidua-chaos-", dir="/var/tmp"))
    environment.enter(state, port_base)
    typer.echo(f"chaos run in {state}")
    plan = Plan(events=events, minutes=minutes, kills=kills, gap=gap, seed=seed)
    result = asyncio.run(run_on_own_stack(state, plan, typer.echo, keep=keep))
    typer.echo("")
    for name, value in result.counts.items():
        if name == "fault_log":
            continue
        shown = json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        typer.echo(f"  {name:<34} {shown}")
    typer.echo(summary(result))
    if result.problems:
        typer.echo("PROBLEMS:", err=True)
        for problem in result.problems:
            typer.echo(f"  {problem}", err=True)
        raise typer.Exit(1)
    typer.echo("chaos run: nothing lost, nothing doubled")
