"""Schemathesis against the reporting API (rollups, forms, drill-down, the dashboard and its
downloads) served over HTTP on a model projected live from the test scenario (Gia Lai and the
Bộ Công Thương, 2018, under their real ids, so that the OpenAPI's examples name real scopes).

``st run <api>/openapi.json --checks all``: no server error, no undocumented status code, no
request outside the schema accepted and none inside it refused, every response as documented.
"""

from __future__ import annotations

import pytest

from tests.apifuzz import schemathesis
from tests.auth import service_token

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
    "GET /v1/audit/{subject_kind}/{subject_id}",
    "GET /v1/departments/{department_code}/events/{event_id}",
    "GET /nhat-ky",
    "GET /v1/campaigns/{campaign_id}/reports/tong-ket.{extension}",
    "GET /v1/campaigns/{campaign_id}/reports/so-ket-dot-{phase}.{extension}",
    "GET /bao-cao/phong-trao",
    "GET /v1/search",
    "GET /v1/people/{person_id}",
    "GET /v1/units/{unit_id}",
    "GET /tra-cuu",
    "GET /tra-cuu/ca-nhan/{person_id}",
    "GET /tra-cuu/don-vi/{unit_id}",
)


DOOR = "POST /v1/departments/{code}/events"


@pytest.mark.timeout(600)
async def test_the_reporting_api_passes_every_schemathesis_check(gia_lai_url: str) -> None:
    fuzzed = await schemathesis(gia_lai_url, max_examples=MAX_EXAMPLES, token=await service_token())
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
    # The HTTP door is fuzzed too; the tools' account may post for no department (it reads
    # everywhere, writes nowhere), so its happy path here is the 403 (test_door.py posts).
    assert fuzzed.answered(DOOR, 403) > 0, fuzzed.statuses
