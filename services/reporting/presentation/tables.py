"""A table as the dashboard, the XLSX and the CSV show it (pure), and the tables of a
statutory form and of the events behind a scope's figures (drill-down).

Apart from the rollup's tables (``rollup.py``): a ``Table`` is what every download writes,
and these two are built from a form and from facts, not from a rollup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.forms import Form
from services.reporting.presentation.labels import FIGURE_LABELS, event_label, key_label
from services.reporting.queries import FactRef

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


def form_table(form: Form) -> Table:
    """A statutory form as one table: its rows by its columns."""
    codes = list(form.columns)
    return Table(
        form.form,
        f"Biểu {form.form}: {form.name}",
        ["Chỉ tiêu", *form.columns.values()],
        [[row.label, *(row.values.get(c, 0) for c in codes)] for row in form.rows],
    )


PRIMARY_FIGURES = (
    "awards",
    "registrations.units",
    "registrations.individuals",
    "initiatives.submitted",
    "initiatives.recognized",
    "initiatives.rejected",
    "dossiers.returned",
    "dossiers.received",
    "campaigns.launched",
    "exemplary_models",
    "discipline",
    "nominations",
)


def facts_table(facts: Sequence[FactRef]) -> Table:
    """The events behind a scope's figures (drill-down): one line per event, with what it
    counts (its main figure: the award, the registration, ...)."""
    by_event: dict[str, list[FactRef]] = {}
    for f in facts:
        by_event.setdefault(f.event_id, []).append(f)
    rows: list[list[Cell]] = []
    for event_id, lines in by_event.items():
        main = min(
            lines,
            key=lambda f: (
                PRIMARY_FIGURES.index(f.figure) if f.figure in PRIMARY_FIGURES else 99,
                f.count < 0,
            ),
        )
        content = FIGURE_LABELS.get(main.figure, main.figure)
        if detail := key_label(main.figure, main.key):
            content = f"{content}: {detail}"
        amount = sum(f.amount for f in lines if f.figure == "awards")
        rows.append(
            [main.effective_label, event_label(main.type), content, main.count, amount, event_id]
        )
    return Table(
        "Sự kiện",
        "Các sự kiện tạo nên số liệu",
        ["Ngày hiệu lực", "Sự kiện", "Nội dung", "Số lượng", "Số tiền (đồng)", "Mã sự kiện"],
        rows,
    )
