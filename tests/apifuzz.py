"""Fuzzing an HTTP API with Schemathesis: the app served in-process by uvicorn on a port of its
own, ``st run <api>/openapi.json --checks all`` run against it, and its report read back.

The run is bounded by ``max_examples`` per operation (and the coverage phase, which is finite);
its NDJSON report gives the cases generated, the failures, and the statuses each operation
answered, so a test can also assert that the happy paths were reached, not only the refusals.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua.es.webapi import HttpServer

ST = Path(sys.executable).with_name("st")


@asynccontextmanager
async def served(app: Any, *, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """``app`` served by uvicorn in this event loop (lifespan included); yields its base URL."""
    server = HttpServer(app, host, port)
    await server.start()
    try:
        yield server.url
    finally:
        await server.stop()


@dataclass
class Fuzzed:
    """What one ``st run`` found."""

    exit_code: int
    output: str
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    """(operation label, status code) → responses."""

    def answered(self, operation: str, status: int) -> int:
        return self.statuses[(operation, status)]

    def summary(self) -> str:
        return (
            f"{self.cases} cases, {len(self.failures)} failures, {len(self.errors)} errors"
            f" (exit {self.exit_code})"
        )


async def schemathesis(
    base_url: str,
    *,
    max_examples: int,
    seed: int = 13,
    timeout: float = 420.0,
    options: tuple[str, ...] = (),
    token: str | None = None,
) -> Fuzzed:
    """``st run <base_url>/openapi.json --checks all`` with every phase, positive and negative
    cases, at most ``max_examples`` cases an operation in the fuzzing phase; every request
    carries ``token`` as its bearer token (schemathesis' ``ignored_auth`` check also sends
    some without it, and expects a 401)."""
    if token is not None:
        options = ("--header", f"Authorization: Bearer {token}", *options)
    with tempfile.TemporaryDirectory(prefix="apifuzz-") as tmp:
        report = Path(tmp) / "events.ndjson"
        process = await asyncio.create_subprocess_exec(
            str(ST),
            "run",
            f"{base_url}/openapi.json",
            "--checks",
            "all",
            "--mode",
            "all",
            "--max-examples",
            str(max_examples),
            "--seed",
            str(seed),
            # One worker: with two, Hypothesis describes its filters' lambdas by parsing their
            # source (ast.parse) in two threads at once, which CPython 3.11.7 does not survive
            # ("SystemError: AST constructor recursion depth mismatch", a runtime error of the
            # run, not a finding). A document (PDF) may take seconds on a loaded machine.
            "--workers",
            "1",
            "--request-timeout",
            "60",
            "--generation-database",
            "none",
            "--no-color",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            *options,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            cwd=tmp,
        )
        try:
            out, _ = await asyncio.wait_for(process.communicate(), timeout)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise
        fuzzed = Fuzzed(process.returncode or 0, out.decode(errors="replace"))
        if report.exists():
            _read_report(fuzzed, _events(report))
        return fuzzed


def _events(path: Path) -> Iterator[dict[str, Any]]:
    with path.open() as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def _read_report(fuzzed: Fuzzed, events: Iterator[dict[str, Any]]) -> None:
    for event in events:
        (kind, body), *_ = event.items()
        if kind != "ScenarioFinished":
            continue
        recorder = body.get("recorder", {})
        label = recorder.get("label", "")
        for interactions in recorder.get("interactions", {}).values():
            response = interactions.get("response")
            if response is not None:
                fuzzed.statuses[(label, response["status_code"])] += 1
        fuzzed.cases += len(recorder.get("cases", {}))
        for checks in recorder.get("checks", {}).values():
            for check in checks:
                if check.get("status") == "FAILURE":
                    failure = check.get("failure_info", {}) or {}
                    fuzzed.failures.append(f"{label}: {check.get('name')}: {failure}")
