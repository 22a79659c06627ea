"""HTTP API of the reporting service: rollups, statutory forms and drill-down (OpenAPI at /docs).

Every request reads one consistent snapshot (a read-only repeatable-read transaction) of the
model the control pointer names, so a switch-over after a rebuild is seen whole or not at all.
Rollups (and the dashboard's pages) are kept per model version (``reader.py``): computed once
while no event moves the model.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Literal

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from services.reporting import queries
from services.reporting.audit.api import create_audit_router
from services.reporting.dashboard.layout import page_html
from services.reporting.dashboard.pages import scope_rollup
from services.reporting.dashboard.routes import create_dashboard
from services.reporting.documents.decisions import create_decisions_router
from services.reporting.documents.routes import create_reports_router
from services.reporting.documents.verification import create_verification_router
from services.reporting.door import DoorPublisher, create_door
from services.reporting.door.routes import document as document_door
from services.reporting.forms import Form
from services.reporting.funds import create_funds_router
from services.reporting.params import (
    AsOf,
    Campaign,
    DepartmentCode,
    Figure,
    Key,
    MinistryId,
    ProvinceId,
    ScopeId,
    UnitId,
    WithPredecessors,
    Year,
    readable_orgs,
    require_cached_scope,
    require_scope,
)
from services.reporting.queries import FactRef, OrgChoice, Rollup
from services.reporting.reader import ModelReader
from services.reporting.search.routes import create_search_router
from thidua.auth import Principal, TokenVerifier
from thidua.auth import web as auth
from thidua.auth.login import install_login
from thidua.es import webapi
from thidua.es.db import Conn, Pool

log = logging.getLogger(__name__)

FOUND = webapi.documented(404)
"""What a read of one scope may answer besides 200 and 422: the scope is unknown."""


Readiness = Callable[[], Awaitable[dict[str, bool]]]


def create_api(
    pool: Pool,
    *,
    control_schema: str | None = "reporting",
    readiness: Readiness | None = None,
    verifier: TokenVerifier | None = None,
    door: DoorPublisher | None = None,
) -> FastAPI:
    """The API over ``pool``. With ``control_schema`` each request reads the model named by
    ``<control_schema>.current_model``; without it, the pool's own schema. ``/health`` answers
    503 while ``readiness`` reports a check failing; a request that meets an unreachable
    database answers 503 too (a problem, ``webapi``), and the service stays up.

    Every route but ``/health`` needs a token (or the dashboard's login session) verified by
    ``verifier`` (by default against the issuer of the settings), and answers only within the
    principal's roles (``thidua.auth``). ``door`` publishes what departments post to the HTTP
    door (``services.reporting.door``); without it a post answers 503."""
    reader = ModelReader(pool, control_schema)

    @asynccontextmanager
    async def listening(_: FastAPI) -> AsyncIterator[None]:
        await reader.start()
        try:
            yield
        finally:
            await reader.stop()

    api = FastAPI(
        lifespan=listening,
        title="Thi đua - Khen thưởng: báo cáo tổng hợp",
        description="Số liệu tổng hợp theo đơn vị, Sở, tỉnh và Bộ; bảng điều khiển tại /;"
        " biểu mẫu Thông tư 02/2023/TT-BNV;"
        " truy vết đến từng sự kiện.",
        version="1.0",
    )
    webapi.install(api)
    api.add_exception_handler(asyncpg.UndefinedTableError, _model_not_ready)
    auth.install(api, verifier)
    install_login(api)

    model = reader.snapshot

    async def rollup(
        key: tuple[object, ...], query: Callable[[Conn], Awaitable[Rollup]], who: Principal
    ) -> Response:
        kind, scope_id = str(key[0]), str(key[1])
        # Checked on every request: the cached answer is shared by everyone who may read it.
        await require_cached_scope(reader, kind, scope_id, who)

        async def compute(conn: Conn) -> bytes:
            return json_body(await query(conn))

        return Response(await reader.cached(key, compute), media_type="application/json")

    async def org_rollup(
        kind: str,
        scope_id: str,
        year: int,
        as_of: date | None,
        campaign_id: str | None,
        with_predecessors: bool,
        who: Principal,
    ) -> Response:
        """A province's, a ministry's or a department's rollup, with its predecessors or not."""

        async def query(conn: Conn) -> Rollup:
            return await scope_rollup(
                conn, kind, scope_id, year, as_of, campaign_id, with_predecessors
            )

        return await rollup(
            (kind, scope_id, year, as_of, campaign_id, with_predecessors),
            query,
            who,
        )

    api.state.reader = reader
    api.include_router(create_dashboard(reader))
    api.include_router(create_audit_router(pool, control_schema, page_html))
    api.include_router(create_door(door))
    api.include_router(create_reports_router(reader, page_html))
    api.include_router(create_decisions_router(reader, page_html))
    api.include_router(create_verification_router(reader, page_html))
    api.include_router(create_funds_router(reader, page_html))
    api.include_router(create_search_router(reader, page_html))
    document_door(api)

    @api.get(
        "/health",
        responses={503: {"description": "A dependency (PostgreSQL, Kafka) does not answer."}},
    )  # open: probes (the supervisor, compose, a kubelet) carry no token; it tells only booleans
    async def health() -> Response:
        checks = await readiness() if readiness is not None else {}
        ok = all(checks.values())
        body = {"status": "ok" if ok else "unavailable", "checks": checks}
        return JSONResponse(body, status_code=200 if ok else 503)

    @api.get(
        "/rollups/province/{province_id}", response_model=Rollup, tags=["rollups"], responses=FOUND
    )
    async def province(
        who: auth.Reader,
        province_id: ProvinceId,
        year: Year,
        as_of: AsOf = None,
        campaign_id: Campaign = None,
        with_predecessors: WithPredecessors = False,
    ) -> Response:
        """Tổng hợp cấp tỉnh: mọi Sở của tỉnh. ``economy``: chỉ tiêu kinh tế của kế hoạch từng
        Sở và kết quả thực hiện (``lines``), cộng theo chỉ tiêu cùng đơn vị tính (``totals``)."""
        return await org_rollup(
            "province", province_id, year, as_of, campaign_id, with_predecessors, who
        )

    @api.get(
        "/rollups/ministry/{ministry_id}", response_model=Rollup, tags=["rollups"], responses=FOUND
    )
    async def ministry(
        who: auth.Reader,
        ministry_id: MinistryId,
        year: Year,
        as_of: AsOf = None,
        campaign_id: Campaign = None,
        with_predecessors: WithPredecessors = False,
    ) -> Response:
        """Tổng hợp theo ngành: các Sở cùng ngành ở mọi tỉnh."""
        return await org_rollup(
            "ministry", ministry_id, year, as_of, campaign_id, with_predecessors, who
        )

    @api.get(
        "/rollups/department/{department_code}",
        response_model=Rollup,
        tags=["rollups"],
        responses=FOUND,
    )
    async def department(
        who: auth.Reader,
        department_code: DepartmentCode,
        year: Year,
        as_of: AsOf = None,
        campaign_id: Campaign = None,
        with_predecessors: WithPredecessors = False,
    ) -> Response:
        """Tổng hợp của một Sở, chi tiết theo đơn vị."""
        return await org_rollup(
            "department", department_code, year, as_of, campaign_id, with_predecessors, who
        )

    @api.get("/rollups/unit", response_model=Rollup, tags=["rollups"], responses=FOUND)
    async def unit(
        who: auth.Reader,
        unit_id: UnitId,
        year: Year,
        as_of: AsOf = None,
        campaign_id: Campaign = None,
    ) -> Response:
        """Số liệu của một đơn vị."""
        return await rollup(
            ("unit", unit_id, year, as_of, campaign_id),
            lambda conn: queries.rollup(
                conn, "unit", unit_id, year, as_of=as_of, campaign_id=campaign_id
            ),
            who,
        )

    @api.get("/provinces", response_model=list[OrgChoice], tags=["rollups"])
    async def province_list(who: auth.Reader) -> Response:
        """Các tỉnh hiện nay, mỗi tỉnh kèm các tỉnh cũ đã hợp nhất vào (vẫn xem được số liệu)."""
        return await org_list("province", who)

    @api.get("/ministries", response_model=list[OrgChoice], tags=["rollups"])
    async def ministry_list(who: auth.Reader) -> Response:
        """Các Bộ, ngành hiện nay, mỗi Bộ kèm các Bộ cũ đã hợp nhất vào."""
        return await org_list("ministry", who)

    async def org_list(kind: str, who: Principal) -> Response:
        async def compute(conn: Conn) -> bytes:
            found = await queries.org_list(conn, kind)
            return json.dumps(
                [c.model_dump(mode="json") for c in found], ensure_ascii=False
            ).encode()

        listed = json.loads(await reader.cached(("org list", kind), compute))
        return JSONResponse(readable_orgs(listed, kind, who))

    @api.get("/facts", response_model=list[FactRef], tags=["drill-down"], responses=FOUND)
    async def facts(
        who: auth.Reader,
        scope_kind: Literal["unit", "department", "province", "ministry"],
        scope_id: ScopeId,
        year: Year,
        figure: Figure = None,
        key: Key = None,
        as_of: AsOf = None,
    ) -> list[FactRef]:
        """Các sự kiện tạo nên một chỉ số (truy vết)."""
        async with model() as conn:
            await require_scope(conn, scope_kind, scope_id, who)
            return await queries.facts_behind(
                conn, scope_kind, scope_id, year, figure=figure, key=key, as_of=as_of
            )

    @api.get("/forms/{form_code}", response_model=Form, tags=["forms"], responses=FOUND)
    async def form(
        who: auth.Reader,
        form_code: Literal["0601.N", "0602.N", "0603.N"],
        scope_kind: Literal["province", "ministry"],
        scope_id: ScopeId,
        year: Year,
        as_of: AsOf = None,
        with_predecessors: WithPredecessors = False,
    ) -> Form:
        """Biểu mẫu thống kê theo Thông tư 02/2023/TT-BNV."""
        async with model() as conn:
            await require_scope(conn, scope_kind, scope_id, who)
            return await queries.statutory_form(
                conn, form_code, scope_kind, scope_id, year, as_of, with_predecessors
            )

    return api


def json_body(model: BaseModel) -> bytes:
    """The JSON FastAPI would answer for ``model`` (its JSONResponse's rendering)."""
    return json.dumps(
        model.model_dump(mode="json"), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()


async def _model_not_ready(request: Request, exc: Exception) -> Response:
    """The API listens before the projection has created its model's tables (at start, or on a
    fresh model): a request in between meets a model not ready yet, so 503, try again."""
    log.warning(
        "%s %s: the reporting model is not ready (%s)", request.method, request.url.path, exc
    )
    return webapi.problem(
        503,
        "Mô hình báo cáo đang được khởi tạo; vui lòng thử lại sau giây lát.",
        instance=request.url.path,
        headers={"Retry-After": "5"},
    )
