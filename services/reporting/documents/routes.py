"""The review reports over HTTP, with the rollups' access rules (board, ministry, department,
each within its scope: the campaign's department):

- ``GET /v1/campaigns/{campaign_id}/reports/tong-ket.{docx|pdf}``: the final review;
- ``GET /v1/campaigns/{campaign_id}/reports/so-ket-dot-{phase}.{docx|pdf}``: the mid-term
  review of a phase (đợt);
- ``GET /bao-cao/phong-trao?ma=<campaign id>``: the dashboard's page of a campaign's reports
  (linked from a department's page, ``review_section``).

An unknown campaign is a 404 problem; a phase the plan does not have, a 409 (the plan, which
an amendment may change, has no such phase); no Vietnamese font for the PDF, a 503.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from html import escape
from typing import Annotated, Literal
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from services.reporting import exports
from services.reporting.documents import queries as documents
from services.reporting.documents.document import Document
from services.reporting.documents.pdf import review_pdf
from services.reporting.documents.review import review_document
from services.reporting.documents.review_data import Kind
from services.reporting.documents.word import MEDIA_TYPE as DOCX_TYPE
from services.reporting.documents.word import review_docx
from services.reporting.params import require_scope
from services.reporting.presentation import vn_date
from services.reporting.queries import Choice
from services.reporting.reader import ModelReader
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn

LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
MEDIA_TYPES = {"docx": DOCX_TYPE, "pdf": "application/pdf"}
Extension = Annotated[Literal["docx", "pdf"], Path(description="Định dạng: docx (Word) hoặc pdf.")]
CampaignId = Annotated[
    str,
    webapi.ID,
    Path(description="Mã phong trào thi đua.", examples=["sct-gialai/2018/phat-dong"]),
]
PhaseNumber = Annotated[int, Path(ge=1, le=20, description="Đợt thi đua (1, 2, …).", examples=[1])]
CampaignQuery = Annotated[
    str,
    webapi.ID,
    Query(description="Mã phong trào thi đua.", examples=["sct-gialai/2018/phat-dong"]),
]
REPORT = {
    **webapi.documented(404, 409, 503),
    200: {
        "description": "Báo cáo (tệp tải về).",
        "content": {
            t: {"schema": {"type": "string", "format": "binary"}} for t in MEDIA_TYPES.values()
        },
    },
}
KIND_NAMES = {"so-ket": "sơ kết", "tong-ket": "tổng kết"}


def report_path(campaign_id: str, kind: Kind, extension: str, phase: int | None = None) -> str:
    name = f"so-ket-dot-{phase}" if kind == "so-ket" else "tong-ket"
    return f"/v1/campaigns/{quote(campaign_id, safe='/')}/reports/{name}.{extension}"


def review_section(kind: str, campaigns: Sequence[Choice]) -> str:
    """The department page's list of its campaigns' reports (empty on other pages)."""
    if kind != "department" or not campaigns:
        return ""
    items = "".join(
        f'<li><a data-reports="{escape(c.id)}" href="'
        + escape("/bao-cao/phong-trao?" + urlencode({"ma": c.id}))
        + f'">{escape(c.name)}</a></li>'
        for c in campaigns
    )
    return f'<h2>Báo cáo sơ kết, tổng kết</h2><ul id="review-reports">{items}</ul>'


def _today() -> date:
    return datetime.now(LOCAL_TIME).date()


def create_reports_router(reader: ModelReader, shell: Callable[[str, str], str]) -> APIRouter:
    """The reports' routes, reading the model through ``reader``; ``shell`` wraps a page's
    body (the dashboard's ``page_html``)."""
    router = APIRouter()
    control = reader.control

    async def readable(
        conn: Conn, campaign_id: str, who: Principal, *, page: bool = False
    ) -> documents.CampaignRow:
        found = await documents.campaign(conn, campaign_id, control)
        if found is None:
            raise webapi.not_found(f"Không tìm thấy phong trào thi đua có mã '{campaign_id}'.")
        await require_scope(conn, "department", found.department_code, who, page=page)
        return found

    async def report(
        who: Principal, campaign_id: str, kind: Kind, phase: int | None, extension: str
    ) -> Response:
        async with reader.snapshot() as conn:
            found = await readable(conn, campaign_id, who)
            try:
                review = await documents.review(conn, found, kind, phase, _today())
            except documents.NoSuchPhase:
                phases = len(found.plan.phases)
                has = f"kế hoạch có {phases} đợt" if phases else "kế hoạch không chia đợt thi đua"
                raise HTTPException(
                    409,
                    f"Phong trào '{campaign_id}' không có đợt {phase} ({has}); "
                    "không thể lập báo cáo sơ kết đợt này.",
                ) from None
        # Laying out a thousand awards takes seconds of CPU: not on the event loop.
        return await run_in_threadpool(document_file, review_document(review), extension)

    @router.get(
        "/v1/campaigns/{campaign_id:path}/reports/tong-ket.{extension}",
        tags=["reports"],
        response_class=Response,
        responses=REPORT,
        summary="Báo cáo tổng kết phong trào thi đua (DOCX, PDF)",
    )
    async def final_review(
        who: auth.Reader, campaign_id: CampaignId, extension: Extension
    ) -> Response:
        """Báo cáo tổng kết: số liệu cả phong trào và từng đợt, chỉ tiêu so với thực hiện,
        sáng kiến, danh sách khen thưởng; thể thức văn bản hành chính (NĐ 30/2020/NĐ-CP)."""
        return await report(who, campaign_id, "tong-ket", None, extension)

    @router.get(
        "/v1/campaigns/{campaign_id:path}/reports/so-ket-dot-{phase}.{extension}",
        tags=["reports"],
        response_class=Response,
        responses=REPORT,
        summary="Báo cáo sơ kết một đợt thi đua (DOCX, PDF)",
    )
    async def midterm_review(
        who: auth.Reader, campaign_id: CampaignId, phase: PhaseNumber, extension: Extension
    ) -> Response:
        """Báo cáo sơ kết đợt: số liệu trong đợt và lũy kế đến hết đợt, chỉ tiêu so với thực
        hiện, sáng kiến, khen thưởng, phương hướng đợt sau."""
        return await report(who, campaign_id, "so-ket", phase, extension)

    @router.get(
        "/bao-cao/phong-trao",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Báo cáo sơ kết, tổng kết của một phong trào",
        responses=webapi.documented(404),
    )
    async def campaign_reports(who: auth.PageReader, ma: CampaignQuery) -> HTMLResponse:
        async with reader.snapshot() as conn:
            found = await readable(conn, ma, who, page=True)
        plan = found.plan
        rows: list[tuple[str, Kind, int | None]] = [
            (f"Sơ kết đợt {p.number} ({vn_date(p.start)} - {vn_date(p.end)})", "so-ket", p.number)
            for p in plan.phases
        ]
        rows.append(
            (
                f"Tổng kết ({vn_date(plan.period_start)} - {vn_date(plan.period_end)})",
                "tong-ket",
                None,
            )
        )
        items = "".join(
            f"<tr><td>{escape(label)}</td><td>"
            + " · ".join(
                f'<a data-report="{kind}-{phase or ""}-{ext}" download href="'
                + escape(report_path(ma, kind, ext, phase))
                + f'">{ext.upper()}</a>'
                for ext in ("docx", "pdf")
            )
            + "</td></tr>"
            for label, kind, phase in rows
        )
        department = quote(found.department_code)
        body = (
            f'<nav class="crumbs"><a href="/">Trang chủ</a> &rsaquo; '
            f'<a href="/so/{department}?nam={found.year}">{escape(plan.department_name)}</a></nav>'
            f"<h1>Báo cáo sơ kết, tổng kết</h1><p>{escape(plan.title)}</p>"
            '<table id="reports"><thead><tr><th>Báo cáo</th><th>Tải về</th></tr></thead>'
            f"<tbody>{items}</tbody></table>"
            '<p class="note">Thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP); số liệu từ'
            " mô hình báo cáo, chỉ tiêu từ kế hoạch.</p>"
        )
        return HTMLResponse(shell(f"Báo cáo sơ kết, tổng kết — {plan.title}", body))

    return router


def document_file(document: Document, extension: str) -> Response:
    """The document as a download in ``extension`` (docx, pdf)."""
    if extension == "pdf":
        try:
            body = review_pdf(document)
        except exports.FontMissing as missing:
            raise HTTPException(503, str(missing)) from None
    else:
        body = review_docx(document)
    return Response(
        body,
        media_type=MEDIA_TYPES[extension],
        headers={"Content-Disposition": exports.content_disposition(document.file_stem, extension)},
    )
