"""``thidua dlq list | show | replay``: dead letters for operators."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

import asyncpg
import typer
from aiokafka.errors import KafkaError

from thidua.dlq import render
from thidua.dlq.operations import (
    REPLAYED,
    STATUSES,
    Entry,
    Selection,
    dlq_topics,
    find,
    parse_ref,
    replay,
)
from thidua.dlq.replays import SCHEMA, ReplayLog
from thidua.settings import StackSettings

T = TypeVar("T")

dlq_app = typer.Typer(
    help="Dead letters: records a service gave up on (list, show, replay).", no_args_is_help=True
)

Services = Annotated[
    list[str] | None,
    typer.Option("--service", "-s", help="A service whose DLQ to read (repeatable; default all)."),
]
Topics = Annotated[
    list[str] | None, typer.Option("--topic", "-t", help="A DLQ topic to read (repeatable).")
]
FromTopic = Annotated[
    str | None, typer.Option("--from-topic", help="Only records read from this topic.")
]
Reason = Annotated[
    str | None, typer.Option("--reason", help="Only errors whose type or text contains this.")
]
EventId = Annotated[str | None, typer.Option("--id", help="Only the event with this id.")]
LogSchema = Annotated[
    str,
    typer.Option(
        "--replay-log-schema", envvar="THIDUA_DLQ_SCHEMA", hidden=True, help="Replay log schema."
    ),
]


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    for layout in ("%d/%m/%Y %H:%M", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).astimezone()
        except ValueError:
            continue
    raise typer.BadParameter(f"{text!r}: give dd/mm/yyyy or 'dd/mm/yyyy HH:MM'")


def _offsets(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    first, _, last = text.partition("-")
    if not first.isdigit() or not (last or first).isdigit():
        raise typer.BadParameter(f"{text!r}: give an offset (5) or a range (5-9)")
    return int(first), int(last or first)


def _refs(refs: Sequence[str]) -> frozenset[str]:
    try:
        return frozenset(parse_ref(r) for r in refs)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _run(work: Callable[[StackSettings], Coroutine[Any, Any, T]]) -> T:
    settings = StackSettings()
    try:
        return asyncio.run(work(settings))
    except (KafkaError, OSError) as exc:
        typer.echo(f"cannot read the DLQ (Kafka at {settings.kafka_bootstrap}): {exc!r}", err=True)
    except asyncpg.PostgresError as exc:
        typer.echo(f"cannot use the replay log (PostgreSQL): {exc!r}", err=True)
    raise typer.Exit(1)


async def _entries(
    settings: StackSettings, topics: Sequence[str], selection: Selection, schema: str
) -> list[Entry]:
    """The selected dead letters, with their replay status if PostgreSQL answers."""
    try:
        log: ReplayLog | None = await ReplayLog.open(settings.database_url, schema)
    except (OSError, asyncpg.PostgresError) as exc:
        typer.echo(f"replay log unavailable ({exc!r}): statuses unknown", err=True)
        log = None
    try:
        return await find(settings.kafka_bootstrap, topics, log, selection)
    finally:
        if log is not None:
            await log.close()


@dlq_app.command("list")
def list_(
    service: Services = None,
    topic: Topics = None,
    from_topic: FromTopic = None,
    reason: Reason = None,
    event_id: EventId = None,
    event_type: Annotated[
        str | None, typer.Option("--type", help="Only event types containing this.")
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only dead-lettered since dd/mm/yyyy [HH:MM].")
    ] = None,
    status: Annotated[str | None, typer.Option(help=f"Only: {', '.join(STATUSES)}.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many (the oldest first).")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    replay_log_schema: LogSchema = SCHEMA,
) -> None:
    """List dead letters: where each came from, why it failed, and whether it was replayed."""
    if status is not None and status not in STATUSES:
        raise typer.BadParameter(f"status is one of {', '.join(STATUSES)}")
    topics = _topics(service, topic)
    selection = Selection(
        event_id=event_id,
        event_type=event_type,
        from_topic=from_topic,
        reason=reason,
        since=_since(since),
        status=status,
    )
    entries = _run(lambda s: _entries(s, topics, selection, replay_log_schema))
    for entry in entries[:limit]:
        if as_json:
            typer.echo(json.dumps(render.as_json(entry), ensure_ascii=False))
        else:
            typer.echo("\n".join(render.block(entry)))
    if not as_json:
        counts = {s: sum(e.status == s for e in entries) for s in {e.status for e in entries}}
        by = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        shown = f" (the first {limit} shown)" if len(entries) > limit else ""
        typer.echo(
            f"{len(entries)} dead letters in {', '.join(topics)}{f': {by}' if by else ''}{shown}"
        )


def _topics(service: list[str] | None, topic: list[str] | None) -> list[str]:
    try:
        return dlq_topics(service or [], topic or [])
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@dlq_app.command()
def show(
    ref: Annotated[str, typer.Argument(help="<dlq topic>/<partition>/<offset> (from list).")],
    raw_body: Annotated[
        bool, typer.Option("--raw", help="Write the record's value alone, byte for byte.")
    ] = False,
    replay_log_schema: LogSchema = SCHEMA,
) -> None:
    """Show one dead letter in full: its reason, its own headers and its body."""
    wanted = _refs([ref])
    topic = next(iter(wanted)).rsplit("/", 2)[0]
    found = _run(lambda s: _entries(s, [topic], Selection(refs=wanted), replay_log_schema))
    if not found:
        typer.echo(f"no dead letter at {render.safe(ref)}", err=True)
        raise typer.Exit(1)
    if raw_body:
        sys.stdout.buffer.write(found[0].dead.value)
        sys.stdout.buffer.flush()
        return
    typer.echo("\n".join(render.detail(found[0])))


@dlq_app.command("replay")
def replay_(
    refs: Annotated[
        list[str] | None, typer.Argument(help="Dead letters to replay, as list shows them.")
    ] = None,
    service: Services = None,
    topic: Topics = None,
    partition: Annotated[int | None, typer.Option(help="Only this DLQ partition.")] = None,
    offsets: Annotated[
        str | None, typer.Option(help="Only these DLQ offsets: 5, or a range 5-9.")
    ] = None,
    event_id: EventId = None,
    from_topic: FromTopic = None,
    reason: Reason = None,
    every: Annotated[bool, typer.Option("--all", help="Every dead letter selected.")] = False,
    again: Annotated[
        bool, typer.Option(help="Replay also what was replayed before (or left unconfirmed).")
    ] = False,
    dry_run: Annotated[bool, typer.Option(help="Say what would be replayed, and stop.")] = False,
    replay_log_schema: LogSchema = SCHEMA,
) -> None:
    """Publish dead letters again to the topic and partition they came from (value, key and
    own headers, plus thidua-replay-of), once the cause is fixed. Each replay is recorded, so
    one already replayed is skipped unless --again (the services recognise an event id they
    processed before, so a repeat has no second effect)."""
    wanted = _refs(refs or [])
    if not (wanted or offsets or event_id or every):
        raise typer.BadParameter("name dead letters (REFS, --offsets, --id) or give --all")
    topics = list(dict.fromkeys(r.rsplit("/", 2)[0] for r in wanted)) or _topics(service, topic)
    selection = Selection(
        refs=wanted,
        partition=partition,
        offsets=_offsets(offsets),
        event_id=event_id,
        from_topic=from_topic,
        reason=reason,
    )

    async def work(settings: StackSettings) -> tuple[list[str], bool]:
        """The lines to print, and whether everything asked for was found and published."""
        log = await ReplayLog.open(settings.database_url, replay_log_schema)
        try:
            chosen = await find(settings.kafka_bootstrap, topics, log, selection)
            missing = sorted(wanted - {e.dead.ref for e in chosen})
            lines = [f"no dead letter at {render.safe(r)}" for r in missing]
            if dry_run:
                would = [f"would replay {render.safe(e.dead.ref)}" for e in chosen]
                return [*lines, *would], not missing
            results = await replay(settings.kafka_bootstrap, log, chosen, again=again)
        finally:
            await log.close()
        done = sum(r.outcome == REPLAYED for r in results)
        failed = sum(r.outcome == "failed" for r in results)
        summary = f"replayed {done}, skipped {len(results) - done - failed}, failed {failed}"
        return [*lines, *(render.result(r) for r in results), summary], not (missing or failed)

    lines, ok = _run(work)
    typer.echo("\n".join(lines))
    if not ok:
        raise typer.Exit(1)
