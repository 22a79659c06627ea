"""What a review report of a campaign is made of (pure): the plan as the report cites it (its
phases, deadlines, economic targets, recipients, signer), the awards decided with their
names, the counts of one column of its figures, and the review's reach.

Nothing here is invented: a figure is the model's, a target the plan's; an actual value the
model does not hold yet (economic results) reads "chưa có số liệu" (``NO_DATA``).

Apart from the report (``review.py``): ``queries.py`` fills these from the model and the
plan's own text, and the report only reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from services.reporting.queries import Rollup

Kind = Literal["so-ket", "tong-ket"]
NO_DATA = "chưa có số liệu"


@dataclass(frozen=True)
class PhaseInfo:
    number: int
    name: str | None
    start: date
    end: date


@dataclass(frozen=True)
class EconomicLine:
    """A plan's economic target; ``actual`` once a department reports it (None: no data)."""

    indicator: str
    unit_of_measure: str
    value: Decimal
    growth_percent: Decimal | None = None
    note: str | None = None
    actual: Decimal | None = None
    actual_growth_percent: Decimal | None = None
    """Growth on the previous year of what was reported (``services.reporting.economy``)."""


@dataclass(frozen=True)
class AwardLine:
    """One title decided, with the name of who received it."""

    title: str
    nominee_kind: str
    name: str
    unit: str | None
    decision_number: str | None
    decided_on: date


@dataclass(frozen=True)
class Plan:
    """What the report says of the campaign's plan (the model's row, the plan's own text)."""

    campaign_id: str
    title: str
    year: int
    period_start: date
    period_end: date
    department_name: str
    province_name: str | None
    number: str | None = None
    document_kind: str = "KH"
    issued_on: date | None = None
    abbreviation: str | None = None
    theme: str | None = None
    slogan: str | None = None
    phases: tuple[PhaseInfo, ...] = ()
    deadlines: Mapping[str, date] = field(default_factory=dict)
    economic_targets: tuple[EconomicLine, ...] = ()
    recipients: tuple[str, ...] = ()
    signer_name: str | None = None
    signer_position: str | None = None
    signer_on_behalf_of: str | None = None


@dataclass(frozen=True)
class Tally:
    """The counts of one column of the figures table (a phase, the running total)."""

    units: int = 0
    units_on_time: int = 0
    individuals: int = 0
    individuals_on_time: int = 0
    individuals_women: int = 0
    initiatives_submitted: int = 0
    initiatives_recognized: int = 0
    initiatives_rejected: int = 0
    dossiers_received: int = 0
    dossiers_late: int = 0
    dossiers_returned: int = 0
    awards: int = 0
    awards_individual: int = 0
    awards_collective: int = 0
    cash_vnd: int = 0

    @classmethod
    def of_rollup(cls, r: Rollup) -> Tally:
        return cls(
            units=r.registrations.units,
            units_on_time=r.registrations.units_on_time,
            individuals=r.registrations.individuals,
            individuals_on_time=r.registrations.individuals_on_time,
            individuals_women=r.registrations.individuals_women,
            initiatives_submitted=sum(r.initiatives.submitted.values()),
            initiatives_recognized=sum(x.count for x in r.initiatives.recognized),
            initiatives_rejected=sum(r.initiatives.rejected.values()),
            dossiers_received=r.dossiers.received,
            dossiers_late=r.dossiers.late,
            dossiers_returned=r.dossiers.returned,
            awards=sum(t.count for t in r.awards),
            awards_individual=sum(t.individuals for t in r.awards),
            awards_collective=sum(t.collectives for t in r.awards),
            cash_vnd=r.cash_vnd,
        )

    @classmethod
    def of_period(cls, counts: Mapping[str, int]) -> Tally:
        """From a rollup's period (``figure`` or ``figure|key`` → count); cash is not kept
        per period (left at 0)."""

        def total(figure: str) -> int:
            return sum(n for k, n in counts.items() if k.split("|", 1)[0] == figure)

        def awards_of(kind: str) -> int:
            return sum(
                n
                for k, n in counts.items()
                if k.split("|", 1)[0] == "awards" and k.split("|")[2:3] == [kind]
            )

        return cls(
            units=total("registrations.units"),
            units_on_time=total("registrations.units_on_time"),
            individuals=total("registrations.individuals"),
            individuals_on_time=total("registrations.individuals_on_time"),
            individuals_women=total("registrations.individuals_women"),
            initiatives_submitted=total("initiatives.submitted"),
            initiatives_recognized=total("initiatives.recognized"),
            initiatives_rejected=total("initiatives.rejected"),
            dossiers_received=total("dossiers.received"),
            dossiers_late=total("dossiers.late"),
            dossiers_returned=total("dossiers.returned"),
            awards=total("awards"),
            awards_individual=awards_of("individual"),
            awards_collective=awards_of("collective"),
        )


TALLY_ROWS: tuple[tuple[str, str], ...] = (
    ("units", "Tập thể đăng ký thi đua"),
    ("units_on_time", "  trong đó: đăng ký đúng hạn"),
    ("individuals", "Cá nhân đăng ký thi đua"),
    ("individuals_on_time", "  trong đó: đăng ký đúng hạn"),
    ("individuals_women", "  trong đó: nữ"),
    ("initiatives_submitted", "Sáng kiến đăng ký"),
    ("initiatives_recognized", "Sáng kiến được công nhận"),
    ("initiatives_rejected", "Sáng kiến không được công nhận"),
    ("dossiers_received", "Hồ sơ đề nghị khen thưởng tiếp nhận"),
    ("dossiers_late", "  trong đó: nộp quá hạn"),
    ("dossiers_returned", "Hồ sơ trả lại"),
    ("awards", "Danh hiệu, hình thức khen thưởng đã quyết định"),
    ("awards_individual", "  trong đó: cá nhân"),
    ("awards_collective", "  trong đó: tập thể"),
)


@dataclass(frozen=True)
class Review:
    """Everything one report states: the plan, the review's reach and the model's figures."""

    kind: Kind
    plan: Plan
    issued_on: date
    cut_off: date | None
    """Figures up to this date (a sơ kết: the phase's end, or today); None: all of them."""
    rollup: Rollup
    """The campaign's figures (up to ``cut_off``), its periods by phase."""
    awards: tuple[AwardLine, ...]
    phase: int | None = None
    figures_on: date | None = None
    """The day the figures were read (a tổng kết counts every fact of the campaign so far)."""
