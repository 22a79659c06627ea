"""The dashboard's pages (server-rendered Vietnamese HTML): the home page (choose a province or
a ministry and a year) and the page of a scope, with what they read of the model.

Apart from the routes: a page is a function of one snapshot (the caller's connection) and the
request's parameters, so the routes keep only what HTTP adds (the principal's checks, the
cache per model version, the response).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from services.reporting import queries
from services.reporting.audit.links import audit_link, search_form
from services.reporting.dashboard.layout import page_html, page_url, scope_link, scope_path
from services.reporting.dashboard.parts import (
    charts_section,
    download_links,
    figure_cards,
    filters_form,
    html_table,
    lineage_notes,
    org_items,
    predecessors_box,
)
from services.reporting.documents.decisions import decisions_section
from services.reporting.documents.routes import review_section
from services.reporting.funds import funds_section
from services.reporting.presentation import (
    SCOPE_SLUGS,
    Cell,
    facts_table,
    key_figures,
    rollup_tables,
    vn_date,
)
from services.reporting.queries import Rollup
from services.reporting.search.routes import search_box, search_section
from thidua.auth import Principal
from thidua.es.db import Conn


async def page_year(conn: Conn, year: int | None) -> tuple[int, list[int]]:
    """The year a page shows (without one, the newest year with a campaign, else this year)
    and the years it offers."""
    years = await queries.campaign_years(conn)
    return (year or (years[0] if years else date.today().year)), years


async def scope_rollup(
    conn: Conn,
    kind: str,
    scope_id: str,
    year: int,
    as_of: date | None,
    campaign: str | None,
    with_predecessors: bool = False,
) -> Rollup:
    """The rollup a page, a download or the API shows (a unit has no predecessors)."""
    return await queries.rollup(
        conn,
        kind,
        scope_id,
        year,
        as_of=as_of,
        campaign_id=campaign,
        with_predecessors=with_predecessors and kind != "unit",
    )


def home_html(
    who: Principal, year: int, years: Sequence[int], listed: Mapping[str, list[dict[str, Any]]]
) -> str:
    """The home page: the provinces and ministries ``who`` may read (``listed`` by kind), the
    search, and their own department."""
    year_options = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>'
        for y in sorted({*years, year}, reverse=True)
    )

    def select(kind: str) -> str:
        options = "".join(
            f'<option value="{escape(c["id"])}">{escape(c["name"])}</option>' for c in listed[kind]
        )
        return (
            f'<form class="filters" method="get" action="/chon">'
            f'<input type="hidden" name="cap" value="{SCOPE_SLUGS[kind]}">'
            f"<label>{'Tỉnh' if kind == 'province' else 'Bộ, ngành'}"
            f'<select name="ma">{options}</select></label>'
            f'<label>Năm<select name="nam">{year_options}</select></label>'
            "<button type=submit>Xem báo cáo</button></form>"
        )

    body = (
        "<h1>Báo cáo tổng hợp thi đua, khen thưởng</h1>"
        f'<p class="note" id="who">Đăng nhập: {escape(who.describe())} ·'
        ' <a id="logout" href="/auth/logout">Đăng xuất</a></p>'
        '<p class="note">Chọn tỉnh (theo lãnh thổ) hoặc Bộ, ngành (theo ngành dọc) và năm.'
        " Số liệu được cập nhật liên tục từ các sự kiện đăng ký và khen thưởng.</p>"
    )
    body += f"<h2>Tra cứu cá nhân, đơn vị</h2>{search_box()}"
    body += f"<h2>Nhật ký theo đối tượng</h2>{search_form()}"
    for kind, heading_text, list_id in (
        ("province", "Theo tỉnh", "provinces"),
        ("ministry", "Theo Bộ, ngành", "ministries"),
    ):
        if listed[kind]:
            items = org_items(kind, listed[kind], year)
            body += (
                f"<h2>{heading_text}</h2>{select(kind)}"
                f'<ul class="choices" id="{list_id}">{items}</ul>'
            )
    if who.department:
        attr = f'data-drill="department" data-id="{escape(who.department)}"'
        link = scope_link("department", who.department, f"Sở {who.department}", attr, nam=year)
        body += f'<h2>Sở của tôi</h2><ul class="choices" id="departments"><li>{link}</li></ul>'

    return page_html("Báo cáo tổng hợp thi đua, khen thưởng", body)


async def scope_page_html(
    conn: Conn,
    kind: str,
    scope_id: str,
    nam: int | None,
    as_of: date | None,
    campaign: str | None,
    with_predecessors: bool = False,
) -> bytes:
    """The page of a province, a ministry, a department or a unit (with the events behind a
    unit's figures), as the cache keeps it."""
    year, years = await page_year(conn, nam)
    r = await scope_rollup(conn, kind, scope_id, year, as_of, campaign, with_predecessors)
    campaigns = await queries.campaigns_in(conn, kind, scope_id, year)
    line = await queries.lineage(conn, kind, scope_id)
    facts = (
        await queries.facts_behind(conn, "unit", scope_id, year, as_of=as_of)
        if kind == "unit"
        else []
    )
    crumbs = ['<a href="/">Trang chủ</a>']
    if line.province_id:
        name = f"Tỉnh {line.province_name or line.province_id}"
        crumbs.append(
            scope_link("province", line.province_id, name, 'data-up="province"', nam=year)
        )
    if line.ministry_id:
        name = line.ministry_name or line.ministry_id
        crumbs.append(
            scope_link("ministry", line.ministry_id, name, 'data-up="ministry"', nam=year)
        )
    if kind == "unit" and line.department_code:
        name = line.department_name or line.department_code
        code = line.department_code
        crumbs.append(scope_link("department", code, name, 'data-up="department"', nam=year))
    title = f"{r.scope.label} {r.scope.name}" if kind in ("province",) else r.scope.name
    state = (
        f"Số liệu tính đến ngày {vn_date(as_of)}" if as_of else "Số liệu hiện tại"
    ) + f"; biên chế tính đến ngày {vn_date(r.reference_date)}."
    tables = rollup_tables(r, {c.id: c.name for c in campaigns})
    child_kind = "unit" if kind == "department" else "department"
    links: dict[int, Callable[[list[Cell]], str]] = {
        1: lambda row: (
            f'<a data-drill="{child_kind}" data-id="{escape(str(row[0]))}" href="'
            + escape(
                page_url(
                    scope_path(child_kind, str(row[0])),
                    nam=year,
                    **{"den-ngay": vn_date(as_of), "phong-trao": campaign},
                )
            )
            + f'">{escape(str(row[1]))}</a>'
        )
    }
    sections = "".join(
        html_table(t, links=links if t.sheet in ("Đơn vị", "Sở") else None) for t in tables[1:]
    )
    if kind == "unit":
        sections += f'<p class="note">{audit_link("unit", scope_id)}</p>'
        sections += html_table(
            facts_table(facts),
            links={5: lambda row: audit_link("event", str(row[5]), str(row[5]))},
        )
    body = (
        f'<nav class="crumbs">{" &rsaquo; ".join(crumbs)}</nav>'
        f'<h1 id="scope-title" data-scope-kind="{kind}" data-scope-id="{escape(scope_id)}"'
        f' data-year="{year}">{escape(title)} — năm {year}</h1>'
        + lineage_notes(r, year)
        + filters_form(
            scope_path(kind, scope_id),
            year,
            years,
            as_of,
            campaign,
            campaigns,
            predecessors_box(r),
        )
        + f'<p class="note">{escape(state)}</p>'
        + download_links(kind, scope_id, r)
        + review_section(kind, campaigns)
        + decisions_section(kind, scope_id, year)
        + funds_section(kind, scope_id, year)
        + search_section(kind, scope_id)
        + figure_cards(key_figures(r))
        + charts_section(r)
        + sections
    )
    return page_html(f"{title} — năm {year}", body).encode()
