"""The headline figures of a rollup (pure): the key figures with their stable codes and
groups, the titles in the catalogue's order, and the totals by half-year or phase.

Apart from the tables: the dashboard shows these as cards and charts, and the tables
(``rollup.py``) list them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from services.reporting.forms import TITLE_LABELS
from services.reporting.presentation.formats import vn_number, vn_percent
from services.reporting.queries import Rollup, TitleAwards


@dataclass(frozen=True)
class KeyFigure:
    """One headline figure; ``code`` is stable (the dashboard's ``data-figure``, the XLSX's
    first column)."""

    code: str
    label: str
    value: int | Decimal | None
    percent: bool = False

    @property
    def text(self) -> str:
        return vn_percent(self.value) if self.percent else vn_number(self.value)  # type: ignore[arg-type]


def key_figures(r: Rollup) -> list[KeyFigure]:
    figures = [
        KeyFigure("staff", "Tổng số CBCCVCLĐ", r.staff.staff),
        KeyFigure("staff_women", "Trong đó nữ", r.staff.women),
        KeyFigure("staff_leaders", "Cán bộ lãnh đạo", r.staff.leaders),
        *(
            [KeyFigure("units", "Số phòng và đơn vị trực thuộc", r.staff.units)]
            if r.scope.kind != "unit"
            else []
        ),
        KeyFigure("registrations_units", "Tập thể đăng ký thi đua", r.registrations.units),
        KeyFigure(
            "registrations_units_on_time", "Tập thể đăng ký đúng hạn", r.registrations.units_on_time
        ),
        KeyFigure(
            "registrations_individuals", "Cá nhân đăng ký thi đua", r.registrations.individuals
        ),
        KeyFigure(
            "registrations_individuals_on_time",
            "Cá nhân đăng ký đúng hạn",
            r.registrations.individuals_on_time,
        ),
        KeyFigure(
            "registrations_share",
            "Tỷ lệ cá nhân đăng ký / CBCCVCLĐ",
            r.registrations.share_of_staff_percent,
            percent=True,
        ),
        KeyFigure(
            "registrations_women",
            "Tỷ lệ nữ trong cá nhân đăng ký",
            r.registrations.women_percent,
            percent=True,
        ),
    ]
    for a in ordered_awards(r):
        figures.append(KeyFigure(f"{a.title.lower()}_awarded", a.label, a.count))
    figures += [
        KeyFigure("awards_total", "Tổng số danh hiệu, hình thức khen thưởng", _awards_total(r)),
        KeyFigure("cash_vnd", "Tiền thưởng (đồng)", r.cash_vnd),
        KeyFigure(
            "awards_women",
            "Tỷ lệ nữ trong khen thưởng cá nhân",
            r.women_percent_of_individual_awards,
            percent=True,
        ),
        KeyFigure(
            "awards_direct_workers",
            "Tỷ lệ người trực tiếp lao động, công tác trong khen thưởng cá nhân",
            r.direct_workers_percent_of_individual_awards,
            percent=True,
        ),
        KeyFigure("dossiers_received", "Hồ sơ đề nghị tiếp nhận", r.dossiers.received),
        KeyFigure("dossiers_late", "Hồ sơ nộp quá hạn", r.dossiers.late),
        KeyFigure("dossiers_returned", "Hồ sơ trả lại", r.dossiers.returned),
        KeyFigure(
            "initiatives_submitted", "Sáng kiến đăng ký", sum(r.initiatives.submitted.values())
        ),
        KeyFigure(
            "initiatives_recognized",
            "Sáng kiến được công nhận",
            sum(x.count for x in r.initiatives.recognized),
        ),
        KeyFigure("exemplary_models", "Điển hình tiên tiến", r.exemplary_models),
    ]
    return figures


def figure_group(code: str) -> str:
    """The heading a key figure is shown under."""
    if code.startswith(("staff", "units")):
        return "Biên chế"
    if code.startswith("registrations"):
        return "Đăng ký thi đua"
    if code.endswith("_awarded") or code.startswith(("awards", "cash")):
        return "Khen thưởng"
    return "Hồ sơ, sáng kiến, điển hình"


def ordered_awards(r: Rollup) -> list[TitleAwards]:
    """Titles in the catalogue's order (LĐTT first, flags and Bằng khen last)."""
    order = list(TITLE_LABELS)
    return sorted(r.awards, key=lambda a: order.index(a.title) if a.title in order else 99)


def _awards_total(r: Rollup) -> int:
    return sum(a.count for a in r.awards)


def period_label(period: str) -> str:
    """``half:2018-H1`` → ``6 tháng đầu năm 2018``; ``phase:2`` → ``Đợt 2``."""
    kind, _, pid = period.partition(":")
    if kind == "half":
        year, _, half = pid.partition("-")
        return f"6 tháng {'đầu' if half == 'H1' else 'cuối'} năm {year}"
    return f"Đợt {pid}"


def period_totals(r: Rollup) -> list[tuple[str, int, int, int]]:
    """(period label, registrations, dossiers received, awards) per half-year or phase."""
    out = []
    for period, counts in r.periods.items():
        registrations = sum(
            v
            for k, v in counts.items()
            if k in ("registrations.units", "registrations.individuals")
        )
        received = sum(v for k, v in counts.items() if k.startswith("dossiers.received"))
        awards = sum(v for k, v in counts.items() if k.startswith("awards|"))
        out.append((period_label(period), registrations, received, awards))
    return out
