"""A decision's documents over HTTP, with the rollups' access rules (the decision's
department's scope):

- ``GET /v1/decisions/{decision_id}/draft.{docx|pdf}``: the draft of the decision (dự thảo
  quyết định: số/ký hiệu blank for the clerk) with its annex of awardees and cash;
- ``GET /bao-cao/quyet-dinh?so=<department>&nam=<year>``: the dashboard's list of a
  department's decisions of a year, with their documents (linked from the department's page,
  ``decisions_section``).

An unknown decision is a 404 problem; no Vietnamese font for the PDF, a 503.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from html import escape
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from contracts.awards import DecisionIssued
from services.reporting.documents import awarded
from services.reporting.documents.decision import decision_document
from services.reporting.documents.routes import REPORT, Extension, document_file
from services.reporting.params import require_scope
from services.reporting.presentation import vn_date, vn_number
from services.reporting.reader import ModelReader
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn

DecisionId = Annotated[
    str,
    webapi.ID,
    Path(description="Mã quyết định khen thưởng.", examples=["sct-gialai/qd/2018-1"]),
]


def decision_path(decision_id: str, name: str) -> str:
    """``/v1/decisions/<id>/<name>`` (``draft.docx``, ``certificates.pdf``)."""
    return f"/v1/decisions/{quote(decision_id, safe='/')}/{name}"


def decisions_section(kind: str, scope_id: str, year: int) -> str:
    """The department page's link to its decisions of the year (empty on other pages)."""
    if kind != "department":
        return ""
    href = "/bao-cao/quyet-dinh?" + urlencode({"so": scope_id, "nam": year})
    return (
        '<h2>Quyết định khen thưởng</h2><p><a id="decisions" href="'
        + escape(href)
        + '">Dự thảo quyết định, in giấy khen, bằng khen</a></p>'
    )


async def readable(
    conn: Conn, decision_id: str, who: Principal, control: str | None
) -> awarded.Decision:
    found = await awarded.decision(conn, decision_id, control)
    if found is None:
        raise webapi.not_found(f"Không tìm thấy quyết định khen thưởng có mã '{decision_id}'.")
    await require_scope(conn, "department", found.department_code, who)
    return found


def create_decisions_router(reader: ModelReader, shell: Callable[[str, str], str]) -> APIRouter:
    router = APIRouter()
    control = reader.control

    @router.get(
        "/v1/decisions/{decision_id:path}/draft.{extension}",
        tags=["decisions"],
        response_class=Response,
        responses=REPORT,
        summary="Dự thảo quyết định khen thưởng (DOCX, PDF)",
    )
    async def draft(who: auth.Reader, decision_id: DecisionId, extension: Extension) -> Response:
        """Dự thảo quyết định khen thưởng theo thể thức NĐ 30/2020/NĐ-CP: căn cứ pháp lý của
        bộ quy tắc áp dụng, Điều 1-3, danh sách kèm theo (họ tên, đơn vị, danh hiệu, tiền
        thưởng); số, ký hiệu để trống cho văn thư."""
        async with reader.snapshot() as conn:
            found = await readable(conn, decision_id, who, control)
        return await run_in_threadpool(document_file, decision_document(found), extension)

    @router.get(
        "/bao-cao/quyet-dinh",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Quyết định khen thưởng của một Sở trong năm",
        responses=webapi.documented(404),
    )
    async def decisions_page(
        who: auth.PageReader,
        so: Annotated[str, webapi.CODE, Query(description="Mã Sở.", examples=["sct-gialai"])],
        nam: Annotated[int, Query(ge=1990, le=2100, description="Năm ban hành.")],
    ) -> HTMLResponse:
        async with reader.snapshot() as conn:
            await require_scope(conn, "department", so, who, page=True)
            listed = await issued_in(conn, so, nam, control)
        rows = "".join(
            f"<tr><td>{escape(d.number)}</td><td>{vn_date(d.issued_on)}</td>"
            f"<td>{escape(d.issuer)}</td><td>{vn_number(d.nominations)}</td><td>"
            + " · ".join(
                f'<a data-decision="{escape(d.decision_id)}" download href="'
                + escape(decision_path(d.decision_id, name))
                + f'">{label}</a>'
                for name, label in (
                    ("draft.docx", "Dự thảo (DOCX)"),
                    ("draft.pdf", "Dự thảo (PDF)"),
                    ("certificates.pdf", "In giấy khen, bằng khen (PDF)"),
                )
            )
            + "</td></tr>"
            for d in listed
        )
        body = (
            f'<nav class="crumbs"><a href="/">Trang chủ</a> &rsaquo; '
            f'<a href="/so/{quote(so)}?nam={nam}">{escape(so)}</a></nav>'
            f"<h1>Quyết định khen thưởng năm {nam}</h1>"
            + (
                '<table id="decision-list"><thead><tr><th>Số, ký hiệu</th><th>Ngày</th>'
                "<th>Cơ quan ban hành</th><th>Số hồ sơ</th><th>Tải về</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>"
                if listed
                else "<p>Chưa có quyết định khen thưởng trong năm.</p>"
            )
        )
        return HTMLResponse(shell(f"Quyết định khen thưởng năm {nam}", body))

    return router


class Listed:
    def __init__(self, data: DecisionIssued) -> None:
        self.decision_id = data.decision_id
        self.number = data.number
        self.issued_on = data.issued_on
        self.issuer = data.issuer.name
        self.nominations = len(data.nomination_ids)


async def issued_in(conn: Conn, department: str, year: int, control: str | None) -> list[Listed]:
    """The department's decisions issued in ``year``, by date and number."""
    schema = await awarded.trail_schema(conn, control)
    if schema is None:
        return []
    rows = await conn.fetch(
        f"""SELECT data FROM "{schema}".audit_events
            WHERE kind = 'fact' AND type = $1 AND department = $2
              AND (data->>'issued_on')::date BETWEEN $3 AND $4""",
        DecisionIssued.type_name(),
        department,
        date(year, 1, 1),
        date(year, 12, 31),
    )
    found = [Listed(DecisionIssued.model_validate(json.loads(r["data"]))) for r in rows]
    return sorted(found, key=lambda d: (d.issued_on, d.number))
