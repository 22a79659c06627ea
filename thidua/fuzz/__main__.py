"""``thidua fuzz`` (or ``python -m thidua.fuzz``): the fuzz run of Kafka records at full size,
on the local stack (started if it is not running), against its service processes (those of
``thidua up`` if they run; else started under a supervisor for the run and stopped after).
Prints the counts; exits 1 if anything differs."""

from __future__ import annotations

import argparse
import asyncio
import sys

from thidua.fuzz.run import Options, fuzz
from thidua.settings import StackSettings
from thidua.stack import LocalStack


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="thidua fuzz", description=__doc__)
    parser.add_argument(
        "--records", type=int, default=Options.records, help="records to send (10000)"
    )
    parser.add_argument(
        "--valid-share",
        type=float,
        default=Options.valid_share,
        help="about this share is valid traffic (0.3)",
    )
    parser.add_argument(
        "--seed", type=int, default=Options.seed, help="the same seed, the same records (13)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=Options.timeout,
        help="seconds to wait for the services to account for every record (900)",
    )
    args = parser.parse_args(argv)
    options = Options(args.records, args.valid_share, args.seed, args.timeout)
    sys.exit(asyncio.run(_run(options)))


async def _run(options: Options) -> int:
    settings = StackSettings()
    await LocalStack(settings).up()
    report = await fuzz(settings, options, lambda line: print(line, flush=True))
    print("\n".join(report.lines()))
    return 1 if report.differences else 0


if __name__ == "__main__":
    main()
