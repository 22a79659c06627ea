"""Every route of the reporting API and dashboard, and of a service's operations endpoints,
asked by every role with tokens of the real Keycloak: 401 without one, 403 outside the role's
scope, the answer inside it. A route without a row here fails the test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.reporting import app as reporting
from services.reporting.documents.awarded import certificate_code
from tests.auth import (
    READERS,
    SCT_GIALAI,
    Row,
    ask,
    everyone,
    expect,
    headers,
    routes,
    tokens,
)
from tests.integration.reporting.conftest import projected
from tests.integration.reporting.decision_feed import DECISION_ID, DOSSIERS, with_decision
from tests.integration.reporting.scenario import build_feed
from thidua.es.db import create_pool
from thidua.es.ops import ops_app

OPEN = everyone(200)
DOCS = everyone(200)  # the OpenAPI and its viewers describe the API; they hold no data

REPORTING: dict[str, Row] = {
    "GET /health": ("/health", OPEN),
    "GET /openapi.json": ("/openapi.json", DOCS),
    "GET /docs": ("/docs", DOCS),
    "GET /docs/oauth2-redirect": ("/docs/oauth2-redirect", DOCS),
    "GET /redoc": ("/redoc", DOCS),
    "GET /rollups/province/{province_id}": (
        "/rollups/province/gia-lai?year=2018",
        expect(200, "board"),
    ),
    "GET /rollups/ministry/{ministry_id}": (
        "/rollups/ministry/bct?year=2018",
        expect(200, "ministry"),
    ),
    "GET /rollups/department/{department_code}": (
        "/rollups/department/sct-gialai?year=2018",
        expect(200, *SCT_GIALAI),
    ),
    "GET /rollups/unit": (
        "/rollups/unit?unit_id=sct-gialai/vp&year=2018",
        expect(200, *SCT_GIALAI),
    ),
    # Today's provinces and ministries: each reader sees those it may read (and, beneath them,
    # the former ones merged into them: test_restructuring.py).
    "GET /provinces": ("/provinces", expect(200, *READERS)),
    "GET /ministries": ("/ministries", expect(200, *READERS)),
    "GET /facts": (
        "/facts?scope_kind=unit&scope_id=sct-gialai/vp&year=2018",
        expect(200, *SCT_GIALAI),
    ),
    "GET /forms/{form_code}": (
        "/forms/0601.N?scope_kind=ministry&scope_id=bct&year=2018",
        expect(200, "ministry"),
    ),
    "GET /": ("/?nam=2018", expect(200, *READERS)),
    "GET /chon": ("/chon?cap=tinh&ma=gia-lai&nam=2018", expect(303, *READERS)),
    "GET /tinh/{province_id}": ("/tinh/gia-lai?nam=2018", expect(200, "board")),
    "GET /bo/{ministry_id}": ("/bo/bct?nam=2018", expect(200, "ministry")),
    "GET /so/{department_code}": ("/so/sct-gialai?nam=2018", expect(200, *SCT_GIALAI)),
    "GET /don-vi/{unit_id:path}": ("/don-vi/sct-gialai/vp?nam=2018", expect(200, *SCT_GIALAI)),
    "GET /tai-ve/tong-hop": (
        "/tai-ve/tong-hop?cap=so&ma=sct-gialai&nam=2018&dinh-dang=csv",
        expect(200, *SCT_GIALAI),
    ),
    "GET /tai-ve/bieu-mau": (
        "/tai-ve/bieu-mau?bieu=0601.N&cap=tinh&ma=gia-lai&nam=2018&dinh-dang=csv",
        expect(200, "board"),
    ),
    # The HTTP door: only Sở Công Thương Gia Lai's own accounts post for it. A JSON body that
    # is no CloudEvent gets past the login and the scope to a 415 (this API has no door
    # publisher: an event would get a 503); test_door.py posts events.
    "POST /v1/departments/{code}/events": (
        "POST",
        "/v1/departments/sct-gialai/events",
        lambda _: {"khong": "phai CloudEvents"},
        expect(415, "department"),
    ),
    "GET /v1/audit/{subject_kind}/{subject_id:path}": (
        "/v1/audit/person/sct-gialai/p-0042",
        expect(200, *SCT_GIALAI),
    ),
    "GET /v1/departments/{department_code}/events/{event_id}": (
        "/v1/departments/sct-gialai/events/an-event-never-sent",
        expect(200, *SCT_GIALAI),
    ),
    "GET /nhat-ky": ("/nhat-ky?loai=ca-nhan&ma=sct-gialai/p-0042", expect(200, *SCT_GIALAI)),
    # Review reports (issue 17): the campaign's department's scope.
    "GET /v1/campaigns/{campaign_id:path}/reports/tong-ket.{extension}": (
        "/v1/campaigns/sct-gialai/2018/phat-dong/reports/tong-ket.docx",
        expect(200, *SCT_GIALAI),
    ),
    "GET /v1/campaigns/{campaign_id:path}/reports/so-ket-dot-{phase}.{extension}": (
        "/v1/campaigns/sct-gialai/2018/phat-dong/reports/so-ket-dot-1.pdf",
        expect(200, *SCT_GIALAI),
    ),
    "GET /bao-cao/phong-trao": (
        "/bao-cao/phong-trao?ma=sct-gialai/2018/phat-dong",
        expect(200, *SCT_GIALAI),
    ),
    # A decision's draft and certificates (issue 18): its department's scope; the public
    # verification page and the provinces' public keys: everyone, no login (after the
    # certificates, which make Gia Lai's key).
    "GET /v1/decisions/{decision_id:path}/draft.{extension}": (
        f"/v1/decisions/{DECISION_ID}/draft.docx",
        expect(200, *SCT_GIALAI),
    ),
    "GET /v1/decisions/{decision_id:path}/certificates.pdf": (
        f"/v1/decisions/{DECISION_ID}/certificates.pdf",
        expect(200, *SCT_GIALAI),
    ),
    "GET /bao-cao/quyet-dinh": (
        "/bao-cao/quyet-dinh?so=sct-gialai&nam=2018",
        expect(200, *SCT_GIALAI),
    ),
    "GET /xac-minh/{code}": (f"/xac-minh/{certificate_code(DOSSIERS[0][0])}", OPEN),
    "GET /xac-minh/khoa/{province}.pem": ("/xac-minh/khoa/gia-lai.pem", OPEN),
    # The commendation funds (issue 18): the province's scope.
    "GET /v1/funds/province/{province_id}": (
        "/v1/funds/province/gia-lai?year=2018",
        expect(200, "board"),
    ),
    "GET /v1/funds/province/{province_id}/export.xlsx": (
        "/v1/funds/province/gia-lai/export.xlsx?year=2018",
        expect(200, "board"),
    ),
    "GET /v1/funds/department/{department_code}": (
        "/v1/funds/department/sct-gialai?year=2018",
        expect(200, *SCT_GIALAI),
    ),
    "GET /bao-cao/quy-thi-dua": (
        "/bao-cao/quy-thi-dua?tinh=gia-lai&nam=2018",
        expect(200, "board"),
    ),
    # Search (issue 18): every reader, each finding only what it may read; a person's and a
    # unit's record: their department's scope.
    "GET /v1/search": ("/v1/search?q=nguyen+thi+lan", expect(200, *READERS)),
    "GET /v1/people/{person_id:path}": ("/v1/people/sct-gialai/p-0042", expect(200, *SCT_GIALAI)),
    "GET /v1/units/{unit_id:path}": ("/v1/units/sct-gialai/vp", expect(200, *SCT_GIALAI)),
    "GET /tra-cuu": ("/tra-cuu?q=nguyen+thi+lan", expect(200, *READERS)),
    "GET /tra-cuu/ca-nhan/{person_id:path}": (
        "/tra-cuu/ca-nhan/sct-gialai/p-0042",
        expect(200, *SCT_GIALAI),
    ),
    "GET /tra-cuu/don-vi/{unit_id:path}": (
        "/tra-cuu/don-vi/sct-gialai/vp",
        expect(200, *SCT_GIALAI),
    ),
    # The login itself: open to everyone (the provider's form, then back).
    "GET /auth/login": ("/auth/login?next=/", everyone(302)),
    "GET /auth/callback": ("/auth/callback", everyone(400)),  # no login under way
    "GET /auth/logout": ("/auth/logout", everyone(303)),
    "GET /auth/logged-out": ("/auth/logged-out", everyone(200)),
}

OPERATIONS: dict[str, Row] = {
    "GET /health/live": ("/health/live", OPEN),
    "GET /health/ready": ("/health/ready", OPEN),  # probes carry no token; booleans only
    "GET /metrics": ("/metrics", expect(200, "operator")),
    "GET /openapi.json": ("/openapi.json", DOCS),
}


@pytest.fixture
async def apps(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[dict[str, object]]:
    """The reporting API over the Gia Lai feed (real ids, in a model of the test's own) and
    the operations endpoints of its projection runtime."""
    feed = build_feed("")
    with_decision(feed)
    async with projected(database_url, bootstrap, uid, feed, audit=True) as (
        runtime,
        _,
        _,
    ):
        pool = await create_pool(database_url, f"test_{uid}_ctl")
        try:
            api = reporting.create_api(pool, control_schema=f"test_{uid}_ctl")
            async with api.router.lifespan_context(api):
                yield {"reporting": api, "operations": ops_app(runtime)}
        finally:
            await pool.close()


async def asked(app: object, table: dict[str, Row]) -> list[str]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        return await ask(client, table)


@pytest.mark.timeout(300)
async def test_every_reporting_route_answers_each_role_within_its_scope(
    apps: dict[str, object],
) -> None:
    api = apps["reporting"]
    assert routes(api) == set(REPORTING), "a route without a row in the matrix"
    assert await asked(api, REPORTING) == []


async def test_every_operations_route_answers_each_role_within_its_scope(
    apps: dict[str, object],
) -> None:
    ops = apps["operations"]
    assert routes(ops) == set(OPERATIONS), "a route without a row in the matrix"
    assert await asked(ops, OPERATIONS) == []


async def test_refusals_are_problems_in_vietnamese(apps: dict[str, object]) -> None:
    who = await tokens()
    transport = httpx.ASGITransport(app=apps["reporting"])  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        anonymous = await client.get("/rollups/department/sct-gialai?year=2018")
        forged = await client.get(
            "/rollups/department/sct-gialai?year=2018",
            headers=headers(str(who["department"])[:-4] + "AAAA"),
        )
        outside = await client.get(
            "/rollups/department/sct-gialai?year=2018", headers=headers(who["other_department"])
        )
        page = await client.get("/so/sct-gialai", headers=headers(who["other_department"]))
        login = await client.get("/so/sct-gialai")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == "application/problem+json"
    assert anonymous.json()["title"] == "Chưa xác thực"
    assert forged.status_code == 401
    assert 'error="invalid_token"' in forged.headers["www-authenticate"]
    assert outside.status_code == 403
    assert outside.json()["title"] == "Không có quyền truy cập"
    assert "stc-gialai" in outside.json()["detail"] and "sct-gialai" in outside.json()["detail"]
    assert page.status_code == 403 and "Không có quyền truy cập" in page.text
    assert login.status_code == 401 and 'href="/auth/login?next=/so/sct-gialai"' in login.text
