"""Schemathesis against the reporting API (rollups, forms, drill-down, the dashboard and its
downloads) served over HTTP on a model projected live from the test scenario (Gia Lai and the
Bộ Công Thương, 2018, under their real ids, so that the OpenAPI's examples name real scopes).

``st run <api>/openapi.json --checks all``: no server error, no undocumented status code, no
request outside the schema accepted and none inside it refused, every response as documented.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from services.reporting import app as reporting
from tests.apifuzz import schemathesis, served
from tests.auth import service_token
from tests.integration.reporting.conftest import projected
from tests.integration.reporting.scenario import build_feed
from thidua.es.db import create_pool

MAX_EXAMPLES = 25
"""Cases per operation in the fuzzing phase (the coverage and stateful phases add theirs):
about 1,400 cases in 50 s on two cores."""
READS = (
    "GET /rollups/province/{province_id}",
    "GET /rollups/ministry/{ministry_id}",
    "GET /rollups/department/{department_code}",
    "GET /rollups/unit",
    "GET /facts",
    "GET /forms/{form_code}",
    "GET /tinh/{province_id}",
    "GET /bo/{ministry_id}",
    "GET /so/{department_code}",
    "GET /don-vi/{unit_id}",
    "GET /tai-ve/tong-hop",
    "GET /tai-ve/bieu-mau",
)


@pytest.fixture
async def reporting_url(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[str]:
    async with projected(database_url, bootstrap, uid, build_feed("")):
        pool = await create_pool(database_url, f"test_{uid}_ctl")
        try:
            async with served(reporting.create_api(pool, control_schema=f"test_{uid}_ctl")) as url:
                yield url
        finally:
            await pool.close()


@pytest.mark.timeout(240)
async def test_the_reporting_api_passes_every_schemathesis_check(reporting_url: str) -> None:
    fuzzed = await schemathesis(
        reporting_url, max_examples=MAX_EXAMPLES, token=await service_token()
    )
    print(fuzzed.summary())
    assert fuzzed.exit_code == 0 and not fuzzed.failures and not fuzzed.errors, (
        f"{fuzzed.summary()}\n{fuzzed.output[-8000:]}"
    )
    assert fuzzed.cases > 800, fuzzed.summary()
    # The happy paths were reached, not only the refusals: every read answered figures, and
    # unknown scopes and malformed parameters were refused.
    for operation in READS:
        assert fuzzed.answered(operation, 200) > 0, (operation, fuzzed.statuses)
        assert fuzzed.answered(operation, 422) > 0, (operation, fuzzed.statuses)
    assert sum(fuzzed.answered(op, 404) for op in READS) > 0
