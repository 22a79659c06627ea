"""Generate the committed JSON Schemas, the AsyncAPI document and the additivity baselines.

    python -m contracts.generate             # write contracts/schemas/, contracts/asyncapi.json
    python -m contracts.generate --check     # exit 1 listing drifted files and breaking changes
    python -m contracts.generate --baseline  # record contracts/baseline/v<N>.json (additive only)

Normal generation never touches the baselines: they record what each version promised, so
that a field removed, retyped or newly required within a version is caught (see ``breaking``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from contracts.generate.additivity import breaking_changes, write_baselines
from contracts.generate.files import find_drift, write


# The command line alone: its docstring above is its --help, and it only dispatches to the
# files (``files``) and the baselines (``additivity``).
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m contracts.generate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="report drift; write nothing")
    mode.add_argument("--baseline", action="store_true", help="record the additivity baselines")
    args = parser.parse_args(argv)
    if args.check:
        drifted = find_drift()
        problems = breaking_changes()
        for path in drifted:
            print(f"drifted: {path}")
        for problem in problems:
            print(f"breaking: {problem}")
        if drifted:
            print("run python -m contracts.generate")
        return 1 if drifted or problems else 0
    if args.baseline:
        try:
            written = write_baselines()
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
    else:
        written = write()
    print(f"wrote {len(written)} files")
    return 0
