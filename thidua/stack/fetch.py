"""Prerequisite checks and fetching pinned jars from Maven Central into the cache dir."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from thidua.stack.errors import ComponentFailed, PrerequisiteMissing

JAVA_HINT = "OpenJDK 17 (apt-get install openjdk-17-jre-headless)"
MAVEN_HINT = "Maven (apt-get install maven)"
MIN_JAVA = 17  # Kafka 4.x brokers need Java 17

# Pinned so a fetch is reproducible and does not depend on Maven's plugin-prefix resolution.
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
COMPLETE_MARKER = ".complete"
MAVEN_TIMEOUT = 900.0


def java_major_version(version_output: str) -> int | None:
    """Major version from `java -version` output ("1.8.0_292" is 8, "17.0.15" is 17)."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', version_output)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:
        return int(match.group(2))
    return major


def require_java() -> str:
    java = shutil.which("java")
    if java is None:
        raise PrerequisiteMissing("java", JAVA_HINT)
    result = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    major = java_major_version(result.stderr + result.stdout)
    if major is not None and major < MIN_JAVA:
        raise PrerequisiteMissing("java", JAVA_HINT, problem=f"{major} is too old for Kafka 4")
    return java


def require_maven() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise PrerequisiteMissing("mvn", MAVEN_HINT)
    return mvn


@dataclass(frozen=True)
class MavenFetch:
    """Jars copied by one Maven goal into `target`, which counts only once its marker exists."""

    component: str
    label: str
    target: Path
    goal: tuple[str, ...]
    output_subdir: str
    expect: str

    @property
    def done(self) -> bool:
        return (self.target / COMPLETE_MARKER).is_file()

    def command(self, mvn: str, output_dir: Path) -> list[str]:
        return [mvn, "-B", "-q", *self.goal, f"-DoutputDirectory={output_dir}"]


def run_fetch(fetch: MavenFetch, mvn: str) -> None:
    """Copy into a sibling `.partial` dir and rename, so an interrupted download is redone."""
    partial = fetch.target.with_name(fetch.target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    output_dir = partial / fetch.output_subdir if fetch.output_subdir else partial
    output_dir.mkdir(parents=True)
    try:
        result = subprocess.run(
            fetch.command(mvn, output_dir),
            cwd=partial,
            capture_output=True,
            text=True,
            timeout=MAVEN_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise ComponentFailed(
            fetch.component, f"Maven fetch timed out after {exc.timeout}s"
        ) from exc
    if result.returncode != 0 or not (output_dir / fetch.expect).is_file():
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise ComponentFailed(
            fetch.component,
            f"Maven could not fetch {fetch.label} (exit {result.returncode}):\n{tail}",
        )
    (partial / COMPLETE_MARKER).write_text(" ".join(fetch.goal) + "\n")
    shutil.rmtree(fetch.target, ignore_errors=True)
    partial.replace(fetch.target)
