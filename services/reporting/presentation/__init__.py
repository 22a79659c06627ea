"""What an official reads (pure): Vietnamese number and date formats, labels, and the tables of
a rollup or a form that the dashboard, the XLSX and the CSV all show, so a download holds
exactly the figures on the screen.

- ``formats.py``: numbers in the Vietnamese convention (``.`` groups thousands, ``,`` marks
  decimals: 1.234,5) and dates as dd/mm/yyyy;
- ``labels.py``: the Vietnamese labels of the model's codes and a counter key's reading;
- ``figures.py``: a rollup's key figures, titles in order and totals by period;
- ``tables.py``: ``Table``, a statutory form's table and the events behind figures;
- ``rollup.py``: a rollup's tables and the lines above a downloaded one.

The names are re-exported here: the pages, the downloads and the documents import them from
the package.
"""

from services.reporting.presentation.figures import (
    KeyFigure,
    figure_group,
    key_figures,
    ordered_awards,
    period_label,
    period_totals,
)
from services.reporting.presentation.formats import (
    NO_VALUE,
    parse_vn_date,
    vn_date,
    vn_number,
    vn_percent,
)
from services.reporting.presentation.labels import (
    AUTHORITY_LABELS,
    BASIS_LABELS,
    COMPARATOR_SIGNS,
    EVENT_LABELS,
    FIGURE_LABELS,
    INITIATIVE_LABELS,
    INITIATIVE_LEVELS,
    KIND_LABELS,
    METHOD_LABELS,
    NOMINEE_LABELS,
    SCOPE_SLUGS,
    SLUG_SCOPES,
    STATUS_LABELS,
    event_label,
    key_label,
)
from services.reporting.presentation.rollup import (
    CONFERENCE_KINDS,
    ECONOMY_COLUMNS,
    ECONOMY_TITLE,
    ORIGIN_COLUMN,
    attainment_target_text,
    board_tables,
    conference_table,
    economy_table,
    heading,
    lineage_lines,
    rollup_tables,
)
from services.reporting.presentation.tables import (
    PRIMARY_FIGURES,
    Cell,
    Table,
    facts_table,
    form_table,
)

__all__ = [
    "AUTHORITY_LABELS",
    "BASIS_LABELS",
    "COMPARATOR_SIGNS",
    "CONFERENCE_KINDS",
    "ECONOMY_COLUMNS",
    "ECONOMY_TITLE",
    "EVENT_LABELS",
    "FIGURE_LABELS",
    "INITIATIVE_LABELS",
    "INITIATIVE_LEVELS",
    "KIND_LABELS",
    "METHOD_LABELS",
    "NOMINEE_LABELS",
    "NO_VALUE",
    "ORIGIN_COLUMN",
    "PRIMARY_FIGURES",
    "SCOPE_SLUGS",
    "SLUG_SCOPES",
    "STATUS_LABELS",
    "Cell",
    "KeyFigure",
    "Table",
    "attainment_target_text",
    "board_tables",
    "conference_table",
    "economy_table",
    "event_label",
    "facts_table",
    "figure_group",
    "form_table",
    "heading",
    "key_figures",
    "key_label",
    "lineage_lines",
    "ordered_awards",
    "parse_vn_date",
    "period_label",
    "period_totals",
    "rollup_tables",
    "vn_date",
    "vn_number",
    "vn_percent",
]
