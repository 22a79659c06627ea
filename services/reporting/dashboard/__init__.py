"""The board's dashboard (bảng điều khiển), server-rendered Vietnamese HTML, and the downloads.

- ``layout.py``: the page around a body (style, header) and the addresses of scope pages,
  shared with every other page of the service (audit, reports, decisions, funds, search);
- ``parts.py`` (pure): tables, key figures, charts, filters, download links, lineage notes;
- ``pages.py``: the home page and a scope's page, from one snapshot of the model;
- ``routes.py``: ``create_dashboard``, the pages' routes and the downloads (XLSX, CSV, PDF).

Every value is escaped on output; charts are inline SVG (no script, no network). Figures carry
``data-figure`` / ``data-value`` attributes and links ``data-drill`` for machines and tests.
"""
