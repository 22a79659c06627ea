"""LocalStack: brings Kafka, PostgreSQL and Zipkin up, down, and reports on them."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator

from thidua.settings import StackSettings
from thidua.stack.base import SILENT, Component, ComponentStatus, Reporter, StackStatus
from thidua.stack.errors import ComponentFailed, StackError
from thidua.stack.fetch import require_maven, run_fetch
from thidua.stack.kafka import KafkaComponent
from thidua.stack.keycloak import KeycloakComponent
from thidua.stack.postgres import PostgresComponent
from thidua.stack.process import (
    is_running,
    log_tail,
    start_detached,
    stop_group,
    tcp_reachable,
    tracked_pid,
    wait_until,
)
from thidua.stack.zipkin import ZipkinComponent

LOCK_NAME = "stack.lock"
LOCK_TIMEOUT = 900.0  # another `up` may be downloading jars on a fresh machine


class StackFailed(StackError):
    """One or more components did not come up; `failures` says which and why."""

    def __init__(self, failures: list[ComponentFailed]) -> None:
        self.failures = failures
        super().__init__("; ".join(str(f) for f in failures))


class LocalStack:
    """The local dev/test stack. `up` is idempotent and safe to call from a test fixture."""

    def __init__(
        self,
        settings: StackSettings | None = None,
        report: Reporter = SILENT,
        *,
        zipkin: bool = True,
        keycloak: bool = True,
    ) -> None:
        """``zipkin=False``: no trace UI (a run that exports no traces); ``keycloak=False``:
        no identity provider (a run that serves no HTTP API, such as the bench)."""
        self.settings = settings or StackSettings()
        self.report = report
        brokers = range(1, self.settings.kafka_brokers + 1)
        self.components: tuple[Component, ...] = (
            *(KafkaComponent(self.settings, report, node) for node in brokers),
            PostgresComponent(self.settings, report),
            *([ZipkinComponent(self.settings, report)] if zipkin else []),
            *([KeycloakComponent(self.settings, report)] if keycloak else []),
        )

    # -- public API -------------------------------------------------------------------------

    async def up(self) -> StackStatus:
        """Start whatever is not running and healthy; raise StackFailed if any fails to start."""
        async with self._lock():
            started = time.monotonic()
            healthy = await asyncio.gather(*(c.probe() for c in self.components))
            todo = [c for c, ok in zip(self.components, healthy, strict=True) if not ok]
            probe_time = time.monotonic() - started
            for component in todo:
                component.check_prerequisites()
            await self._fetch_missing(todo)
            results = await asyncio.gather(
                *(self._bring_up(c) for c in todo), return_exceptions=True
            )
            outcome: dict[str, ComponentStatus] = {}
            failures: list[ComponentFailed] = []
            for component, result in zip(todo, results, strict=True):
                if isinstance(result, ComponentFailed):
                    failures.append(result)
                elif isinstance(result, BaseException):
                    raise result
                else:
                    outcome[component.name] = result
            if failures:
                raise StackFailed(failures)
            statuses = []
            for component in self.components:
                if component.name in outcome:
                    statuses.append(outcome[component.name])
                else:
                    statuses.append(
                        self._status_of(
                            component, healthy=True, action="already running", seconds=probe_time
                        )
                    )
            return StackStatus(tuple(statuses))

    async def down(self, *, purge: bool = False) -> None:
        """Stop what `up` started (by pid file); with purge, delete the state dir's data too."""
        async with self._lock():
            await asyncio.gather(*(self._bring_down(c) for c in self.components))
            if purge:
                self._purge()

    async def status(self) -> StackStatus:
        healthy = await asyncio.gather(*(c.probe() for c in self.components))
        return StackStatus(
            tuple(
                self._status_of(c, healthy=ok)
                for c, ok in zip(self.components, healthy, strict=True)
            )
        )

    # -- internals --------------------------------------------------------------------------

    def _pid(self, component: Component, *, clean: bool = False) -> int | None:
        pid = tracked_pid(component.pid_file, component.marker, clean=clean)
        return pid if pid is not None else component.discover_pid()

    def _status_of(
        self,
        component: Component,
        *,
        healthy: bool,
        action: str | None = None,
        seconds: float | None = None,
    ) -> ComponentStatus:
        pid = self._pid(component)
        return ComponentStatus(
            name=component.name,
            address=component.address,
            url=component.url,
            pid=pid,
            running=pid is not None,
            healthy=healthy,
            log_file=component.log_file,
            action=action,
            seconds=seconds,
        )

    async def _fetch_missing(self, components: list[Component]) -> None:
        # Sequential on purpose: concurrent Maven runs race on the shared ~/.m2 repository.
        # The nodes of a Kafka cluster share their jars: each target once.
        unique = {f.target: f for c in components for f in c.fetches()}
        fetches = [f for f in unique.values() if not f.done]
        if not fetches:
            return
        mvn = require_maven()
        for fetch in fetches:
            self.report(f"fetching {fetch.label} with Maven…")
            await asyncio.to_thread(run_fetch, fetch, mvn)

    async def _bring_up(self, component: Component) -> ComponentStatus:
        started = time.monotonic()
        pid = self._pid(component, clean=True)
        if pid is None:
            if await tcp_reachable(component.address):
                raise ComponentFailed(
                    component.name,
                    f"{component.address} is already in use by another program "
                    f"(not a healthy {component.name} started by thidua)",
                )
            await asyncio.to_thread(component.prepare)
            self.report(f"starting {component.name}…")
            pid = await asyncio.to_thread(
                start_detached,
                component.command(),
                log_file=component.log_file,
                pid_file=component.pid_file,
                cwd=component.state_dir,
                env=component.environment(),
                run_as=component.run_as(),
            )
            action = "started"
        else:
            self.report(f"waiting for {component.name} (already starting, pid {pid})…")
            action = "waited for"
        await self._await_ready(component, pid)
        return self._status_of(
            component, healthy=True, action=action, seconds=time.monotonic() - started
        )

    async def _await_ready(self, component: Component, pid: int) -> None:
        exited = False

        async def ready() -> bool:
            nonlocal exited
            if not is_running(pid):
                exited = True  # stop polling now: a crashed server will not become ready
                return True
            return await component.reachable()

        began = time.monotonic()
        became_ready = await wait_until(ready, timeout=component.ready_timeout, interval=0.3)
        if became_ready and not exited:
            try:
                await component.on_started()
            except Exception as exc:
                raise self._failure(component, f"post-start step failed: {exc}") from exc
            # A loaded machine (or a cluster electing leaders after a broker's restart) can fail
            # one health check of a sound server: it is stopped only if it keeps failing.
            left = max(component.ready_timeout - (time.monotonic() - began), 30.0)
            if await wait_until(component.probe, timeout=left, interval=1.0):
                return
            reason = "answered but failed its health check"
        elif exited:
            reason = "exited during startup"
        else:
            reason = f"not ready after {component.ready_timeout:.0f}s"
        failure = self._failure(component, reason)
        # Leave nothing half-started behind: the next `up` starts it afresh.
        await self._bring_down(component)
        raise failure

    def _failure(self, component: Component, reason: str) -> ComponentFailed:
        tail = log_tail(component.log_file)
        detail = f"{reason}; last log lines:\n{tail}" if tail else reason
        return ComponentFailed(component.name, detail, component.log_file)

    async def _bring_down(self, component: Component) -> None:
        pid = self._pid(component, clean=True)
        stop = component.stop_command()
        if pid is not None and stop is not None:
            run_as = component.run_as()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                await asyncio.to_thread(
                    subprocess.run,
                    stop,
                    cwd=component.state_dir,
                    env=component.environment(),
                    capture_output=True,
                    timeout=component.stop_timeout + 10,
                    check=False,
                    user=run_as.uid if run_as else None,
                    group=run_as.gid if run_as else None,
                    extra_groups=[] if run_as else None,
                )
        if pid is not None:
            self.report(f"stopping {component.name} (pid {pid})…")
            await stop_group(pid, sig=component.stop_signal, timeout=component.stop_timeout)
        component.pid_file.unlink(missing_ok=True)

    def _purge(self) -> None:
        state = self.settings.state_dir
        if not state.is_dir():
            return
        self.report(f"deleting {state}…")
        for entry in state.iterdir():
            if entry.name == LOCK_NAME:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    @contextlib.asynccontextmanager
    async def _lock(self) -> AsyncIterator[None]:
        """Serialise up/down across processes (a test run and a developer's shell, say)."""
        state = self.settings.state_dir
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(state / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
        try:

            def acquired() -> bool:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return False
                return True

            if not acquired():
                self.report("waiting for another `thidua stack` command to finish…")
                if not await wait_until(acquired, timeout=LOCK_TIMEOUT, interval=0.5):
                    raise StackError(f"timed out waiting for the lock {state / LOCK_NAME}")
            yield
        finally:
            os.close(fd)
