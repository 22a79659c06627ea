"""The dashboard's page around a body, and the addresses of its scope pages.

Apart from the pages and their parts because every server-rendered page of the service wears
this shell: the audit trail, the review reports, the decisions, the funds and the search are
given ``page_html`` (``api.py``), and the parts and the pages link to scopes by these paths.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote, urlencode

from services.reporting.presentation import SCOPE_SLUGS

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


def page_url(path: str, **params: object) -> str:
    """``path`` with the parameters that have a value as its query."""
    query = urlencode({k: str(v) for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def scope_path(kind: str, scope_id: str) -> str:
    """``/tinh/gia-lai``: the page of a scope."""
    return f"/{SCOPE_SLUGS[kind]}/{quote(scope_id, safe='/')}"


def scope_link(kind: str, scope_id: str, text: str, attr: str, **params: object) -> str:
    """A link to the page of a scope, with ``attr`` (the ``data-`` attributes tests follow)."""
    href = page_url(scope_path(kind, scope_id), **params)
    return f'<a {attr} href="{escape(href)}">{escape(text)}</a>'


def page_html(title: str, body: str) -> str:
    """The dashboard's page around a body (the audit pages use it too)."""
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        '<header><a href="/">Thi đua &ndash; Khen thưởng</a><span>Báo cáo tổng hợp</span></header>'
        f"<main>{body}</main></body></html>"
    )
