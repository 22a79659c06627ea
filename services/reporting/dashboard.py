"""The board's dashboard (bảng điều khiển), server-rendered Vietnamese HTML, and the downloads.

Pages: ``/`` (choose a province or a ministry and a year), ``/tinh/{id}``, ``/bo/{id}``,
drill-down ``/so/{department}`` and ``/don-vi/{unit}`` (with the events behind its figures);
each takes ``nam`` (year), ``den-ngay`` (as of, dd/mm/yyyy) and ``phong-trao`` (one campaign:
phases instead of half-years). Downloads: ``/tai-ve/tong-hop`` (XLSX or CSV of a page's
tables) and ``/tai-ve/bieu-mau`` (forms 0601.N-0603.N as PDF, XLSX or CSV).

Every value is escaped on output; charts are inline SVG (no script, no network). Figures carry
``data-figure`` / ``data-value`` attributes and links ``data-drill`` for machines and tests.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from datetime import date
from html import escape
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.reporting import exports, queries
from services.reporting.audit.links import audit_link, search_form
from services.reporting.charts import TargetBar, attainment_chart, grouped_bars
from services.reporting.documents.decisions import decisions_section
from services.reporting.documents.routes import review_section
from services.reporting.funds import funds_section
from services.reporting.lifecycle import in_running_text
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
    COMPARATOR_SIGNS,
    SCOPE_SLUGS,
    SLUG_SCOPES,
    Cell,
    KeyFigure,
    Table,
    facts_table,
    figure_group,
    form_table,
    heading,
    key_figures,
    lineage_lines,
    period_totals,
    rollup_tables,
    vn_date,
    vn_number,
)
from services.reporting.queries import Rollup
from services.reporting.reader import ModelReader
from services.reporting.search.routes import search_box, search_section
from thidua.auth import Principal
from thidua.auth import web as auth
from thidua.es import webapi
from thidua.es.db import Conn

Snapshot = Callable[[], AbstractAsyncContextManager[Conn]]
PAGE = webapi.documented(404)
ScopeSlug = Literal["tinh", "bo", "so", "don-vi"]
FORMS = ("0601.N", "0602.N", "0603.N")


def downloads(*formats: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` of a download in these formats (or a 404: no such scope)."""
    types = {exports.MEDIA_TYPES[f].split(";")[0] for f in formats}
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {
        **webapi.documented(404),
        200: {"description": "Tệp tải về.", "content": {t: binary for t in sorted(types)}},
    }


STYLE = """
body{font-family:'DejaVu Sans',Arial,sans-serif;margin:0;color:#212121;background:#f5f7fa}
header{background:#b71c1c;color:#fff;padding:10px 24px;display:flex;gap:16px;align-items:baseline}
header a{color:#fff;text-decoration:none;font-weight:bold;font-size:18px}
main{max-width:1180px;margin:0 auto;padding:8px 24px 40px}
nav.crumbs{font-size:13px;margin:10px 0}nav.crumbs a{color:#0d47a1}
h1{font-size:22px;margin:8px 0}h2{font-size:17px;margin:26px 0 8px;color:#b71c1c}
form.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:end;background:#fff;padding:10px;
border:1px solid #dde3ea;border-radius:6px}
form.filters label{display:flex;flex-direction:column;font-size:12px;gap:2px}
form.filters label.check{flex-direction:row;align-items:center;gap:6px;font-size:13px}
p.merged{background:#fff8e1;border:1px solid #ffe082;padding:6px 10px;border-radius:4px}
form.filters select,form.filters input{padding:4px;font-size:14px}
.note{font-size:13px;color:#455a64}.downloads{font-size:14px;margin:8px 0}
.downloads a{margin-right:10px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:10px}
.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:8px 10px}
.card .label{font-size:12px;color:#546e7a}.card .value{font-size:22px;font-weight:bold}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:14px}
h3{font-size:14px;margin:14px 0 6px;color:#37474f}
.chart{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:10px}
table{border-collapse:collapse;background:#fff;width:100%;font-size:13px}
th,td{border:1px solid #cfd8dc;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#e3eaf2}td.num{text-align:right;white-space:nowrap}
.met{color:#2e7d32;font-weight:bold}.unmet{color:#ef6c00;font-weight:bold}
ul.choices{columns:2;font-size:15px}ul.choices li{margin:4px 0}ul.choices>li{break-inside:avoid}
ul.formers{margin:2px 0 6px;padding-left:22px;font-size:14px}
"""


def _url(path: str, **params: object) -> str:
    query = urlencode({k: str(v) for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def _scope_path(kind: str, scope_id: str) -> str:
    return f"/{SCOPE_SLUGS[kind]}/{quote(scope_id, safe='/')}"


def _link(kind: str, scope_id: str, text: str, attr: str, **params: object) -> str:
    href = _url(_scope_path(kind, scope_id), **params)
    return f'<a {attr} href="{escape(href)}">{escape(text)}</a>'


def _page_html(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        '<header><a href="/">Thi đua &ndash; Khen thưởng</a><span>Báo cáo tổng hợp</span></header>'
        f"<main>{body}</main></body></html>"
    )


page_html = _page_html
"""The dashboard's page around a body (the audit pages use it too)."""


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(_page_html(title, body))


def _cell(value: Cell) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return f"<td>{escape('' if value is None else str(value))}</td>"
    shown = vn_number(value) if isinstance(value, int) else vn_number(value, 2)
    return f'<td class="num" data-value="{value}">{shown}</td>'


def html_table(table: Table, *, links: dict[int, Callable[[list[Cell]], str]] | None = None) -> str:
    """A table; ``links`` maps a column to the link of each row's cell in it."""
    head = "".join(f"<th>{escape(c)}</th>" for c in table.columns)
    rows = []
    for row in table.rows:
        cells = []
        for n, value in enumerate(row):
            if links and n in links and value is not None:
                cells.append(f"<td>{links[n](row)}</td>")
            else:
                cells.append(_cell(value))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    if not rows:
        rows = [f'<tr><td colspan="{len(table.columns)}">Chưa có số liệu.</td></tr>']
    return (
        f'<h2>{escape(table.title)}</h2><table data-table="{escape(exports.slug(table.sheet))}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _cards(figures: Sequence[KeyFigure]) -> str:
    groups: dict[str, list[str]] = {}
    for k in figures:
        groups.setdefault(figure_group(k.code), []).append(
            f'<div class="card"><div class="label">{escape(k.label)}</div>'
            f'<div class="value" data-figure="{escape(k.code)}"'
            f' data-value="{"" if k.value is None else k.value}">{escape(k.text)}</div></div>'
        )
    return (
        '<div id="key-figures">'
        + "".join(
            f'<h3>{escape(name)}</h3><section class="cards">{"".join(cards)}</section>'
            for name, cards in groups.items()
        )
        + "</div>"
    )


def _charts(r: Rollup) -> str:
    several = len({x.campaign_id for x in r.attainment}) > 1
    names = {c.id: c.name for c in r.children}
    bars = [
        TargetBar(
            f"{a.label} ({names.get(a.department_code, a.department_code)})"
            if several
            else a.label,
            a.actual,
            a.target,
            a.measure != "count",
            a.met,
            COMPARATOR_SIGNS.get(a.comparator, a.comparator),
        )
        for a in r.attainment
    ]
    charts = []
    if bars:
        charts.append(attainment_chart(bars, title="Thực hiện so với chỉ tiêu thi đua"))
    periods = period_totals(r)
    if periods:
        charts.append(
            grouped_bars(
                [p[0] for p in periods],
                [
                    ("Đăng ký thi đua", [p[1] for p in periods]),
                    ("Hồ sơ đề nghị", [p[2] for p in periods]),
                    ("Khen thưởng", [p[3] for p in periods]),
                ],
                title="Diễn biến theo đợt" if r.campaign_id else "Diễn biến theo 6 tháng",
                chart_id="periods",
            )
        )
    if not charts:
        return ""
    inner = "".join(f'<div class="chart">{c}</div>' for c in charts)
    return f'<h2>Biểu đồ</h2><section class="charts">{inner}</section>'


PREDECESSOR_LABELS = {
    "province": "Gồm cả tỉnh cũ đã hợp nhất",
    "ministry": "Gồm cả Bộ cũ đã hợp nhất",
    "department": "Gồm cả Sở cũ đã hợp nhất",
}
"""The checkbox of a report with its predecessors (issue 16), by kind of scope."""


def _predecessors_box(r: Rollup) -> str:
    """The checkbox "Gồm cả tỉnh cũ đã hợp nhất (Bạc Liêu)", for a scope with predecessors."""
    if not r.predecessors or r.scope.kind not in PREDECESSOR_LABELS:
        return ""
    names = ", ".join(f.name for f in r.predecessors)
    checked = " checked" if r.with_predecessors else ""
    return (
        '<label class="check"><input type="checkbox" id="with-predecessors"'
        f' name="gom-tien-than" value="true"{checked}>'
        f" {escape(PREDECESSOR_LABELS[r.scope.kind])} ({escape(names)})</label>"
    )


def _lineage_notes(r: Rollup, year: int) -> str:
    """The scope's successor (with a link) or the former organisations included."""
    out = ""
    if r.merged_into is not None:
        m = r.merged_into
        text = f"Xem {in_running_text(m.kind, m.name)}"
        link = _link(m.kind, m.id, text, 'id="successor-link"', nam=year)
        basis = f" theo {escape(m.legal_basis)}" if m.legal_basis else ""
        out += (
            f'<p class="note merged" id="merged-into" data-successor="{escape(m.id)}">'
            f"{escape(r.scope.label)} {escape(r.scope.name)} {escape(m.label)}{basis}. {link}</p>"
        )
    if r.with_predecessors and r.predecessors:
        line = lineage_lines(r)[-1]
        out += f'<p class="note" id="predecessors-included">{escape(line)}</p>'
    return out


def _filters(
    path: str,
    year: int,
    years: Sequence[int],
    as_of: date | None,
    campaign: str | None,
    campaigns: Sequence[queries.Choice],
    predecessors: str = "",
) -> str:
    year_options = "".join(
        f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>'
        for y in sorted({*years, year}, reverse=True)
    )
    campaign_options = '<option value="">Tất cả phong trào</option>' + "".join(
        f'<option value="{escape(c.id)}"{" selected" if c.id == campaign else ""}>'
        f"{escape(c.name)}</option>"
        for c in campaigns
    )
    return (
        f'<form class="filters" method="get" action="{escape(path)}">'
        f'<label>Năm<select name="nam">{year_options}</select></label>'
        '<label>Tính đến ngày (dd/mm/yyyy)<input name="den-ngay" placeholder="dd/mm/yyyy"'
        f' value="{escape(vn_date(as_of))}" size="11"></label>'
        f'<label>Phong trào<select name="phong-trao">{campaign_options}</select></label>'
        f"{predecessors}<button type=submit>Xem số liệu</button></form>"
    )


def _downloads(kind: str, scope_id: str, r: Rollup) -> str:
    params = {
        "cap": SCOPE_SLUGS[kind],
        "ma": scope_id,
        "nam": r.year,
        "den-ngay": vn_date(r.as_of),
        "phong-trao": r.campaign_id,
        "gom-tien-than": "true" if r.with_predecessors else None,
    }
    links = []
    for fmt, label in (("xlsx", "Excel (XLSX)"), ("csv", "CSV")):
        href = _url("/tai-ve/tong-hop", **params, **{"dinh-dang": fmt})
        links.append(f'<a id="download-{fmt}" href="{escape(href)}" download>{label}</a>')
    out = f'<div class="downloads">Tải số liệu: {"".join(links)}</div>'
    if kind in ("province", "ministry"):
        forms = []
        for form in FORMS:
            fmts = " ".join(
                f'<a id="form-{form[:4]}-{fmt}" href="'
                + escape(
                    _url(
                        "/tai-ve/bieu-mau",
                        bieu=form,
                        cap=SCOPE_SLUGS[kind],
                        ma=scope_id,
                        nam=r.year,
                        **{"den-ngay": vn_date(r.as_of), "dinh-dang": fmt},
                        **{"gom-tien-than": "true" if r.with_predecessors else None},
                    )
                )
                + f'" download>{fmt.upper()}</a>'
                for fmt in ("pdf", "xlsx", "csv")
            )
            forms.append(f"Biểu {form}: {fmts}")
        out += f'<div class="downloads">Biểu mẫu TT 02/2023/TT-BNV — {" · ".join(forms)}</div>'
    return out


def org_items(kind: str, listed: Sequence[dict[str, Any]], year: int) -> str:
    """Today's provinces (or ministries), each with the former ones merged into it beneath it
    (still linked: their pages keep working)."""
    out = []
    for item in listed:
        code = str(item["id"])
        attr = f'data-drill="{kind}" data-id="{escape(code)}"'
        html = _link(kind, code, str(item["name"]), attr, nam=year)
        if item.get("note"):
            html += f' <span class="note">({escape(str(item["note"]))})</span>'
        formers = []
        for former in item["formers"]:
            fid = str(former["id"])
            fattr = f'data-drill="{kind}" data-id="{escape(fid)}" data-former-of="{escape(code)}"'
            link = _link(kind, fid, str(former["name"]), fattr, nam=year)
            formers.append(
                f'<li>{link} <span class="note">({escape(str(former["note"]))})</span></li>'
            )
        if formers:
            html += f'<ul class="formers" data-successor="{escape(code)}">{"".join(formers)}</ul>'
        out.append(f"<li>{html}</li>")
    return "".join(out)


async def _year(conn: Conn, year: int | None) -> tuple[int, list[int]]:
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


def create_dashboard(reader: ModelReader) -> APIRouter:
    """The dashboard's routes, reading one consistent model per request through ``reader``;
    the scope pages are kept per model version."""
    router = APIRouter(tags=["dashboard"])
    snapshot: Snapshot = reader.snapshot

    @router.get("/", response_class=HTMLResponse, summary="Trang chủ: chọn tỉnh hoặc Bộ")
    async def home(who: auth.PageReader, nam: YearParam = None) -> HTMLResponse:
        async with snapshot() as conn:
            year, years = await _year(conn, nam)
            listed = {
                kind: readable_orgs(
                    [c.model_dump(mode="json") for c in await queries.org_list(conn, kind)],
                    kind,
                    who,
                )
                for kind in ("province", "ministry")
            }
        year_options = "".join(
            f'<option value="{y}"{" selected" if y == year else ""}>{y}</option>'
            for y in sorted({*years, year}, reverse=True)
        )

        def select(kind: str) -> str:
            options = "".join(
                f'<option value="{escape(c["id"])}">{escape(c["name"])}</option>'
                for c in listed[kind]
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
            link = _link("department", who.department, f"Sở {who.department}", attr, nam=year)
            body += f'<h2>Sở của tôi</h2><ul class="choices" id="departments"><li>{link}</li></ul>'

        return _page("Báo cáo tổng hợp thi đua, khen thưởng", body)

    @router.get("/chon", include_in_schema=False)
    async def choose(
        who: auth.PageReader, cap: Literal["tinh", "bo"], ma: ScopeId, nam: YearParam = None
    ) -> RedirectResponse:
        return RedirectResponse(_url(_scope_path(SLUG_SCOPES[cap], ma), nam=nam), status_code=303)

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
            year, years = await _year(conn, nam)
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
                    _link("province", line.province_id, name, 'data-up="province"', nam=year)
                )
            if line.ministry_id:
                name = line.ministry_name or line.ministry_id
                crumbs.append(
                    _link("ministry", line.ministry_id, name, 'data-up="ministry"', nam=year)
                )
            if kind == "unit" and line.department_code:
                name = line.department_name or line.department_code
                code = line.department_code
                crumbs.append(_link("department", code, name, 'data-up="department"', nam=year))
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
                        _url(
                            _scope_path(child_kind, str(row[0])),
                            nam=year,
                            **{"den-ngay": vn_date(as_of), "phong-trao": campaign},
                        )
                    )
                    + f'">{escape(str(row[1]))}</a>'
                )
            }
            sections = "".join(
                html_table(t, links=links if t.sheet in ("Đơn vị", "Sở") else None)
                for t in tables[1:]
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
                + _lineage_notes(r, year)
                + _filters(
                    _scope_path(kind, scope_id),
                    year,
                    years,
                    as_of,
                    campaign,
                    campaigns,
                    _predecessors_box(r),
                )
                + f'<p class="note">{escape(state)}</p>'
                + _downloads(kind, scope_id, r)
                + review_section(kind, campaigns)
                + decisions_section(kind, scope_id, year)
                + funds_section(kind, scope_id, year)
                + search_section(kind, scope_id)
                + _cards(key_figures(r))
                + _charts(r)
                + sections
            )
            return _page_html(f"{title} — năm {year}", body).encode()

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
