"""Inline SVG charts (pure): no script, no network, readable when printed.

- ``attainment_chart``: one bar per emulation target, the actual value against a tick at the
  target (green when met, orange when not), each row on its own scale (% or a count).
- ``grouped_bars``: periods (half-years or phases) by series (registrations, dossiers, awards).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from services.reporting.presentation import vn_number

FONT = "font-family=\"'DejaVu Sans', Arial, sans-serif\""
MET, NOT_MET, UNKNOWN, TARGET = "#2e7d32", "#ef6c00", "#9e9e9e", "#263238"
SERIES_COLOURS = ("#1565c0", "#8e24aa", "#c62828", "#00897b")


@dataclass(frozen=True)
class TargetBar:
    label: str
    actual: Decimal | None
    target: Decimal
    percent: bool
    met: bool | None
    comparator_sign: str


def attainment_chart(bars: Sequence[TargetBar], *, title: str) -> str:
    if not bars:
        return ""
    width, label_w, row_h, top = 720, 200, 38, 30
    track = width - label_w - 200
    height = top + row_h * len(bars) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' role="img" aria-label="{escape(title)}" data-chart="attainment" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for n, bar in enumerate(bars):
        y = top + n * row_h
        actual = bar.actual or Decimal(0)
        scale = (
            max(Decimal(100), bar.target, actual)
            if bar.percent
            else max(bar.target, actual, Decimal(1)) * Decimal("1.25")
        )
        colour = UNKNOWN if bar.met is None else MET if bar.met else NOT_MET
        w = float(actual / scale) * track
        tx = label_w + float(bar.target / scale) * track
        unit = "%" if bar.percent else ""
        shown = "\u2013" if bar.actual is None else f"{vn_number(bar.actual.normalize())}{unit}"
        goal = f"{bar.comparator_sign} {vn_number(bar.target.normalize())}{unit}"
        parts += [
            f'<text x="0" y="{y + 20}" font-size="12">{escape(bar.label[:34])}</text>',
            f'<rect x="{label_w}" y="{y + 6}" width="{track}" height="20" fill="#eceff1"/>',
            f'<rect x="{label_w}" y="{y + 6}" width="{w:.1f}" height="20" fill="{colour}"/>',
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{y + 2}" y2="{y + 30}" stroke="{TARGET}"'
            ' stroke-width="3"/>',
            f'<text x="{label_w + track + 8}" y="{y + 20}" font-size="12">'
            f"{escape(shown)} / chỉ tiêu {escape(goal)}</text>",
        ]
    legend_y = top + row_h * len(bars) + 14
    parts += [
        f'<rect x="{label_w}" y="{legend_y - 9}" width="12" height="10" fill="{MET}"/>',
        f'<text x="{label_w + 16}" y="{legend_y}" font-size="11">Đạt</text>',
        f'<rect x="{label_w + 60}" y="{legend_y - 9}" width="12" height="10" fill="{NOT_MET}"/>',
        f'<text x="{label_w + 76}" y="{legend_y}" font-size="11">Chưa đạt</text>',
        f'<line x1="{label_w + 150}" x2="{label_w + 150}" y1="{legend_y - 10}" y2="{legend_y + 2}"'
        f' stroke="{TARGET}" stroke-width="3"/>',
        f'<text x="{label_w + 158}" y="{legend_y}" font-size="11">Chỉ tiêu</text>',
        "</svg>",
    ]
    return "".join(parts)


def _nice_step(top: int) -> int:
    if top <= 5:
        return 1
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    return int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    chart_id: str,
) -> str:
    """Vertical bars: one group per category, one bar per series (values ≥ 0)."""
    if not categories:
        return ""
    width, height, left, top, bottom = 720, 280, 56, 34, 56
    plot_w, plot_h = width - left - 16, height - top - bottom
    highest = max([1, *(v for _, values in series for v in values)])
    step = _nice_step(highest)
    scale_top = step * math.ceil(highest / step)
    group_w = plot_w / len(categories)
    bar_w = min(48.0, group_w * 0.8 / max(len(series), 1))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%"'
        f' role="img" aria-label="{escape(title)}" data-chart="{escape(chart_id)}" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for tick in range(0, scale_top + 1, step):
        y = top + plot_h - plot_h * tick / scale_top
        parts += [
            f'<line x1="{left}" x2="{width - 16}" y1="{y:.1f}" y2="{y:.1f}" stroke="#cfd8dc"/>',
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{vn_number(tick)}</text>",
        ]
    for c, category in enumerate(categories):
        x0 = left + c * group_w + (group_w - bar_w * len(series)) / 2
        for s, (_, values) in enumerate(series):
            value = values[c]
            h = plot_h * value / scale_top
            x = x0 + s * bar_w
            colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
            parts += [
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 4:.1f}"'
                f' height="{h:.1f}" fill="{colour}"/>',
                f'<text x="{x + (bar_w - 4) / 2:.1f}" y="{top + plot_h - h - 4:.1f}"'
                f' font-size="11" text-anchor="middle">{vn_number(value)}</text>',
            ]
        parts.append(
            f'<text x="{left + c * group_w + group_w / 2:.1f}" y="{top + plot_h + 18}"'
            f' font-size="12" text-anchor="middle">{escape(category)}</text>'
        )
    lx = left
    for s, (name, _) in enumerate(series):
        colour = SERIES_COLOURS[s % len(SERIES_COLOURS)]
        parts += [
            f'<rect x="{lx}" y="{height - 18}" width="12" height="10" fill="{colour}"/>',
            f'<text x="{lx + 16}" y="{height - 9}" font-size="11">{escape(name)}</text>',
        ]
        lx += 28 + 7 * len(name)
    parts.append("</svg>")
    return "".join(parts)
