"""The tables of a review report (pure): its figures by phase, the economic and the emulation
targets against what was done, the initiatives by kind and level, and the awards (summed by
title, then each by name), as the text printed in each cell.

Apart from the report's sections (``review.py``): each table is a function of the model's
figures alone, and the sections only decide where (and whether) one stands.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from services.reporting.documents.document import Grid
from services.reporting.documents.review_data import (
    NO_DATA,
    TALLY_ROWS,
    AwardLine,
    EconomicLine,
    Tally,
)
from services.reporting.forms import TITLE_LABELS
from services.reporting.presentation import (
    BASIS_LABELS,
    COMPARATOR_SIGNS,
    INITIATIVE_LABELS,
    INITIATIVE_LEVELS,
    vn_date,
    vn_number,
    vn_percent,
)
from services.reporting.queries import AttainmentRow, Rollup


def _count(n: int) -> str:
    return vn_number(n)


def tally_grid(columns: Sequence[tuple[str, Tally]]) -> Grid:
    """The figures table: a row per count (``TALLY_ROWS``), a column per phase or total."""
    rows = tuple(
        (label, *(_count(getattr(t, name)) for _, t in columns)) for name, label in TALLY_ROWS
    )
    return Grid(
        columns=("Nội dung", *(c for c, _ in columns)),
        rows=rows,
        widths=(60, *([max(12, 40 // max(len(columns), 1))] * len(columns))),
        numeric=(False, *([True] * len(columns))),
    )


def economic_grid(lines: Sequence[EconomicLine]) -> Grid:
    """The plan's economic targets against what was reported (``NO_DATA`` until it is)."""
    rows = []
    for n, t in enumerate(lines, start=1):
        growth = "" if t.growth_percent is None else vn_percent(t.growth_percent)
        if t.growth_percent is not None and t.growth_percent > 0:
            growth = "+" + growth
        share = (
            vn_percent((t.actual * 100 / t.value).quantize(Decimal("0.01")))
            if t.actual is not None and t.value
            else ""
        )
        indicator = t.indicator + (f" ({t.note[:1].lower()}{t.note[1:]})" if t.note else "")
        grown = t.actual_growth_percent
        actual_growth = "" if grown is None else ("+" if grown > 0 else "") + vn_percent(grown)
        rows.append(
            (
                str(n),
                indicator,
                t.unit_of_measure,
                vn_number(t.value),
                growth,
                NO_DATA if t.actual is None else vn_number(t.actual),
                share,
                actual_growth,
            )
        )
    return Grid(
        columns=(
            "TT",
            "Chỉ tiêu",
            "Đơn vị tính",
            "Kế hoạch",
            "So với năm trước",
            "Thực hiện",
            "Tỷ lệ so với kế hoạch",
            "Thực hiện so với năm trước",
        ),
        rows=tuple(rows),
        widths=(6, 34, 11, 12, 12, 13, 12, 12),
        numeric=(False, False, False, True, True, False, True, True),
    )


def _target_text(a: AttainmentRow) -> str:
    sign = COMPARATOR_SIGNS.get(a.comparator, a.comparator)
    if a.measure == "count":
        return f"{sign} {vn_number(a.target)} {BASIS_LABELS.get(a.basis, a.basis)}"
    return f"{sign} {vn_number(a.target)}{BASIS_LABELS.get(a.basis, a.basis)}"


def emulation_grid(r: Rollup, campaign_id: str) -> Grid:
    """The campaign's emulation targets (titles) against the titles decided."""
    rows = []
    for n, a in enumerate((a for a in r.attainment if a.campaign_id == campaign_id), start=1):
        if a.measure == "count":
            actual = vn_number(a.numerator)
        elif a.actual is None:
            actual = NO_DATA
        else:
            actual = f"{vn_percent(a.actual)} ({vn_number(a.numerator)}/{vn_number(a.denominator)})"
        verdict = NO_DATA if a.met is None else ("Đạt" if a.met else "Chưa đạt")
        rows.append((str(n), a.label, _target_text(a), actual, verdict))
    return Grid(
        columns=("TT", "Danh hiệu", "Chỉ tiêu", "Thực hiện", "Đánh giá"),
        rows=tuple(rows),
        widths=(6, 40, 40, 28, 16),
        numeric=(False, False, False, True, False),
    )


def initiative_grid(r: Rollup) -> Grid:
    """Initiatives by kind: submitted, recognised at each level, rejected."""
    kinds = sorted(
        {
            *r.initiatives.submitted,
            *r.initiatives.rejected,
            *(x.kind for x in r.initiatives.recognized),
        }
    )
    rows = []
    for kind in kinds:
        levels = {lv: 0 for lv in INITIATIVE_LEVELS}
        for x in r.initiatives.recognized:
            if x.kind == kind:
                levels[x.level] = levels.get(x.level, 0) + x.count
        rows.append(
            (
                INITIATIVE_LABELS.get(kind, kind),
                _count(r.initiatives.submitted.get(kind, 0)),
                *(_count(levels[lv]) for lv in INITIATIVE_LEVELS),
                _count(r.initiatives.rejected.get(kind, 0)),
            )
        )
    return Grid(
        columns=(
            "Loại sáng kiến",
            "Đăng ký",
            *(f"Công nhận {label[:1].lower()}{label[1:]}" for label in INITIATIVE_LEVELS.values()),
            "Không công nhận",
        ),
        rows=tuple(rows),
        widths=(30, 16, 18, 18, 18, 18),
        numeric=(False, True, True, True, True, True),
    )


def awards_summary(r: Rollup) -> Grid:
    """The titles decided, summed by title, with their cash."""
    rows = tuple(
        (
            t.label,
            _count(t.count),
            _count(t.individuals),
            _count(t.collectives),
            vn_number(t.cash_vnd),
        )
        for t in r.awards
    )
    return Grid(
        columns=("Danh hiệu, hình thức", "Tổng số", "Cá nhân", "Tập thể", "Tiền thưởng (đồng)"),
        rows=rows,
        widths=(50, 18, 18, 18, 30),
        numeric=(False, True, True, True, True),
    )


def award_list(awards: Sequence[AwardLine]) -> Grid:
    """Each title decided, with its holder's name, unit and decision."""
    rows = tuple(
        (
            str(n),
            a.name,
            a.unit or "",
            TITLE_LABELS.get(a.title, a.title),
            a.decision_number or "",
            vn_date(a.decided_on),
        )
        for n, a in enumerate(awards, start=1)
    )
    return Grid(
        columns=("TT", "Họ và tên / Tập thể", "Đơn vị", "Danh hiệu", "Quyết định số", "Ngày"),
        rows=rows,
        widths=(11, 36, 38, 33, 25, 21),
        numeric=(False, False, False, False, False, False),
    )
