"""The audit trail over HTTP: ``GET /v1/audit/{kind}/{id}`` (a subject's trail, JSON),
``GET /v1/departments/{code}/events/{id}`` (what became of an event a department sent) and the
dashboard's printable page ``/nhat-ky?loai=&ma=``.

Same roles as the rollups: board, ministry or department, each within its scope (the subject's
department, placed in its province and ministry), checked on every request; an unknown subject
is a 404 problem. Each request reads one read-only snapshot of the trail's schema.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from html import escape
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import StringConstraints

from services.reporting.audit.links import (
    KIND_NAMES,
    KIND_SLUGS,
    SLUG_KINDS,
    audit_link,
    search_form,
)
from services.reporting.audit.queries import (
    AUDIT_SUFFIX,
    AuditEntry,
    EventOutcome,
    SubjectTrail,
    audit_schema,
    event_outcome,
    event_trail,
    pending_outcome,
    placed_in,
    subject_place,
    subject_trail,
)
from services.reporting.audit.summary import type_label
from services.reporting.params import OPTIONAL_ID, DepartmentCode
from thidua.auth import Place, Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn, Pool, checked_schema

SubjectKind = Literal[
    "person",
    "unit",
    "nomination",
    "campaign",
    "initiative",
    "department",
    "research",
    "decision",
    "exemplary",
    "conference",
    "case",
    "bloc",
]
SubjectId = Annotated[
    str,
    webapi.ID,
    Path(description="Mã đối tượng.", examples=["sct-gialai/p-0100"]),
]
EVENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:+=@-]{0,199}$"
EventId = Annotated[
    str,
    StringConstraints(pattern=EVENT_ID_PATTERN),
    Path(description="Mã (CloudEvents id) của sự kiện Sở đã gửi."),
]
KindSlug = Literal[
    "ca-nhan",
    "don-vi",
    "ho-so",
    "phong-trao",
    "sang-kien",
    "so",
    "de-tai",
    "quyet-dinh",
    "dien-hinh",
    "hoi-nghi",
    "vu-viec",
    "cum-khoi",
    "su-kien",
]
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
DECIDERS = {
    "registration": "Đăng ký, danh mục",
    "awards": "Khen thưởng",
    "notifications": "Thông báo",
}
PRINT_STYLE = """
@media print{header,form,nav.crumbs,.no-print{display:none!important}
body{background:#fff;font-size:10pt}main{max-width:none;padding:0}
table{font-size:9pt}th{background:#eee!important}a{color:#000;text-decoration:none}
tr{break-inside:avoid}h1{font-size:14pt}}
td.refused{color:#b71c1c;font-weight:bold}td.accepted{color:#2e7d32}
"""
PageShell = Callable[[str, str], str]
"""The dashboard's page: (title, body) → the whole HTML document."""


def vn_time(moment: datetime) -> str:
    """dd/mm/yyyy HH:MM, Vietnam's time."""
    return moment.astimezone(LOCAL_TIME).strftime("%d/%m/%Y %H:%M")


def create_audit_router(pool: Pool, control_schema: str | None, shell: PageShell) -> APIRouter:
    """The audit's routes over ``pool``, reading the trail beside ``control_schema``'s model
    (without one, beside the pool's own schema)."""
    router = APIRouter()

    @asynccontextmanager
    async def trail() -> AsyncIterator[Conn | None]:
        """A read-only snapshot of the trail; None while it has no tables yet."""
        async with (
            pool.acquire() as conn,
            conn.transaction(isolation="repeatable_read", readonly=True),
        ):
            if control_schema is not None:
                schema = audit_schema(control_schema)
            else:
                schema = f"{await conn.fetchval('SELECT current_schema()')}{AUDIT_SUFFIX}"
            await conn.execute(f'SET LOCAL search_path TO "{checked_schema(schema)}", public')
            ready = await conn.fetchval("SELECT to_regclass('audit_events') IS NOT NULL")
            yield conn if ready else None

    async def readable_trail(
        conn: Conn | None, kind: str, subject_id: str, who: Principal, *, page: bool = False
    ) -> SubjectTrail:
        place = await subject_place(conn, kind, subject_id) if conn is not None else None
        if place is None or conn is None:
            raise webapi.not_found(
                f"Không tìm thấy {KIND_NAMES[kind].lower()} có mã '{subject_id}' trong nhật ký."
            )
        auth.require_place(who, place, page=page)
        found = await subject_trail(conn, kind, subject_id, place)
        assert found is not None
        return found

    async def readable_event(conn: Conn | None, event_id: str, who: Principal) -> SubjectTrail:
        found = await event_trail(conn, event_id) if conn is not None else None
        if found is None or conn is None:
            raise webapi.not_found(f"Không tìm thấy sự kiện có mã '{event_id}' trong nhật ký.")
        place = await placed_in(conn, "event", event_id, found.department)
        auth.require_place(who, place, page=True)
        return found

    @router.get(
        "/v1/audit/{subject_kind}/{subject_id:path}",
        response_model=SubjectTrail,
        tags=["audit"],
        responses=webapi.documented(404),
    )
    async def audit(
        who: auth.Reader,
        subject_kind: Annotated[
            SubjectKind, Path(description="Loại đối tượng.", examples=["person"])
        ],
        subject_id: SubjectId,
    ) -> SubjectTrail:
        """Nhật ký của một đối tượng (cá nhân, đơn vị, hồ sơ, phong trào, sáng kiến …): mọi
        sự kiện theo thứ tự, ai gửi, khi nào, quyết định, và các lần bị từ chối với lý do."""
        async with trail() as conn:
            return await readable_trail(conn, subject_kind, subject_id, who)

    @router.get(
        "/v1/departments/{department_code}/events/{event_id}",
        response_model=EventOutcome,
        tags=["audit"],
        responses=webapi.documented(404),
    )
    async def outcome(
        who: auth.Reader, department_code: DepartmentCode, event_id: EventId
    ) -> EventOutcome:
        """Kết quả xử lý một sự kiện Sở đã gửi: pending (chưa có kết quả), accepted (kèm các
        sự kiện phát sinh) hoặc refused (kèm lý do)."""
        async with trail() as conn:
            place = Place("department", department_code, department=department_code)
            if conn is not None:
                place = await placed_in(conn, "department", department_code, department_code)
            if not who.may_read(place):
                if place.province is None:
                    raise webapi.not_found(f"Không tìm thấy Sở có mã '{department_code}'.")
                auth.require_place(who, place)
            if conn is None:
                return pending_outcome(department_code, event_id)
            return await event_outcome(conn, department_code, event_id)

    @router.get(
        "/nhat-ky",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Nhật ký của một đối tượng (in được)",
        responses=webapi.documented(404),
    )
    async def page(
        who: auth.PageReader,
        loai: Annotated[KindSlug, Query(description="Loại đối tượng.")] = "ca-nhan",
        ma: Annotated[
            Annotated[str, OPTIONAL_ID] | None, Query(description="Mã đối tượng.")
        ] = None,
    ) -> HTMLResponse:
        kind = SLUG_KINDS[loai]
        body = '<nav class="crumbs"><a href="/">Trang chủ</a> &rsaquo; Nhật ký</nav>' + search_form(
            kind, ma or ""
        )
        if not ma:
            body = (
                "<h1>Nhật ký thi đua, khen thưởng</h1>"
                + body
                + '<p class="note">Chọn loại đối tượng và nhập mã để xem mọi sự kiện liên quan,'
                " theo thứ tự thời gian, kể cả các lần bị từ chối và lý do.</p>"
            )
            return HTMLResponse(shell("Nhật ký thi đua, khen thưởng", _styled(body)))
        async with trail() as conn:
            if kind == "event":
                found = await readable_event(conn, ma, who)
            else:
                found = await readable_trail(conn, kind, ma, who, page=True)
        title = f"Nhật ký: {KIND_NAMES[kind].lower()} {ma}"
        return HTMLResponse(shell(title, _styled(body + _trail_html(title, found))))

    return router


def _styled(body: str) -> str:
    return f"<style>{PRINT_STYLE}</style>{body}"


def _reasons(entry: AuditEntry) -> str:
    return "<br>".join(f"<code>{escape(r.code)}</code>: {escape(r.message)}" for r in entry.reasons)


def _trail_html(title: str, found: SubjectTrail) -> str:
    rows = []
    for n, e in enumerate(found.entries, 1):
        refused = e.kind == "refusal"
        outcome = "Từ chối" if refused else "Chấp nhận"
        what = type_label(e.original_type) if refused else type_label(e.type)
        rows.append(
            f'<tr data-event="{escape(e.event_id)}" data-kind="{e.kind}">'
            f'<td class="num">{n}</td><td>{vn_time(e.occurred_at)}</td>'
            f"<td>{escape(what)}</td><td>{escape(e.summary)}</td>"
            f'<td class="{"refused" if refused else "accepted"}">{outcome}</td>'
            f"<td>{escape(DECIDERS.get(e.decided_by or '', e.decided_by or ''))}</td>"
            f"<td>{escape(e.producer or '')}</td><td>{escape(e.department or '')}</td>"
            f"<td>{_reasons(e)}</td>"
            f"<td><code>{escape(e.original_id or e.event_id)}</code></td></tr>"
        )
    columns = [
        "STT", "Thời điểm", "Sự kiện", "Nội dung", "Kết quả", "Đơn vị quyết định",
        "Bên gửi", "Sở", "Lý do từ chối", "Mã sự kiện",
    ]  # fmt: skip
    head = "".join(f"<th>{c}</th>" for c in columns)
    body = "".join(rows) or f'<tr><td colspan="{len(columns)}">Chưa có sự kiện.</td></tr>'
    refusals = sum(1 for e in found.entries if e.kind == "refusal")
    note = (
        f"Sở: {escape(found.department or '—')} · {len(found.entries)} sự kiện,"
        f" trong đó {refusals} lần bị từ chối · giờ Việt Nam (UTC+7)."
    )
    if found.truncated:
        note += " Chỉ hiển thị các sự kiện đầu tiên."
    named = "".join(
        f"<li>{audit_link(s.kind, s.id, f'{KIND_NAMES[s.kind]} {s.id}')}</li>"
        for s in found.subjects
        if s.kind in KIND_NAMES
    )
    return (
        f'<h1 id="audit-title" data-subject-kind="{found.subject_kind}"'
        f' data-subject-id="{escape(found.subject_id)}">{escape(title)}</h1>'
        f'<p class="note">{note}</p>'
        f'<table id="audit" data-table="nhat-ky"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
        + (f'<h2>Đối tượng liên quan</h2><ul id="subjects">{named}</ul>' if named else "")
    )


__all__ = ["KIND_SLUGS", "create_audit_router"]
