"""The dashboard's routes: its pages and the downloads.

Pages: ``/`` (choose a province or a ministry and a year), ``/tinh/{id}``, ``/bo/{id}``,
drill-down ``/so/{department}`` and ``/don-vi/{unit}`` (with the events behind its figures);
each takes ``nam`` (year), ``den-ngay`` (as of, dd/mm/yyyy) and ``phong-trao`` (one campaign:
phases instead of half-years). Downloads: ``/tai-ve/tong-hop`` (XLSX or CSV of a page's
tables) and ``/tai-ve/bieu-mau`` (forms 0601.N-0603.N as PDF, XLSX or CSV).

Here is what HTTP adds to a page (``pages.py``): the parameters, the principal's checks, the
cache per model version; a download reads and writes its file here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting import exports, queries
from services.reporting.dashboard.layout import page_url, scope_path
from services.reporting.dashboard.pages import home_html, page_year, scope_page_html, scope_rollup
from services.reporting.params import (
    AsOfParam,
    CampaignParam,
    DepartmentCode,
    MinistryId,
    PredecessorsParam,
    ProvinceId,
    ScopeId,
    UnitPage,
    YearParam,
    readable_orgs,
    require_cached_scope,
    require_scope,
)
from services.reporting.presentation import (
    SLUG_SCOPES,
    Table,
    facts_table,
    form_table,
    heading,
    rollup_tables,
    vn_date,
)
from services.reporting.reader import ModelReader
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn

Snapshot = Callable[[], AbstractAsyncContextManager[Conn]]
PAGE = webapi.documented(404)
ScopeSlug = Literal["tinh", "bo", "so", "don-vi"]


def downloads(*formats: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a download in these formats (or a 404: no such scope)."""
    types = {exports.MEDIA_TYPES[f].split(";")[0] for f in formats}
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        **webapi.documented(404),
        200: {"description": "Tệp tải về.", "content": {t: binary for t in sorted(types)}},
    }


def create_dashboard(reader: ModelReader) -> APIRouter:
    """The dashboard's routes, reading one consistent model per request through ``reader``;
    the scope pages are kept per model version."""
    router = APIRouter(tags=["dashboard"])
    snapshot: Snapshot = reader.snapshot

    @router.get("/", response_class=HTMLResponse, summary="Trang chủ: chọn tỉnh hoặc Bộ")
    async def home(who: auth.PageReader, nam: YearParam = None) -> HTMLResponse:
        async with snapshot() as conn:
            year, years = await page_year(conn, nam)
            listed = {
                kind: readable_orgs(
                    [c.model_dump(mode="json") for c in await queries.org_list(conn, kind)],
                    kind,
                    who,
                )
                for kind in ("province", "ministry")
            }
        return HTMLResponse(home_html(who, year, years, listed))

    @router.get("/chon", include_in_schema=False)
    async def choose(
        who: auth.PageReader, cap: Literal["tinh", "bo"], ma: ScopeId, nam: YearParam = None
    ) -> RedirectResponse:
        return RedirectResponse(
            page_url(scope_path(SLUG_SCOPES[cap], ma), nam=nam), status_code=303
        )

    async def scope_page(
        who: Principal,
        kind: str,
        scope_id: str,
        nam: int | None,
        as_of: date | None,
        phong_trao: str | None,
        with_predecessors: bool = False,
    ) -> HTMLResponse:
        campaign = phong_trao or None
        # Checked on every request: the cached page is shared by everyone who may read it.
        await require_cached_scope(reader, kind, scope_id, who, page=True)

        async def render(conn: Conn) -> bytes:
            return await scope_page_html(
                conn, kind, scope_id, nam, as_of, campaign, with_predecessors
            )

        key = ("page", kind, scope_id, nam, as_of, campaign, with_predecessors)
        return HTMLResponse(await reader.cached(key, render))

    @router.get(
        "/tinh/{province_id}",
        response_class=HTMLResponse,
        summary="Báo cáo cấp tỉnh",
        responses=PAGE,
    )
    async def province_page(
        who: auth.PageReader,
        province_id: ProvinceId,
        nam: YearParam = None,
        den_ngay: AsOfParam = None,
        phong_trao: CampaignParam = None,
        gom_tien_than: PredecessorsParam = False,
    ) -> HTMLResponse:
        return await scope_page(
            who, "province", province_id, nam, den_ngay, phong_trao, gom_tien_than
        )

    @router.get(
        "/bo/{ministry_id}",
        response_class=HTMLResponse,
        summary="Báo cáo theo Bộ, ngành",
        responses=PAGE,
    )
    async def ministry_page(
        who: auth.PageReader,
        ministry_id: MinistryId,
        nam: YearParam = None,
        den_ngay: AsOfParam = None,
        phong_trao: CampaignParam = None,
        gom_tien_than: PredecessorsParam = False,
    ) -> HTMLResponse:
        return await scope_page(
            who, "ministry", ministry_id, nam, den_ngay, phong_trao, gom_tien_than
        )

    @router.get(
        "/so/{department_code}",
        response_class=HTMLResponse,
        summary="Báo cáo của Sở",
        responses=PAGE,
    )
    async def department_page(
        who: auth.PageReader,
        department_code: DepartmentCode,
        nam: YearParam = None,
        den_ngay: AsOfParam = None,
        phong_trao: CampaignParam = None,
        gom_tien_than: PredecessorsParam = False,
    ) -> HTMLResponse:
        return await scope_page(
            who, "department", department_code, nam, den_ngay, phong_trao, gom_tien_than
        )

    @router.get(
        "/don-vi/{unit_id:path}",
        response_class=HTMLResponse,
        summary="Số liệu đơn vị",
        responses=PAGE,
    )
    async def unit_page(
        who: auth.PageReader,
        unit_id: UnitPage,
        nam: YearParam = None,
        den_ngay: AsOfParam = None,
        phong_trao: CampaignParam = None,
    ) -> HTMLResponse:
        return await scope_page(who, "unit", unit_id, nam, den_ngay, phong_trao)

    @router.get(
        "/tai-ve/tong-hop",
        summary="Tải số liệu tổng hợp (XLSX, CSV)",
        response_class=Response,
        responses=downloads("xlsx", "csv"),
    )
    async def download_rollup(
        who: auth.Reader,
        cap: ScopeSlug,
        ma: ScopeId,
        nam: Annotated[int, Query(ge=1945, le=2100)],
        dinh_dang: Annotated[Literal["xlsx", "csv"], Query(alias="dinh-dang")] = "xlsx",
        den_ngay: AsOfParam = None,
        phong_trao: CampaignParam = None,
        gom_tien_than: PredecessorsParam = False,
    ) -> Response:
        kind = SLUG_SCOPES[cap]
        as_of = den_ngay
        async with snapshot() as conn:
            await require_scope(conn, kind, ma, who)
            r = await scope_rollup(conn, kind, ma, nam, as_of, phong_trao or None, gom_tien_than)
            campaigns = await queries.campaigns_in(conn, kind, ma, nam)
            facts = (
                await queries.facts_behind(conn, "unit", ma, nam, as_of=as_of)
                if kind == "unit"
                else []
            )
        tables = rollup_tables(r, {c.id: c.name for c in campaigns})
        if kind == "unit":
            tables.append(facts_table(facts))
        stem = f"tong-hop-{cap}-{ma}-{nam}" + (f"-den-{as_of.isoformat()}" if as_of else "")
        stem += "-gom-tien-than" if r.with_predecessors else ""
        return _file(heading(r), tables, dinh_dang, stem)

    @router.get(
        "/tai-ve/bieu-mau",
        summary="Tải biểu mẫu TT 02/2023/TT-BNV (PDF, XLSX, CSV)",
        response_class=Response,
        responses={**downloads("pdf", "xlsx", "csv"), **webapi.documented(503)},
    )
    async def download_form(
        who: auth.Reader,
        bieu: Literal["0601.N", "0602.N", "0603.N"],
        cap: Literal["tinh", "bo"],
        ma: ScopeId,
        nam: Annotated[int, Query(ge=1945, le=2100)],
        dinh_dang: Annotated[Literal["pdf", "xlsx", "csv"], Query(alias="dinh-dang")] = "pdf",
        den_ngay: AsOfParam = None,
        gom_tien_than: PredecessorsParam = False,
    ) -> Response:
        kind = SLUG_SCOPES[cap]
        as_of = den_ngay
        async with snapshot() as conn:
            await require_scope(conn, kind, ma, who)
            form = await queries.statutory_form(conn, bieu, kind, ma, nam, as_of, gom_tien_than)
        stem = f"bieu-{bieu}-{cap}-{ma}-{nam}" + (f"-den-{as_of.isoformat()}" if as_of else "")
        stem += "-gom-tien-than" if gom_tien_than else ""
        if dinh_dang == "pdf":
            try:
                body = exports.form_pdf(form, as_of=as_of)
            except exports.FontMissing as missing:
                raise HTTPException(503, str(missing)) from None
            return Response(
                body,
                media_type=exports.MEDIA_TYPES["pdf"],
                headers={"Content-Disposition": exports.content_disposition(stem, "pdf")},
            )
        lines = [f"Biểu số {form.form}: {form.name}", f"Đơn vị báo cáo: {form.scope_label}"]
        lines.append(f"Năm: {form.year}")
        if as_of:
            lines.append(f"Số liệu tính đến ngày: {vn_date(as_of)}")
        return _file(lines, [form_table(form)], dinh_dang, stem)

    return router


def _file(lines: Sequence[str], tables: Sequence[Table], fmt: str, stem: str) -> Response:
    body = exports.xlsx(lines, tables) if fmt == "xlsx" else exports.csv_bytes(lines, tables)
    return Response(
        body,
        media_type=exports.MEDIA_TYPES[fmt],
        headers={"Content-Disposition": exports.content_disposition(stem, fmt)},
    )
