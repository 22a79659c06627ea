"""Search and the pages of a person and a unit over HTTP, with the rollups' access rules:

- ``GET /v1/search?q=&tinh=&so=&don-vi=&nam=&trang=``: people and units, best first, within
  what the reader's roles let them read;
- ``GET /v1/people/{person_id}``, ``GET /v1/units/{unit_id}``: the record (``queries``), for
  whoever may read the person's department, or the unit (404 unknown, 403 out of scope);
- the dashboard's ``/tra-cuu`` (the search box of the home and the department pages, its
  results), ``/tra-cuu/ca-nhan/{person_id}`` and ``/tra-cuu/don-vi/{unit_id}``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import StringConstraints

from contracts.common import DEPARTMENT_CODE_PATTERN, ENTITY_ID_PATTERN
from services.reporting.params import require_scope
from services.reporting.presentation import vn_date, vn_number
from services.reporting.reader import ModelReader
from services.reporting.search.models import (
    ChainProgress,
    InitiativeRef,
    OpenDiscipline,
    PersonPage,
    RatingYear,
    RegistrationRef,
    SearchResults,
    TitleYear,
    UnitPage,
)
from services.reporting.search.queries import Filters, search
from services.reporting.search.records import person_department, person_page, unit_page
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn

SEARCH_PATH = "/tra-cuu"
NAME_CHARS = r"[^\x00-\x1f\x7f]"
Q = Annotated[
    str,
    StringConstraints(max_length=100, pattern=rf"^{NAME_CHARS}*[^\x00-\x20\x7f]{NAME_CHARS}*$"),
    Query(description="Họ tên hoặc tên đơn vị, có dấu hay không dấu.", examples=["nguyen thi lan"]),
]
Tinh = Annotated[
    str,
    StringConstraints(pattern=rf"^$|{ENTITY_ID_PATTERN}"),
    Query(description="Chỉ trong tỉnh (mã tỉnh).", examples=["gia-lai"]),
]
So = Annotated[
    str,
    StringConstraints(pattern=rf"^$|{DEPARTMENT_CODE_PATTERN}"),
    Query(description="Chỉ trong Sở (mã Sở).", examples=["sct-gialai"]),
]
DonVi = Annotated[
    str,
    StringConstraints(pattern=rf"^$|{ENTITY_ID_PATTERN}"),
    Query(
        alias="don-vi",
        description="Chỉ người từng công tác ở đơn vị này (và đơn vị, đơn vị trực thuộc).",
        examples=["sct-gialai/vp"],
    ),
]
Nam = Annotated[
    str,
    StringConstraints(pattern=r"^$|^(19[4-9][0-9]|20[0-9]{2}|2100)$"),
    Query(description="Chỉ người, đơn vị có mặt trong năm.", examples=["2018"]),
]
Trang = Annotated[int, Query(ge=1, le=100, description="Trang kết quả (20 kết quả một trang).")]
PersonId = Annotated[
    str, webapi.ID, Path(description="Mã cá nhân.", examples=["sct-gialai/p-0042"])
]
UnitId = Annotated[str, webapi.ID, Path(description="Mã đơn vị.", examples=["sct-gialai/vp"])]
FOUND = webapi.documented(404)


def person_path(person_id: str) -> str:
    return f"{SEARCH_PATH}/ca-nhan/{quote(person_id, safe='/')}"


def unit_path(unit_id: str) -> str:
    return f"{SEARCH_PATH}/don-vi/{quote(unit_id, safe='/')}"


def search_box(q: str = "", department: str = "") -> str:
    """The search box (tra cứu) of the home and the department pages."""
    scoped = f'<input type="hidden" name="so" value="{escape(department)}">' if department else ""
    return (
        f'<form class="filters" id="people-search" method="get" action="{SEARCH_PATH}">'
        f'<label>Họ tên, đơn vị<input name="q" value="{escape(q)}" size="36"'
        ' placeholder="ví dụ: nguyen thi lan"></label>'
        f"{scoped}<button type=submit>Tra cứu</button></form>"
    )


def search_section(kind: str, scope_id: str) -> str:
    """The department page's search box, within the department (empty on other pages)."""
    if kind != "department":
        return ""
    return f"<h2>Tra cứu cá nhân, đơn vị</h2>{search_box(department=scope_id)}"


def _filters(tinh: str, so: str, don_vi: str, nam: str) -> Filters:
    return Filters(
        province=tinh or None,
        department=so or None,
        unit=don_vi or None,
        year=int(nam) if nam else None,
    )


def create_search_router(reader: ModelReader, shell: Callable[[str, str], str]) -> APIRouter:
    router = APIRouter()

    async def readable_person(conn: Conn, person_id: str, who: Principal, page: bool) -> PersonPage:
        department = await person_department(conn, person_id)
        if department is None:
            raise webapi.not_found(f"Không tìm thấy cá nhân có mã '{person_id}'.")
        await require_scope(conn, "department", department, who, page=page)
        found = await person_page(conn, person_id)
        assert found is not None  # the same snapshot
        return found

    async def readable_unit(conn: Conn, unit_id: str, who: Principal, page: bool) -> UnitPage:
        await require_scope(conn, "unit", unit_id, who, page=page)
        found = await unit_page(conn, unit_id)
        if found is None:
            raise webapi.not_found(f"Không tìm thấy đơn vị có mã '{unit_id}'.")
        return found

    @router.get("/v1/search", response_model=SearchResults, tags=["search"])
    async def search_api(
        who: auth.Reader,
        q: Q,
        tinh: Tinh = "",
        so: So = "",
        don_vi: DonVi = "",
        nam: Nam = "",
        trang: Trang = 1,
    ) -> SearchResults:
        """Tra cứu cá nhân và đơn vị theo tên, không phân biệt dấu và chữ hoa (``đ`` = ``d``),
        lọc theo tỉnh, Sở, đơn vị, năm; chỉ trong phạm vi được xem."""
        async with reader.snapshot() as conn:
            return await search(conn, q, _filters(tinh, so, don_vi, nam), who, trang)

    @router.get(
        "/v1/people/{person_id:path}", response_model=PersonPage, tags=["search"], responses=FOUND
    )
    async def person_api(who: auth.Reader, person_id: PersonId) -> PersonPage:
        """Một cá nhân: đơn vị qua các thời kỳ, xếp loại, đăng ký thi đua, danh hiệu và hình
        thức khen thưởng theo năm, chuỗi danh hiệu đang tích lũy, kỷ luật còn hiệu lực."""
        async with reader.snapshot() as conn:
            return await readable_person(conn, person_id, who, False)

    @router.get(
        "/v1/units/{unit_id:path}", response_model=UnitPage, tags=["search"], responses=FOUND
    )
    async def unit_api(who: auth.Reader, unit_id: UnitId) -> UnitPage:
        """Một đơn vị: cán bộ qua các thời kỳ, xếp loại, đăng ký, sáng kiến, danh hiệu và hình
        thức khen thưởng theo năm, kỷ luật còn hiệu lực của cán bộ."""
        async with reader.snapshot() as conn:
            return await readable_unit(conn, unit_id, who, False)

    @router.get(SEARCH_PATH, response_class=HTMLResponse, tags=["dashboard"], summary="Tra cứu")
    async def search_page(
        who: auth.PageReader,
        q: Annotated[
            str, StringConstraints(max_length=100, pattern=webapi.PRINTABLE), Query()
        ] = "",
        tinh: Tinh = "",
        so: So = "",
        don_vi: DonVi = "",
        nam: Nam = "",
        trang: Trang = 1,
    ) -> HTMLResponse:
        body = f"<h1>Tra cứu cá nhân, đơn vị</h1>{search_box(q, so)}"
        if q.strip():
            async with reader.snapshot() as conn:
                found = await search(conn, q, _filters(tinh, so, don_vi, nam), who, trang)
            body += results_html(
                found, {"q": q, "tinh": tinh, "so": so, "don-vi": don_vi, "nam": nam}
            )
        return HTMLResponse(shell("Tra cứu", body))

    @router.get(
        f"{SEARCH_PATH}/ca-nhan/{{person_id:path}}",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Hồ sơ thi đua, khen thưởng của một cá nhân",
        responses=FOUND,
    )
    async def person_html(who: auth.PageReader, person_id: PersonId) -> HTMLResponse:
        async with reader.snapshot() as conn:
            found = await readable_person(conn, person_id, who, True)
        return HTMLResponse(shell(found.full_name, person_html_body(found)))

    @router.get(
        f"{SEARCH_PATH}/don-vi/{{unit_id:path}}",
        response_class=HTMLResponse,
        tags=["dashboard"],
        summary="Hồ sơ thi đua, khen thưởng của một đơn vị",
        responses=FOUND,
    )
    async def unit_html(who: auth.PageReader, unit_id: UnitId) -> HTMLResponse:
        async with reader.snapshot() as conn:
            found = await readable_unit(conn, unit_id, who, True)
        return HTMLResponse(shell(found.name, unit_html_body(found)))

    return router


# --- HTML ------------------------------------------------------------------------------------


def _table(table_id: str, heading: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table of already escaped cells; "Chưa có" when empty."""
    if not rows:
        return f'<p class="note" id="{table_id}">Chưa có.</p>'
    head = "".join(f"<th>{h}</th>" for h in heading)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _link(href: str, text: str, attr: str = "") -> str:
    return f'<a {attr} href="{escape(href)}">{escape(text)}</a>'


def results_html(found: SearchResults, params: dict[str, str]) -> str:
    rows = [
        [
            "Cá nhân" if h.kind == "person" else "Đơn vị",
            _link(
                person_path(h.id) if h.kind == "person" else unit_path(h.id),
                h.name,
                f'data-hit="{h.kind}" data-id="{escape(h.id)}"',
            ),
            escape(h.unit or ""),
            escape(h.department),
            escape(h.province),
        ]
        for h in found.hits
    ]
    pages = -(-found.total // found.per_page)
    nav = []
    for number, text in ((found.page - 1, "Trang trước"), (found.page + 1, "Trang sau")):
        if 1 <= number <= pages:
            query = urlencode({**{k: v for k, v in params.items() if v}, "trang": number})
            nav.append(_link(f"{SEARCH_PATH}?{query}", text))
    return (
        f'<p class="note" id="total">Tìm thấy {vn_number(found.total)} kết quả'
        f"{f' (trang {found.page}/{pages})' if pages > 1 else ''}."
        + (" Quá nhiều kết quả: hãy gõ thêm tên hoặc chọn tỉnh, Sở." if found.more else "")
        + "</p>"
        + _table("hits", ["Loại", "Tên", "Đơn vị hiện nay", "Sở", "Tỉnh"], rows)
        + (f'<p class="note">{" · ".join(nav)}</p>' if nav else "")
    )


def _titles(titles: Sequence[TitleYear], with_kinds: bool) -> str:
    heading = ["Năm", "Danh hiệu, hình thức", "Số lượng"]
    heading += ["Cá nhân", "Tập thể"] if with_kinds else []
    heading += ["Bị thu hồi", "Tiền thưởng (đồng)"]
    rows = [
        [str(t.year), escape(t.label), vn_number(t.count)]
        + ([vn_number(t.individuals), vn_number(t.collectives)] if with_kinds else [])
        + [vn_number(t.revoked), vn_number(t.cash_vnd)]
        for t in titles
    ]
    return "<h2>Danh hiệu thi đua, hình thức khen thưởng theo năm</h2>" + _table(
        "titles", heading, rows
    )


def _chains(chains: Sequence[ChainProgress]) -> str:
    items = "".join(
        f'<li data-chain="{c.title}" data-years="{c.years}">{escape(c.text)}</li>' for c in chains
    )
    body = f'<ul id="chains">{items}</ul>' if items else '<p class="note">Chưa có.</p>'
    return "<h2>Chuỗi danh hiệu đang tích lũy</h2>" + body


def _ratings(ratings: Sequence[RatingYear]) -> str:
    rows = [[str(r.year), escape(r.label or r.rating)] for r in ratings]
    return "<h2>Đánh giá, xếp loại</h2>" + _table("ratings", ["Năm", "Xếp loại"], rows)


def _registrations(registered: Sequence[RegistrationRef]) -> str:
    rows = [[str(r.year or ""), escape(r.campaign), vn_date(r.registered_on)] for r in registered]
    return "<h2>Đăng ký thi đua</h2>" + _table(
        "registrations", ["Năm", "Phong trào", "Ngày đăng ký"], rows
    )


def _discipline(open_: Sequence[OpenDiscipline], names: dict[str, str] | None = None) -> str:
    rows = [
        ([escape(names.get(d.person_id, d.person_id))] if names is not None else [])
        + [escape(d.label), vn_date(d.imposed_on)]
        for d in open_
    ]
    heading = (["Cán bộ"] if names is not None else []) + ["Hình thức", "Ngày kỷ luật"]
    return "<h2>Kỷ luật còn hiệu lực</h2>" + _table("discipline", heading, rows)


def _initiatives(initiatives: Sequence[InitiativeRef]) -> str:
    """A person's or a unit's initiatives: title (its code when untitled), year, status."""
    rows = [
        [escape(i.title or i.initiative_id), str(i.year), vn_date(i.submitted_on), escape(i.status)]
        for i in initiatives
    ]
    heading = ["Tên sáng kiến", "Năm", "Ngày nộp", "Tình trạng"]
    return "<h2>Sáng kiến</h2>" + _table("initiatives", heading, rows)


def _place(department: str, province: str) -> str:
    return f"{escape(department)}, tỉnh {escape(province)}"


def person_html_body(p: PersonPage) -> str:
    units = [
        [_link(unit_path(m.unit_id), m.unit), vn_date(m.since), vn_date(m.until) or "nay"]
        for m in p.units
    ]
    sex = "Nữ" if p.sex == "female" else "Nam"
    return (
        f'<nav class="crumbs"><a href="/">Trang chủ</a> &rsaquo; <a href="{SEARCH_PATH}">'
        "Tra cứu</a></nav>"
        f'<h1 id="person" data-id="{escape(p.person_id)}">{escape(p.full_name)}</h1>'
        f'<p class="note">{sex} · {_place(p.department, p.province)} · vào ngày'
        f" {vn_date(p.joined_on)}"
        + (f", nghỉ ngày {vn_date(p.left_on)}" if p.left_on else "")
        + "</p><h2>Đơn vị công tác qua các thời kỳ</h2>"
        + _table("units", ["Đơn vị", "Từ ngày", "Đến ngày"], units)
        + _titles(p.titles, with_kinds=False)
        + _chains(p.chains)
        + _ratings(p.ratings)
        + _registrations(p.registrations)
        + _initiatives(p.initiatives)
        + _discipline(p.discipline)
    )


def unit_html_body(u: UnitPage) -> str:
    members = [
        [_link(person_path(m.person_id), m.full_name), vn_date(m.since), vn_date(m.until) or "nay"]
        for m in u.members
    ]
    names = {m.person_id: m.full_name for m in u.members}
    rollup = "/don-vi/" + quote(u.unit_id, safe="/")
    return (
        f'<nav class="crumbs"><a href="/">Trang chủ</a> &rsaquo; <a href="{SEARCH_PATH}">'
        "Tra cứu</a></nav>"
        f'<h1 id="unit" data-id="{escape(u.unit_id)}">{escape(u.name)}</h1>'
        f'<p class="note">{_place(u.department, u.province)} · thành lập ngày'
        f" {vn_date(u.established_on)}"
        + (f", kết thúc ngày {vn_date(u.ended_on)}" if u.ended_on else "")
        + f" · {_link(rollup, 'Số liệu tổng hợp của đơn vị')}</p>"
        + "<h2>Cán bộ qua các thời kỳ</h2>"
        + _table("members", ["Họ tên", "Từ ngày", "Đến ngày"], members)
        + _titles(u.titles, with_kinds=True)
        + _ratings(u.ratings)
        + _registrations(u.registrations)
        + _initiatives(u.initiatives)
        + _discipline(u.discipline, names)
    )
