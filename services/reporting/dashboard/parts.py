"""The parts of the dashboard's pages (pure HTML): tables, key figures, charts, the filters,
the download links, a scope's lineage and the list of provinces and ministries.

Apart from the pages that assemble them: each part is a function of the figures alone (no
reads), so it is tested on its own and shared by the pages without their routes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape
from typing import Any

from services.reporting import exports, queries
from services.reporting.charts import TargetBar, attainment_chart, grouped_bars
from services.reporting.dashboard.layout import page_url, scope_link
from services.reporting.lifecycle import in_running_text
from services.reporting.presentation import (
    COMPARATOR_SIGNS,
    SCOPE_SLUGS,
    Cell,
    KeyFigure,
    Table,
    figure_group,
    lineage_lines,
    period_totals,
    vn_date,
    vn_number,
)
from services.reporting.queries import Rollup

FORMS = ("0601.N", "0602.N", "0603.N")


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


def figure_cards(figures: Sequence[KeyFigure]) -> str:
    """The key figures as cards, under the heading of their group."""
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


def charts_section(r: Rollup) -> str:
    """Attainment against the targets and the figures by half-year (or phase), as charts;
    empty without either."""
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


def predecessors_box(r: Rollup) -> str:
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


def lineage_notes(r: Rollup, year: int) -> str:
    """The scope's successor (with a link) or the former organisations included."""
    out = ""
    if r.merged_into is not None:
        m = r.merged_into
        text = f"Xem {in_running_text(m.kind, m.name)}"
        link = scope_link(m.kind, m.id, text, 'id="successor-link"', nam=year)
        basis = f" theo {escape(m.legal_basis)}" if m.legal_basis else ""
        out += (
            f'<p class="note merged" id="merged-into" data-successor="{escape(m.id)}">'
            f"{escape(r.scope.label)} {escape(r.scope.name)} {escape(m.label)}{basis}. {link}</p>"
        )
    if r.with_predecessors and r.predecessors:
        line = lineage_lines(r)[-1]
        out += f'<p class="note" id="predecessors-included">{escape(line)}</p>'
    return out


def filters_form(
    path: str,
    year: int,
    years: Sequence[int],
    as_of: date | None,
    campaign: str | None,
    campaigns: Sequence[queries.Choice],
    predecessors: str = "",
) -> str:
    """The filters of a scope's page: year, as-of date, campaign (and predecessors)."""
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


def download_links(kind: str, scope_id: str, r: Rollup) -> str:
    """The page's tables as XLSX and CSV; a province's or a ministry's statutory forms too."""
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
        href = page_url("/tai-ve/tong-hop", **params, **{"dinh-dang": fmt})
        links.append(f'<a id="download-{fmt}" href="{escape(href)}" download>{label}</a>')
    out = f'<div class="downloads">Tải số liệu: {"".join(links)}</div>'
    if kind in ("province", "ministry"):
        forms = []
        for form in FORMS:
            fmts = " ".join(
                f'<a id="form-{form[:4]}-{fmt}" href="'
                + escape(
                    page_url(
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
        html = scope_link(kind, code, str(item["name"]), attr, nam=year)
        if item.get("note"):
            html += f' <span class="note">({escape(str(item["note"]))})</span>'
        formers = []
        for former in item["formers"]:
            fid = str(former["id"])
            fattr = f'data-drill="{kind}" data-id="{escape(fid)}" data-former-of="{escape(code)}"'
            link = scope_link(kind, fid, str(former["name"]), fattr, nam=year)
            formers.append(
                f'<li>{link} <span class="note">({escape(str(former["note"]))})</span></li>'
            )
        if formers:
            html += f'<ul class="formers" data-successor="{escape(code)}">{"".join(formers)}</ul>'
        out.append(f"<li>{html}</li>")
    return "".join(out)
