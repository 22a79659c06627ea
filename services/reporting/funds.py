"""The commendation funds (quỹ thi đua, khen thưởng; issue 18, item 4) of a province and its
departments for a budget year, as of a date, read from ``reporting_funds``:

- ``allocated``: the allocation (FundAllocated) and its adjustments (FundAdjusted);
- ``spent``: the cash of the decisions issued by the fund's owner (FundDrawn, FundOverdrawn);
- ``committed``: the cash expected of the dossiers its council voted for (NominationVoted,
  reached) and not yet approved, rejected or withdrawn: what the fund will have to pay;
- ``recovered``: the cash of revoked awards back to the fund their decision drew on
  (FundRecovered, thu hồi tiền thưởng), from the day of the revocation;
- ``balance`` = allocated - spent + recovered (negative: overdrawn; ``overdrawn`` names the
  decisions that overdrew it when they were issued, a later recovery does not unname them);
  ``available`` = balance - committed.

Over HTTP, with the rollups' access rules (the province's scope):
``GET /v1/funds/province/{province_id}?year=&as_of=`` (JSON),
``GET /v1/funds/province/{province_id}/export.xlsx`` and the dashboard's page
``GET /bao-cao/quy-thi-dua?tinh=&nam=&den-ngay=``; a department's own fund within its scope:
``GET /v1/funds/department/{department_code}`` and ``/bao-cao/quy-thi-dua?so=&nam=``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from contracts import topics
from services.reporting import exports
from services.reporting.params import (
    AsOf,
    AsOfParam,
    DepartmentCode,
    ProvinceId,
    Year,
    require_scope,
)
from services.reporting.presentation import Cell, Table, vn_date, vn_number
from services.reporting.reader import ModelReader
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn


class FundLine(BaseModel):
    """One fund: the province's (kept by its board) or a department's."""

    owner: str = Field(description="Mã Sở, hoặc <tỉnh>-board cho quỹ của tỉnh.")
    name: str
    allocated_vnd: int = Field(description="Đã giao (gồm điều chỉnh).")
    spent_vnd: int = Field(description="Đã chi theo quyết định khen thưởng.")
    recovered_vnd: int = Field(
        default=0, description="Thu hồi tiền thưởng của khen thưởng bị hủy bỏ, nộp lại quỹ."
    )
    committed_vnd: int = Field(description="Dự kiến chi: hồ sơ đã được Hội đồng thông qua.")
    balance_vnd: int = Field(description="Số dư = đã giao - đã chi + thu hồi; âm: bội chi.")
    available_vnd: int = Field(description="Còn có thể chi = số dư - dự kiến chi.")
    allocated: bool = Field(description="Quỹ đã được giao trong năm.")
    overdrawn: list[str] = Field(description="Số quyết định đã làm bội chi quỹ.")


class FundReport(BaseModel):
    province_id: str
    province_name: str
    year: int
    as_of: date | None
    lines: list[FundLine]
    total: FundLine


FUNDS = """
WITH owners(owner, name, ord) AS (
    SELECT $1::text, 'Ban Thi đua - Khen thưởng tỉnh ' || coalesce(
        (SELECT name FROM reporting_provinces WHERE province_id = $2), $2), 0
    WHERE $5::text IS NULL
    UNION ALL
    SELECT department_code, name, 1 FROM reporting_departments
    WHERE province_id = $2 AND ($5::text IS NULL OR department_code = $5)),
moves AS (
    SELECT f.* FROM reporting_funds f
    WHERE f.owner IN (SELECT owner FROM owners) AND f.year = $3
      AND ($4::date IS NULL OR f.effective_on <= $4))
SELECT o.owner, o.name,
       coalesce(sum(m.amount_vnd) FILTER (WHERE m.kind IN ('allocated', 'adjusted')), 0)
           AS allocated,
       coalesce(sum(m.amount_vnd) FILTER (WHERE m.kind IN ('drawn', 'overdrawn')), 0) AS spent,
       coalesce(sum(m.amount_vnd) FILTER (WHERE m.kind = 'recovered'), 0) AS recovered,
       coalesce(sum(m.amount_vnd) FILTER (
           WHERE m.kind = 'committed' AND NOT EXISTS (
               SELECT 1 FROM reporting_funds c
               WHERE c.kind = 'concluded' AND c.nomination_id = m.nomination_id
                 AND ($4::date IS NULL OR c.effective_on <= $4))), 0) AS committed,
       bool_or(m.kind = 'allocated') AS is_allocated,
       coalesce(array_agg(m.decision_number ORDER BY m.effective_on, m.event_id)
           FILTER (WHERE m.kind = 'overdrawn'), '{}') AS overdrawn
FROM owners o LEFT JOIN moves m ON m.owner = o.owner
GROUP BY o.owner, o.name, o.ord
ORDER BY o.ord, o.owner"""


def _line(owner: str, name: str, allocated: int, spent: int, recovered: int, committed: int,
          is_allocated: bool, overdrawn: list[str]) -> FundLine:  # fmt: skip
    balance = allocated - spent + recovered
    return FundLine(
        owner=owner, name=name, allocated_vnd=allocated, spent_vnd=spent,
        recovered_vnd=recovered, committed_vnd=committed, balance_vnd=balance,
        available_vnd=balance - committed, allocated=is_allocated, overdrawn=overdrawn,
    )  # fmt: skip


async def province_funds(
    conn: Conn,
    province_id: str,
    year: int,
    as_of: date | None = None,
    department: str | None = None,
) -> FundReport:
    """The province's fund and its departments' (``department``: that department's alone)."""
    board = topics.board(province_id)
    rows = await conn.fetch(FUNDS, board, province_id, year, as_of, department)
    lines = [
        _line(r["owner"], r["name"], r["allocated"], r["spent"], r["recovered"], r["committed"],
              bool(r["is_allocated"]), list(r["overdrawn"]))
        for r in rows
    ]  # fmt: skip
    name = await conn.fetchval(
        "SELECT name FROM reporting_provinces WHERE province_id = $1", province_id
    )
    whole = f"Toàn tỉnh {name or province_id}" if department is None else "Tổng cộng"
    total = _line(
        province_id, whole,
        sum(x.allocated_vnd for x in lines), sum(x.spent_vnd for x in lines),
        sum(x.recovered_vnd for x in lines), sum(x.committed_vnd for x in lines),
        any(x.allocated for x in lines),
        [n for x in lines for n in x.overdrawn],
    )  # fmt: skip
    return FundReport(
        province_id=province_id, province_name=name or province_id, year=year, as_of=as_of,
        lines=lines, total=total,
    )  # fmt: skip


COLUMNS = [
    "Quỹ",
    "Đã giao (đồng)",
    "Đã chi (đồng)",
    "Thu hồi (đồng)",
    "Dự kiến chi (đồng)",
    "Số dư (đồng)",
    "Còn có thể chi (đồng)",
    "Bội chi theo quyết định",
]


def table(report: FundReport) -> Table:
    def row(x: FundLine) -> list[Cell]:
        if not x.allocated:
            return [x.name, None, x.spent_vnd or None, x.recovered_vnd or None,
                    x.committed_vnd or None, None, None, "Chưa giao quỹ"]  # fmt: skip
        return [x.name, x.allocated_vnd, x.spent_vnd, x.recovered_vnd, x.committed_vnd,
                x.balance_vnd, x.available_vnd, ", ".join(x.overdrawn)]  # fmt: skip

    return Table(
        "Quỹ thi đua, khen thưởng",
        f"Quỹ thi đua, khen thưởng năm {report.year} - {report.province_name}",
        COLUMNS,
        [row(x) for x in [*report.lines, report.total]],
    )


def heading(report: FundReport) -> list[str]:
    when = f"tính đến ngày {vn_date(report.as_of)}" if report.as_of else "số liệu hiện tại"
    return [f"Quỹ thi đua, khen thưởng năm {report.year} - {report.province_name} ({when})"]


def page_body(report: FundReport) -> str:
    def money(value: Cell) -> str:
        return "" if value is None or isinstance(value, str) else vn_number(value)

    rows = []
    for x, cells in zip([*report.lines, report.total], table(report).rows, strict=True):
        flag = ' class="overdrawn"' if x.overdrawn else ""
        tds = [f"<td>{escape(str(cells[0]))}</td>"]
        tds += [f'<td class="num">{money(c)}</td>' for c in cells[1:-1]]
        tds.append(f"<td>{escape(str(cells[-1] or ''))}</td>")
        rows.append(f'<tr data-owner="{escape(x.owner)}"{flag}>{"".join(tds)}</tr>')
    query = {"year": report.year, **({"as_of": report.as_of.isoformat()} if report.as_of else {})}
    href = f"/v1/funds/province/{report.province_id}/export.xlsx?" + urlencode(query)
    warning = (
        f'<p class="warning" id="fund-overdrawn">Bội chi quỹ theo quyết định: '
        f"{escape(', '.join(report.total.overdrawn))}</p>"
        if report.total.overdrawn
        else ""
    )
    return (
        f'<nav class="crumbs"><a href="/">Trang chủ</a></nav><h1>{escape(heading(report)[0])}</h1>'
        + warning
        + '<table id="funds"><thead><tr>'
        + "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
        + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + f'<p><a id="funds-xlsx" download href="{escape(href)}">Tải về (XLSX)</a></p>'
    )


def funds_section(kind: str, scope_id: str, year: int) -> str:
    """The province's and a department's page link to their funds of the year."""
    if kind not in ("province", "department"):
        return ""
    which = {"tinh" if kind == "province" else "so": scope_id, "nam": year}
    href = "/bao-cao/quy-thi-dua?" + urlencode(which)
    text = "quỹ tỉnh và từng Sở" if kind == "province" else "quỹ của Sở"
    return (
        '<h2>Quỹ thi đua, khen thưởng</h2><p><a id="funds" href="'
        + escape(href)
        + f'">Đã giao, đã chi, thu hồi, dự kiến chi, số dư của {text}</a></p>'
    )


def create_funds_router(reader: ModelReader, shell: Callable[[str, str], str]) -> APIRouter:
    router = APIRouter()

    async def read(who: Principal, province_id: str, year: int, as_of: date | None,
                   page: bool = False) -> FundReport:  # fmt: skip
        async with reader.snapshot() as conn:
            await require_scope(conn, "province", province_id, who, page=page)
            return await province_funds(conn, province_id, year, as_of)

    async def read_department(who: Principal, code: str, year: int, as_of: date | None,
                              page: bool = False) -> FundReport:  # fmt: skip
        async with reader.snapshot() as conn:
            await require_scope(conn, "department", code, who, page=page)
            province = await conn.fetchval(
                "SELECT province_id FROM reporting_departments WHERE department_code = $1", code
            )
            return await province_funds(conn, str(province), year, as_of, code)

    @router.get(
        "/v1/funds/department/{department_code}",
        response_model=FundReport,
        tags=["funds"],
        responses=webapi.documented(404),
    )
    async def department_fund(
        who: auth.Reader, department_code: DepartmentCode, year: Year, as_of: AsOf = None
    ) -> FundReport:
        """Quỹ thi đua, khen thưởng của một Sở trong năm."""
        return await read_department(who, department_code, year, as_of)

    @router.get(
        "/v1/funds/province/{province_id}",
        response_model=FundReport,
        tags=["funds"],
        responses=webapi.documented(404),
    )
    async def funds(
        who: auth.Reader, province_id: ProvinceId, year: Year, as_of: AsOf = None
    ) -> FundReport:
        """Quỹ thi đua, khen thưởng của tỉnh và từng Sở trong năm: đã giao, đã chi, dự kiến
        chi, số dư; bội chi theo quyết định nào."""
        return await read(who, province_id, year, as_of)

    @router.get(
        "/v1/funds/province/{province_id}/export.xlsx",
        tags=["funds"],
        response_class=Response,
        responses=webapi.documented(404),
    )
    async def funds_xlsx(
        who: auth.Reader, province_id: ProvinceId, year: Year, as_of: AsOf = None
    ) -> Response:
        """Quỹ thi đua, khen thưởng (XLSX)."""
        report = await read(who, province_id, year, as_of)
        body = exports.xlsx(heading(report), [table(report)])
        disposition = exports.content_disposition(f"quy-thi-dua-{province_id}-{year}", "xlsx")
        return Response(
            body, media_type=exports.XLSX_TYPE, headers={"Content-Disposition": disposition}
        )

    @router.get(
        "/bao-cao/quy-thi-dua",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Quỹ thi đua, khen thưởng của tỉnh trong năm",
        responses=webapi.documented(404),
    )
    async def funds_page(
        who: auth.PageReader,
        nam: Annotated[int, Query(ge=1945, le=2100, description="Năm ngân sách.")],
        tinh: Annotated[
            Annotated[str, webapi.ID] | None, Query(description="Mã tỉnh.", examples=["gia-lai"])
        ] = None,
        so: Annotated[
            Annotated[str, webapi.CODE] | None, Query(description="Mã Sở (chỉ quỹ của Sở).")
        ] = None,
        ngay: AsOfParam = None,
    ) -> HTMLResponse:
        if so is not None:
            report = await read_department(who, so, nam, ngay, page=True)
        elif tinh is not None:
            report = await read(who, tinh, nam, ngay, page=True)
        else:
            raise webapi.not_found("Chọn tỉnh (tinh) hoặc Sở (so).")
        return HTMLResponse(shell(heading(report)[0], page_body(report)))

    return router
