"""Loading a scenario onto the running services: each of its departments given its Kafka
account, then its events published phase by phase until the province rollup shows them
(``thidua up``'s last step, and the end-to-end suites').

Apart from ``thidua.runner`` (running the services themselves): this is a client of the
services, as the departments' systems are; the scenario modules are imported only when a
scenario is loaded.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from contracts import topics
from thidua.es.kafka import KafkaPrincipal
from thidua.runner import metrics_urls, reporting_url
from thidua.settings import StackSettings

if TYPE_CHECKING:
    from scenarios import Scenario
    from scenarios.publisher import ProgressReport


async def provision_departments(
    settings: StackSettings, scenario: Scenario
) -> Callable[[str], KafkaPrincipal | None]:
    """Give every department of ``scenario`` its Kafka account (kept if it has one); returns
    where its principal is found."""
    from scenarios.publisher import department_directory
    from thidua.security.departments import Departments, department_principal

    directory = department_directory(scenario)
    accounts = Departments(settings)
    for code in scenario.publishers:  # the provinces' boards too: they publish the directory
        if topics.is_board(code):
            province, ministry = code.removesuffix(topics.BOARD_SUFFIX), "board"
        else:
            province, ministry = directory.get(code, (scenario.province_id, "unknown"))
        await asyncio.to_thread(accounts.add, code, province, ministry, exist_ok=True)
    return lambda code: department_principal(settings.state_dir, code)


async def load_scenario(
    settings: StackSettings,
    scenario: Scenario,
    progress: ProgressReport | None = None,
    *,
    timeout: float = 600.0,
) -> tuple[bool, list[str]]:
    """Publish ``scenario`` unless the rollup already shows it; then wait until the province
    rollup equals its expectation, ``timeout`` seconds in all (publishing included). Returns
    (published?, what still differs from the expectation: empty when it matches)."""
    from scenarios.publisher import DepartmentSystems, Publisher
    from scenarios.rollups import rollup_differences, until_rollup_matches

    deadline = time.monotonic() + timeout
    url = reporting_url(settings)
    try:
        if not await rollup_differences(url, scenario):
            return False, []
    except OSError:
        pass
    systems = DepartmentSystems(settings.zipkin_spans_endpoint)
    try:
        publisher = Publisher(settings.kafka_bootstrap, metrics_urls(settings), systems, timeout)
        # Each department's system writes as its own principal, provisioned like any other.
        publisher.principal_for = await provision_departments(settings, scenario)
        async with asyncio.timeout_at(asyncio.get_running_loop().time() + timeout):
            await publisher.load(scenario, progress)
    except TimeoutError as exc:
        why = str(exc) or f"not published and absorbed within {timeout:.0f} s"
        return True, [why, *await until_rollup_matches(url, scenario, timeout=0)]
    finally:
        systems.shutdown()
    left = max(deadline - time.monotonic(), 0.0)
    return True, await until_rollup_matches(url, scenario, timeout=left)
