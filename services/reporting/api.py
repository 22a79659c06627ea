"""HTTP API of the reporting service: rollups, statutory forms and drill-down (OpenAPI at /docs).

Every request reads one consistent snapshot (a read-only repeatable-read transaction) of the
model the control pointer names, so a switch-over after a rebuild is seen whole or not at all.
Rollups (and the dashboard's pages) are kept per model version (``reader.py``): computed once
while no event moves the model.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated, Literal

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from services.reporting import queries
from services.reporting.dashboard import create_dashboard
from services.reporting.forms import Form
from services.reporting.queries import FactRef, Rollup
from services.reporting.reader import ModelReader
from thidua.es.consumer import TRANSIENT
from thidua.es.db import Conn, Pool

Year = Annotated[int, Query(ge=1945, le=2100, description="Năm báo cáo.")]
AsOf = Annotated[
    date | None, Query(description="Số liệu tính đến ngày (YYYY-MM-DD); bỏ trống = hiện tại.")
]
Campaign = Annotated[str | None, Query(description="Chỉ tính một phong trào thi đua.")]


Readiness = Callable[[], Awaitable[dict[str, bool]]]

UNAVAILABLE = {
    "type": "about:blank",
    "title": "Dịch vụ tạm thời gián đoạn",
    "status": 503,
    "detail": "Cơ sở dữ liệu hoặc Kafka tạm thời không truy cập được; vui lòng thử lại sau.",
}


def create_api(
    pool: Pool, *, control_schema: str | None = "reporting", readiness: Readiness | None = None
) -> FastAPI:
    """The API over ``pool``. With ``control_schema`` each request reads the model named by
    ``<control_schema>.current_model``; without it, the pool's own schema. ``/health`` answers
    503 while ``readiness`` reports a check failing; a request that meets an unreachable
    database answers 503 too (``application/problem+json``), and the service stays up."""
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

    model = reader.snapshot

    async def rollup(
        key: tuple[object, ...], query: Callable[[Conn], Awaitable[Rollup]]
    ) -> Response:
        async def compute(conn: Conn) -> bytes:
            return json_body(await query(conn))

        return Response(await reader.cached(key, compute), media_type="application/json")

    api.state.reader = reader
    api.include_router(create_dashboard(reader))

    async def unavailable(request: Request, exc: Exception) -> Response:
        return JSONResponse(
            UNAVAILABLE,
            status_code=503,
            media_type="application/problem+json",
            headers={"Retry-After": "5"},
        )

    for transient in TRANSIENT:
        if issubclass(transient, Exception):
            api.add_exception_handler(transient, unavailable)

    @api.get(
        "/health",
        responses={503: {"description": "A dependency (PostgreSQL, Kafka) does not answer."}},
    )
    async def health() -> Response:
        checks = await readiness() if readiness is not None else {}
        ok = all(checks.values())
        body = {"status": "ok" if ok else "unavailable", "checks": checks}
        return JSONResponse(body, status_code=200 if ok else 503)

    @api.get("/rollups/province/{province_id}", response_model=Rollup, tags=["rollups"])
    async def province(
        province_id: str, year: Year, as_of: AsOf = None, campaign_id: Campaign = None
    ) -> Response:
        """Tổng hợp cấp tỉnh: mọi Sở của tỉnh."""
        return await rollup(
            ("province", province_id, year, as_of, campaign_id),
            lambda conn: queries.province_rollup(conn, province_id, year, as_of, campaign_id),
        )

    @api.get("/rollups/ministry/{ministry_id}", response_model=Rollup, tags=["rollups"])
    async def ministry(
        ministry_id: str, year: Year, as_of: AsOf = None, campaign_id: Campaign = None
    ) -> Response:
        """Tổng hợp theo ngành: các Sở cùng ngành ở mọi tỉnh."""
        return await rollup(
            ("ministry", ministry_id, year, as_of, campaign_id),
            lambda conn: queries.ministry_rollup(conn, ministry_id, year, as_of, campaign_id),
        )

    @api.get("/rollups/department/{department_code}", response_model=Rollup, tags=["rollups"])
    async def department(
        department_code: str, year: Year, as_of: AsOf = None, campaign_id: Campaign = None
    ) -> Response:
        """Tổng hợp của một Sở, chi tiết theo đơn vị."""
        return await rollup(
            ("department", department_code, year, as_of, campaign_id),
            lambda conn: queries.department_rollup(conn, department_code, year, as_of, campaign_id),
        )

    @api.get("/rollups/unit", response_model=Rollup, tags=["rollups"])
    async def unit(
        unit_id: Annotated[str, Query(description="Mã đơn vị.")],
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
        )

    @api.get("/facts", response_model=list[FactRef], tags=["drill-down"])
    async def facts(
        scope_kind: Literal["unit", "department", "province", "ministry"],
        scope_id: str,
        year: Year,
        figure: str | None = None,
        key: str | None = None,
        as_of: AsOf = None,
    ) -> list[FactRef]:
        """Các sự kiện tạo nên một chỉ số (truy vết)."""
        async with model() as conn:
            return await queries.facts_behind(
                conn, scope_kind, scope_id, year, figure=figure, key=key, as_of=as_of
            )

    @api.get("/forms/{form_code}", response_model=Form, tags=["forms"])
    async def form(
        form_code: Literal["0601.N", "0602.N", "0603.N"],
        scope_kind: Literal["province", "ministry"],
        scope_id: str,
        year: Year,
        as_of: AsOf = None,
    ) -> Form:
        """Biểu mẫu thống kê theo Thông tư 02/2023/TT-BNV."""
        async with model() as conn:
            return await queries.statutory_form(conn, form_code, scope_kind, scope_id, year, as_of)

    return api


def json_body(model: BaseModel) -> bytes:
    """The JSON FastAPI would answer for ``model`` (its JSONResponse's rendering)."""
    return json.dumps(
        model.model_dump(mode="json"), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    ).encode()
