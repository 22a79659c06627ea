"""Queries under load: Debian's ``wrk`` against the reporting API on loopback.

    .venv/bin/python -m thidua.bench.http [--people 130] [--seconds 15]

Generates the reporting history (``thidua.bench.history``, ``--people`` staff in each of 50
departments), produces it onto fresh topics, rebuilds a model from it, serves the reporting
API from it in a process of its own (one uvicorn worker, as ``thidua run reporting`` does),
then runs ``wrk -t2 -c20 -d<seconds>s --latency`` against, in turn:

- ``/health`` (the framework alone: the baseline of the two others),
- the province rollup API ``/rollups/province/<id>?year=``,
- the province dashboard page ``/tinh/<id>?nam=``,

and prints requests/s and the latency percentiles wrk reports for each. Every request must
answer 2xx. Without ``wrk`` it tries ``apt-get install -y wrk`` and otherwise says so and
measures nothing. Loopback only; the topics and schemas are deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from thidua.auth.client import service_auth
from thidua.bench import scratch, synthetic
from thidua.settings import StackSettings

THREADS, CONNECTIONS = 2, 20
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """What wrk printed for one run (latencies in ms)."""

    requests: int
    seconds: float
    requests_per_s: float
    latency_ms: dict[str, float] = field(default_factory=dict)
    """Percentile ("50%", "75%", "90%", "99%") to milliseconds."""
    non_2xx: int = 0
    socket_errors: int = 0

    @property
    def p50_ms(self) -> float:
        return self.latency_ms["50%"]

    @property
    def p99_ms(self) -> float:
        return self.latency_ms["99%"]


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not found:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found[1]) * _UNITS[found[2]]


def parse_wrk(output: str) -> WrkResult:
    """The figures of ``wrk --latency`` output."""
    total = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),", output, re.M)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not total or not rate:
        raise ValueError(f"wrk printed no totals:\n{output}")
    distribution = output.partition("Latency Distribution")[2]
    latency = {
        p: _ms(v)
        for p, v in re.findall(r"^\s+(\d+%)\s+([\d.]+(?:us|ms|s|m))\s*$", distribution, re.M)
    }
    if "99%" not in latency:
        raise ValueError(f"wrk printed no latency distribution (--latency):\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return WrkResult(
        requests=int(total[1]),
        seconds=_ms(f"{total[2]}{total[3]}") / 1000,
        requests_per_s=float(rate[1]),
        latency_ms=latency,
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def find_wrk(install: bool = True) -> str | None:
    """The wrk binary; installed with apt-get when missing (as root, or with sudo)."""
    found = shutil.which("wrk")
    if found or not install or not shutil.which("apt-get"):
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    print("wrk is missing: apt-get install -y wrk", flush=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=300,
    )
    return shutil.which("wrk")


def run_wrk(wrk: str, url: str, seconds: int, token: str | None = None) -> WrkResult:
    command = [wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", url]
    if token is not None:  # every request carries it, as a logged-in reader's would
        command[1:1] = ["-H", f"Authorization: Bearer {token}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
    return parse_wrk(done.stdout)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """The reporting API over ``control``'s current model, in a process of its own."""

    def __init__(self, dsn: str, control: str, door_prefix: str = "") -> None:
        """``door_prefix``: the HTTP door publishes on ``<door_prefix><code>`` (the bench's
        topics) instead of the departments' ingress topics."""
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "thidua.bench.http", "serve", dsn, control]
        command += [str(self.port), door_prefix]
        self.process = subprocess.Popen(command, start_new_session=True)

    async def ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient() as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError("the reporting API exited before it was ready")
                try:
                    if (await client.get(f"{self.base}/health")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the reporting API was not ready in {timeout} s")
                await asyncio.sleep(0.2)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)


def serve(dsn: str, control: str, port: int, door_prefix: str = "") -> None:
    """Run the reporting API with its HTTP door (what ``Server`` starts)."""
    import uvicorn

    from services.reporting.api import create_api
    from services.reporting.app import create_api_pool
    from services.reporting.door import DoorPublisher

    bootstrap = StackSettings().kafka_bootstrap
    door = (
        DoorPublisher(bootstrap, topic_of=lambda code: f"{door_prefix}{code}")
        if door_prefix
        else DoorPublisher(bootstrap)
    )

    async def main() -> None:
        pool = await create_api_pool(dsn, control)
        config = uvicorn.Config(
            create_api(pool, control_schema=control, door=door),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
        try:
            await uvicorn.Server(config).serve()
        finally:
            await door.close()
            await pool.close()

    asyncio.run(main())


async def measure(
    people: int, seconds: int, wrk: str, targets: Sequence[str] = ("health", "rollup", "page")
) -> dict[str, Any]:
    """Build a model from the history, serve it, and run wrk on each target."""
    settings = StackSettings()
    dsn, bootstrap = settings.database_url, settings.kafka_bootstrap
    uid = uuid.uuid4().hex[:8]
    control = f"bench_{uid}"
    topics = (f"bench.{uid}.registration.events", f"bench.{uid}.awards.events")
    h = synthetic.generate(people)
    province, year = h.provinces[0], synthetic.YEARS[-1]
    paths = {
        "health": "/health",
        "rollup": f"/rollups/province/{province}?year={year}",
        "page": f"/tinh/{province}?nam={year}",
    }
    out: dict[str, Any] = {"events": h.total, "province": province, "year": year}
    try:
        from services.reporting.app import ensure_control
        from services.reporting.rebuild import rebuild
        from thidua.es.kafka import ensure_topics

        await ensure_topics(bootstrap, topics)
        await scratch.produce(bootstrap, topics[0], h.registration)
        await scratch.produce(bootstrap, topics[1], h.awards)
        await ensure_control(dsn, control)
        await rebuild(
            dsn,
            bootstrap,
            None,
            control_schema=control,
            source_topics=topics,
            dlq_topic=f"bench.{uid}.reporting.dlq",
        )
        server = Server(dsn, control)
        try:
            await server.ready()
            auth = service_auth()
            async with httpx.AsyncClient(auth=auth) as client:
                for target in targets:
                    answer = await client.get(server.base + paths[target], timeout=30)
                    if answer.status_code != 200:
                        raise RuntimeError(f"{paths[target]} answered {answer.status_code}")
            for target in targets:
                url, token = server.base + paths[target], await auth.token()
                result = await asyncio.to_thread(run_wrk, wrk, url, seconds, token)
                out[target] = {"path": paths[target], **result.__dict__}
                print(
                    f"  {paths[target]:<34} {result.requests_per_s:>9,.0f} requests/s"
                    f"  p50 {result.p50_ms:.1f} ms  p99 {result.p99_ms:.1f} ms"
                    f"  ({result.requests} requests, {result.non_2xx} not 2xx,"
                    f" {result.socket_errors} socket errors)",
                    flush=True,
                )
                if result.non_2xx or result.socket_errors:
                    raise RuntimeError(f"{paths[target]}: failed requests under load")
        finally:
            server.stop()
    finally:
        await scratch.cleanup(dsn, bootstrap, control, uid)
    return out


def cli(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        serve(argv[1], argv[2], int(argv[3]), *argv[4:5])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=130, help="staff per department")
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per target")
    args = parser.parse_args(argv)
    wrk = find_wrk()
    if wrk is None:
        print("wrk is not installed (apt-get install -y wrk): nothing measured")
        return
    asyncio.run(measure(args.people, args.seconds, wrk))


if __name__ == "__main__":
    cli()
