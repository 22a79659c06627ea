"""Run the notifications service in this process with explicit topics and schema (tests start
it as a subprocess to kill it): ``python -m services.notifications.main --schema ... ``.

``thidua run notifications`` is the normal way; it uses the production topics."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys

from services.notifications.app import Settings, SourceTopics, build
from thidua.es.service import ServiceTopics
from thidua.settings import StackSettings


async def main(args: argparse.Namespace) -> None:
    stack = StackSettings()
    settings = Settings.from_env()
    runtime = build(
        args.database_url or stack.database_url,
        args.bootstrap or stack.kafka_bootstrap,
        schema=args.schema,
        writes_to=ServiceTopics(args.events, args.dlq, args.rejections_out)
        if args.events
        else None,
        source_topics=SourceTopics(args.registration, args.awards, args.rejections)
        if args.registration
        else None,
        group_id=args.group_id,
        settings=settings,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await runtime.start()
    print("ready", flush=True)
    try:
        await stop.wait()
    finally:
        await runtime.stop()


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="services.notifications.main")
    parser.add_argument("--database-url")
    parser.add_argument("--bootstrap")
    parser.add_argument("--schema")
    parser.add_argument("--group-id")
    parser.add_argument("--registration", help="topic standing in for thidua.registration.events")
    parser.add_argument("--awards")
    parser.add_argument("--rejections", help="stem standing in for thidua.rejections (.<code>)")
    parser.add_argument("--events", help="where this service publishes its facts")
    parser.add_argument("--dlq")
    parser.add_argument("--rejections-out", help="stem of the topics of its own refusals")
    return parser.parse_args(argv)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(main(parse(sys.argv[1:])))
