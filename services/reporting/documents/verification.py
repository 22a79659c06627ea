"""The certificates of a decision and their public verification (issue 18):

- ``GET /v1/decisions/{decision_id}/certificates.pdf``: one page per title in force, for the
  pre-printed blanks, margins in mm as query parameters (``le-trai``, ``le-phai``,
  ``le-tren``, ``le-duoi``), each with its QR code and short code (the decision's
  department's scope, like the draft);
- ``GET /xac-minh/{code}``: the public verification page (no login): only the title, the
  name, the unit, the decision's number and date, its issuer, and whether the title has since
  been revoked;
- ``GET /xac-minh/khoa/{province}.pem``: the province's public key, to check a certificate's
  signature offline (``services.reporting.verify``).

The QR code holds ``<public URL>/xac-minh/<code>#<signed token>``; the public URL is
``THIDUA_PUBLIC_URL`` (the address citizens reach), else the address the request came to.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html import escape
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from services.reporting import exports
from services.reporting.documents import awarded
from services.reporting.documents.certificates import Certificate, Margins, certificates_pdf
from services.reporting.documents.decisions import DecisionId, readable
from services.reporting.forms import TITLE_LABELS
from services.reporting.presentation import vn_date
from services.reporting.reader import ModelReader
from services.reporting.verify import CertificateRecord, KeyStore, sign
from thidua.auth import web as auth
from thidua.es import webapi

Margin = Annotated[float, Query(ge=0, le=80)]
PDF = {
    **webapi.documented(404, 503),
    200: {
        "description": "Giấy khen, bằng khen để in lên phôi (PDF, mỗi trang một người).",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    },
}


def record_of(decision: awarded.Decision, awardee: awarded.Awardee) -> CertificateRecord:
    return CertificateRecord(
        code=awardee.code,
        title=TITLE_LABELS.get(awardee.title, awardee.title),
        name=awardee.name,
        unit=awardee.unit,
        decision_number=decision.number,
        decision_date=vn_date(decision.issued_on),
        issuer=decision.issuer_name,
        province=decision.province_id or decision.department_code,
    )


def public_base(request: Request) -> str:
    return (os.environ.get("THIDUA_PUBLIC_URL") or str(request.base_url)).rstrip("/")


def create_verification_router(
    reader: ModelReader, shell: Callable[[str, str], str], keys: KeyStore | None = None
) -> APIRouter:
    """``shell`` wraps a page's body (the dashboard's ``page_html``); ``keys`` holds the
    provinces' signing keys (by default in the stack's state directory)."""
    router = APIRouter()
    control = reader.control
    store = keys or KeyStore()

    @router.get(
        "/v1/decisions/{decision_id:path}/certificates.pdf",
        tags=["decisions"],
        response_class=Response,
        responses=PDF,
        summary="In giấy khen, bằng khen của một quyết định (PDF)",
    )
    async def certificates(
        who: auth.Reader,
        request: Request,
        decision_id: DecisionId,
        le_trai: Annotated[Margin, Query(alias="le-trai", description="Lề trái (mm).")] = 30.0,
        le_phai: Annotated[Margin, Query(alias="le-phai", description="Lề phải (mm).")] = 30.0,
        le_tren: Annotated[Margin, Query(alias="le-tren", description="Lề trên (mm).")] = 55.0,
        le_duoi: Annotated[Margin, Query(alias="le-duoi", description="Lề dưới (mm).")] = 22.0,
    ) -> Response:
        """Giấy khen (quyết định của Giám đốc Sở) hoặc bằng khen (của Chủ tịch UBND tỉnh, Bộ
        trưởng): khổ A4 ngang, mỗi trang một cá nhân, tập thể còn hiệu lực, in lên phôi; lề
        chỉnh theo máy in của cơ quan. Mỗi trang có mã QR và mã xác minh dẫn đến trang xác
        minh công khai; dữ liệu xác minh được ký số Ed25519 bằng khóa của tỉnh."""
        async with reader.snapshot() as conn:
            found = await readable(conn, decision_id, who, control)
        base = public_base(request)

        def render() -> bytes:
            printed = []
            for a in found.awardees:
                if a.revoked_on is not None:
                    continue
                record = record_of(found, a)
                token = sign(record, store.private_key(record.province))
                printed.append(Certificate(a, a.code, f"{base}/xac-minh/{a.code}#{token}"))
            margins = Margins(le_trai, le_phai, le_tren, le_duoi)
            return certificates_pdf(found, printed, margins)

        try:
            body = await run_in_threadpool(render)
        except exports.FontMissing as missing:
            raise HTTPException(503, str(missing)) from None
        stem = f"giay-khen-{found.decision_id}"
        return Response(
            body,
            media_type="application/pdf",
            headers={"Content-Disposition": exports.content_disposition(stem, "pdf")},
        )

    @router.get(
        "/xac-minh/khoa/{province}.pem",
        tags=["verification"],
        response_class=Response,
        responses={
            **webapi.documented(404),
            200: {
                "description": "Khóa công khai Ed25519 của tỉnh (PEM).",
                "content": {"application/x-pem-file": {"schema": {"type": "string"}}},
            },
        },
        summary="Khóa công khai để xác minh chữ ký giấy khen, bằng khen",
    )
    async def public_key(
        province: Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9-]{0,80}$")],
    ) -> Response:
        """Công khai, không cần đăng nhập."""
        pem = store.public_pem(province)
        if pem is None:
            raise webapi.not_found(f"Tỉnh '{province}' chưa có khóa ký giấy khen, bằng khen.")
        return Response(pem, media_type="application/x-pem-file")

    @router.get(
        "/xac-minh/{code}",
        response_class=HTMLResponse,
        tags=["verification"],
        summary="Xác minh giấy khen, bằng khen (công khai)",
        responses=webapi.documented(404),
    )
    async def verify_page(
        code: Annotated[
            str,
            Path(
                pattern=r"^[0-9A-Fa-f -]{12,20}$",
                description="Mã xác minh in dưới mã QR, ví dụ 3F2A-91C0-7B4E.",
            ),
        ],
    ) -> HTMLResponse:
        """Công khai, không cần đăng nhập: chỉ hiện danh hiệu, họ tên, đơn vị, số và ngày
        quyết định, cơ quan ban hành, và tình trạng (còn hiệu lực hay đã bị thu hồi)."""
        digits = awarded.normal_code(code)
        found: tuple[awarded.Decision, awarded.Awardee] | None = None
        if digits is not None:
            async with reader.snapshot() as conn:
                found = await awarded.certificate(conn, digits, control)
        if found is None:
            raise webapi.not_found(
                f"Không tìm thấy giấy khen, bằng khen có mã xác minh '{code}'. Vui lòng kiểm"
                " tra lại mã in dưới mã QR."
            )
        decision, awardee = found
        record = record_of(decision, awardee)
        if awardee.revoked_on is not None:
            status = (
                f'<p id="status" class="revoked"><strong>Đã bị thu hồi</strong> theo Quyết định'
                f" số {escape(awardee.revoked_by or '')} ngày {vn_date(awardee.revoked_on)}."
                " Danh hiệu, hình thức khen thưởng này đã bị thu hồi.</p>"
            )
        else:
            status = '<p id="status" class="valid"><strong>Còn hiệu lực.</strong></p>'
        rows = (
            ("Mã xác minh", record.code),
            ("Danh hiệu, hình thức khen thưởng", record.title),
            ("Họ và tên / Tập thể", record.name),
            ("Đơn vị", record.unit or ""),
            ("Quyết định số", record.decision_number),
            ("Ngày quyết định", record.decision_date),
            ("Cơ quan ban hành", record.issuer),
        )
        body = (
            "<h1>Xác minh giấy khen, bằng khen</h1>"
            + status
            + '<table id="certificate"><tbody>'
            + "".join(f"<tr><th>{k}</th><td>{escape(v)}</td></tr>" for k, v in rows)
            + "</tbody></table>"
        )
        return HTMLResponse(shell("Xác minh giấy khen, bằng khen", body))

    return router
