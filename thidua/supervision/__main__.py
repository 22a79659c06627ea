"""The supervisor process of one state directory: ``python -m thidua.supervision <state dir>``.

It supervises the SMTP sink and every available service (``thidua run <name>``), writes
``run/supervisor.json`` and logs to stdout (``logs/supervisor.log`` when started by
``control.start``). SIGTERM or SIGINT stops every program, then the supervisor. One flock on
``run/supervisor.lock``, held while it runs, keeps a second one from starting.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
import sys

from thidua import runner
from thidua.security.departments import service_credentials_env
from thidua.settings import StackSettings
from thidua.supervision import control
from thidua.supervision.supervisor import Program, Supervisor


def programs(settings: StackSettings) -> list[Program]:
    """The SMTP sink, then each instance of every service (``THIDUA_SERVICE_INSTANCES``) and of
    reporting's audit trail (``runner.AUDIT``)."""
    env = runner.service_environment(settings)
    logs = settings.state_dir / "logs"
    services = runner.available_services()
    if "reporting" in services:  # its audit trail as a program of its own, below the rollup
        services.append(runner.AUDIT)
        env["THIDUA_REPORTING_AUDIT"] = "apart"
    found = [
        Program(
            runner.SMTP_SINK,
            [sys.executable, "-m", "thidua.cli", "run", runner.SMTP_SINK],
            log_file=logs / f"{runner.SMTP_SINK}.log",
            ready_file=runner.ready_file(settings, runner.SMTP_SINK),
            env=runner.background_env(env, runner.SMTP_SINK),
            nice=runner.niceness(runner.SMTP_SINK),
        )
    ]
    for instance in range(1, runner.instances() + 1):
        for service in services:
            name = runner.program_name(service, instance)
            argv = [sys.executable, "-m", "thidua.cli", "run", service]
            if instance > 1:
                port = runner.instance_port(settings, service, instance)
                argv += ["--instance", str(instance), "--port", str(port)]
            inbox = str(runner.notifications_inbox_port(instance))
            found.append(
                Program(
                    name,
                    argv,
                    log_file=logs / f"{name}.log",
                    ready_file=runner.ready_file(settings, service, instance),
                    env=runner.background_env(
                        {
                            **env,
                            **service_credentials_env(settings, runner.owner_of(service)),
                            "THIDUA_NOTIFICATIONS_HTTP_PORT": inbox,
                        },
                        service,
                    ),
                    nice=runner.niceness(service),
                )
            )
    return found


async def supervise(settings: StackSettings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    supervisor = Supervisor(
        programs(settings), control.status_file(settings), backoff=control.backoff()
    )
    await supervisor.run(stop)


def main() -> int:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(message)s",
        datefmt="%H:%M:%S %d/%m/%Y",
        stream=sys.stdout,
    )
    if len(sys.argv) > 1:  # the state directory, also a marker on the command line
        os.environ["THIDUA_STATE_DIR"] = sys.argv[1]
    settings = StackSettings()
    lock = control.lock_file(settings)
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        logging.error("another supervisor runs for %s", settings.state_dir)
        return 1
    try:
        control.pid_file(settings).write_text(f"{os.getpid()}\n")
        asyncio.run(supervise(settings))
    finally:
        control.pid_file(settings).unlink(missing_ok=True)
        os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
