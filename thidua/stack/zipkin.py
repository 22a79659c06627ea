"""Zipkin server (in-memory storage) as the local trace UI, run from its executable jar."""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from thidua.settings import StackSettings
from thidua.stack.base import SILENT, Component, Reporter
from thidua.stack.fetch import DEPENDENCY_PLUGIN, MavenFetch, require_java

ZIPKIN_VERSION = "3.5.1"
ZIPKIN_ARTIFACT = f"io.zipkin:zipkin-server:{ZIPKIN_VERSION}:jar:exec"
ZIPKIN_JAR = f"zipkin-server-{ZIPKIN_VERSION}-exec.jar"
BIND_HOST = "127.0.0.1"

# Zipkin activates collectors from the environment (e.g. KAFKA_BOOTSTRAP_SERVERS, which a dev
# shell may well have set); the trace UI must only take spans over HTTP and keep them in memory.
ZIPKIN_ENV = {
    "STORAGE_TYPE": "mem",
    "COLLECTOR_KAFKA_ENABLED": "false",
    "COLLECTOR_RABBITMQ_ENABLED": "false",
    "COLLECTOR_ACTIVEMQ_ENABLED": "false",
    "COLLECTOR_PULSAR_ENABLED": "false",
    "COLLECTOR_SCRIBE_ENABLED": "false",
    "SELF_TRACING_ENABLED": "false",
    # In-memory storage evicts the oldest traces beyond this many spans (Zipkin's default,
    # 500 000, needs about 2 GB: a span of ours takes about 3.6 kB of heap, measured). Within
    # the heap below (ZIPKIN_JVM), ~80 000 spans leave room for queries; more and Zipkin
    # dies of OutOfMemoryError, refusing every span and query from then on.
    "MEM_MAX_SPANS": "80000",
}


ZIPKIN_JVM = ["-Xmx1g", "-Xmn300m", "-XX:+UseSerialGC"]
"""Zipkin's heap and collector. Its full store (80,000 spans, about 290 MB) filled 512 MB past
G1's threshold for concurrent marking, and G1 kept a young generation of about 22 MB: it
collected every few hundred spans, on the machine the bench measures. Spans sent to a full
store, 100,000 at a time (``/api/v2/spans``, 205 a request, as the services' exporters send
them; 06/12/2026): G1 in 512 MB used 4.1-5.0 s of CPU, G1 in 1 GB 4.0-4.3 s, the parallel
collector 3.9-4.1 s, the serial one 3.3 s. Its pauses (a full collection of the store takes
0.3-0.4 s) only hold up the spans' intake, which the exporters' queues absorb."""


def server_args(port: int) -> list[str]:
    """Spring Boot args for Zipkin 3's Armeria server.

    Zipkin ignores `server.address`: it serves on `armeria.ports`, which by default binds every
    interface. Overriding list element 0 replaces the whole list, so the protocol is restated.
    """
    return [
        f"--armeria.ports[0].ip={BIND_HOST}",
        f"--armeria.ports[0].port={port}",
        "--armeria.ports[0].protocols[0]=http",
    ]


class ZipkinComponent(Component):
    name = "zipkin"
    stop_timeout = 30.0

    def __init__(self, settings: StackSettings, report: Reporter = SILENT) -> None:
        super().__init__(settings, report)
        self._java = "java"

    @property
    def dist_dir(self) -> Path:
        return self.settings.cache_dir / f"zipkin-{ZIPKIN_VERSION}"

    @property
    def jar(self) -> Path:
        return self.dist_dir / ZIPKIN_JAR

    @property
    def address(self) -> str:
        return f"{BIND_HOST}:{self.settings.zipkin_port}"

    @property
    def url(self) -> str:
        return self.settings.zipkin_url

    @property
    def marker(self) -> str:
        return f"-Dthidua.stack.component=zipkin@{self.state_dir}"

    def fetches(self) -> list[MavenFetch]:
        return [
            MavenFetch(
                component=self.name,
                label=f"Zipkin {ZIPKIN_VERSION} server jar",
                target=self.dist_dir,
                goal=(f"{DEPENDENCY_PLUGIN}:copy", f"-Dartifact={ZIPKIN_ARTIFACT}"),
                output_subdir="",
                expect=ZIPKIN_JAR,
            )
        ]

    def check_prerequisites(self) -> None:
        self._java = require_java()

    def prepare(self) -> None:
        self.log_file.parent.mkdir(parents=True, exist_ok=True)

    def command(self) -> list[str]:
        return [
            self._java,
            *ZIPKIN_JVM,
            "-Djava.awt.headless=true",
            self.marker,
            "-jar",
            str(self.jar),
            *server_args(self.settings.zipkin_port),
        ]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **ZIPKIN_ENV}

    async def probe(self) -> bool:
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                response = await client.get(f"{self.url}/health")
            body = response.json()
            return (
                response.status_code == 200
                and isinstance(body, dict)
                and body.get("status") == "UP"
            )
        except (httpx.HTTPError, ValueError):
            return False
