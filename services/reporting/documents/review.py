"""The review reports of a campaign (pure): sơ kết (mid-term review, one per phase/đợt) and
tổng kết (final review), as a document in Vietnamese administrative layout (Nghị định
30/2020/NĐ-CP): Quốc hiệu and tiêu ngữ, the issuing body, số/ký hiệu, place and date, the
title, the body (figures, targets against actual, awards with names, initiatives), "Nơi
nhận" and the signer. ``word.py`` and ``pdf.py`` lay the same ``Document`` out.

Nothing here is invented: a figure is the model's, a target the plan's; an actual value the
model does not hold yet (economic results) reads "chưa có số liệu".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

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

Kind = Literal["so-ket", "tong-ket"]
NO_DATA = "chưa có số liệu"
DOCUMENT_KINDS = {"KH": "Kế hoạch", "CT": "Chỉ thị"}
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DEFAULT_RECIPIENTS = (
    "Ban Thi đua - Khen thưởng tỉnh (b/c)",
    "Lãnh đạo Sở",
    "Các phòng, đơn vị thuộc Sở",
)


# --- what a review is made of -------------------------------------------------------------


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


# --- the document ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1
    centered: bool = False


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True)
class Grid:
    """A table: header row, body rows (text as printed), relative column widths, and which
    columns are figures (right-aligned)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    numeric: tuple[bool, ...]


Block = Heading | Paragraph | Grid


@dataclass(frozen=True)
class Letterhead:
    parent_body: str | None
    """Cơ quan chủ quản, e.g. UBND TỈNH GIA LAI (none for a People's Committee itself)."""
    issuing_body: str
    number: str
    """Số, ký hiệu: ``Số:      /BC-SCT`` (the number is given when the report is issued)."""
    place_and_date: str


@dataclass(frozen=True)
class Document:
    kind: str
    """``so-ket``, ``tong-ket`` (a review), ``quyet-dinh`` (a decision's draft)."""
    letterhead: Letterhead
    title: str
    subtitle: str
    blocks: tuple[Block, ...]
    recipients: tuple[str, ...]
    signature: tuple[str, ...]
    signer_name: str | None
    file_stem: str
    annex: tuple[Block, ...] = ()
    """Phụ lục: on pages of its own after the signer (a decision's list of awardees)."""


def place_and_date(place: str, day: date) -> str:
    """``Gia Lai, ngày 26 tháng 12 năm 2018``; days below 10 and months 1 and 2 take a
    leading zero (NĐ 30/2020/NĐ-CP, Phụ lục I)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def bodies(department_name: str, province_name: str | None) -> tuple[str | None, str]:
    """The letterhead's two bodies: ``Sở Công Thương Gia Lai`` in Gia Lai → ``UBND TỈNH GIA
    LAI`` above ``SỞ CÔNG THƯƠNG``; any other body stands alone."""
    name = department_name.strip()
    if province_name and name.startswith("Sở "):
        own = name.removesuffix(province_name).strip() or name
        return f"UBND TỈNH {province_name}".upper(), own.upper()
    return None, name.upper()


def movement(title: str) -> str:
    """The movement a plan launches, as a report's title names it: from "phong trào thi đua"
    on in the plan's title, else "phong trào thi đua theo <title>"."""
    at = title.lower().find("phong trào thi đua")
    if at >= 0:
        return title[at:].rstrip(" .")
    return f"phong trào thi đua theo {title[:1].lower()}{title[1:]}".rstrip(" .")


def plan_reference(plan: Plan) -> str:
    """``Kế hoạch số 53/KH-SCT ngày 02/08/2019 của Sở Công Thương Bạc Liêu về …``."""
    kind = DOCUMENT_KINDS.get(plan.document_kind, "Kế hoạch")
    words = [kind]
    if plan.number:
        words.append(f"số {plan.number}")
    if plan.issued_on:
        words.append(f"ngày {vn_date(plan.issued_on)}")
    words.append(f"của {plan.department_name}")
    title = plan.title
    if title.lower().startswith(kind.lower()):
        title = title[len(kind) :].strip()
    return f"{' '.join(words)} về {title[:1].lower()}{title[1:]}"


def recipient_lines(recipients: Sequence[str]) -> list[str]:
    """ "Nơi nhận" as written: ``- Ban TĐKT tỉnh (b/c);`` …, the last line (the archive,
    ``Lưu: VT``) ending with a full stop."""
    lines = [f"- {r.rstrip(';.')};" for r in recipients[:-1]]
    return [*lines, f"- {recipients[-1].rstrip(';.')}."] if recipients else lines


def signature(plan: Plan) -> tuple[str, ...]:
    return signature_lines(plan.signer_position, plan.signer_on_behalf_of, plan.department_name)


def signature_lines(
    position: str | None, on_behalf_of: str | None, body_name: str
) -> tuple[str, ...]:
    """``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC`` for a deputy signing for the director; without a
    signer, the head of the body (a Sở's Giám đốc)."""
    if on_behalf_of and position:
        return (f"KT. {on_behalf_of.upper()}", position.upper())
    if position:
        return (position.upper(),)
    return ("GIÁM ĐỐC",) if body_name.startswith("Sở ") else ("THỦ TRƯỞNG CƠ QUAN",)


def _count(n: int) -> str:
    return vn_number(n)


def _tally_grid(columns: Sequence[tuple[str, Tally]]) -> Grid:
    rows = tuple(
        (label, *(_count(getattr(t, name)) for _, t in columns)) for name, label in TALLY_ROWS
    )
    return Grid(
        columns=("Nội dung", *(c for c, _ in columns)),
        rows=rows,
        widths=(60, *([max(12, 40 // max(len(columns), 1))] * len(columns))),
        numeric=(False, *([True] * len(columns))),
    )


def _economic_grid(lines: Sequence[EconomicLine]) -> Grid:
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


def _emulation_grid(r: Rollup, campaign_id: str) -> Grid:
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


def _initiative_grid(r: Rollup) -> Grid:
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


def _awards_summary(r: Rollup) -> Grid:
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


def _award_list(awards: Sequence[AwardLine]) -> Grid:
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


def _phase_label(p: PhaseInfo) -> str:
    return f"Đợt {p.number} ({vn_date(p.start)} - {vn_date(p.end)})"


def _columns(review: Review) -> list[tuple[str, Tally]]:
    r = review.rollup
    phases = review.plan.phases
    if review.kind == "so-ket":
        phase = next(p for p in phases if p.number == review.phase)
        counts = r.periods.get(f"phase:{phase.number}", {})
        upto = vn_date(review.cut_off) if review.cut_off else ""
        return [
            (f"Trong đợt {phase.number}", Tally.of_period(counts)),
            (f"Lũy kế đến {upto}".strip(), Tally.of_rollup(r)),
        ]
    columns = [
        (f"Đợt {p.number}", Tally.of_period(r.periods.get(f"phase:{p.number}", {}))) for p in phases
    ]
    return [*columns, ("Cả phong trào", Tally.of_rollup(r))]


def review_document(review: Review) -> Document:
    """The report, section by section."""
    plan, r = review.plan, review.rollup
    parent, body = bodies(plan.department_name, plan.province_name)
    number = "Số:       /BC" + (f"-{plan.abbreviation}" if plan.abbreviation else "")
    what = movement(plan.title)
    phase = next((p for p in plan.phases if p.number == review.phase), None)
    if review.kind == "so-ket":
        assert phase is not None, "a sơ kết is of one of the plan's phases"
        subtitle = f"Sơ kết đợt {phase.number} {what}"
        reach = f"đợt {phase.number} (từ ngày {vn_date(phase.start)} đến ngày {vn_date(phase.end)})"
    else:
        subtitle = f"Tổng kết {what}"
        reach = f"{what} (từ ngày {vn_date(plan.period_start)} đến ngày {vn_date(plan.period_end)})"
    blocks: list[Block] = [
        Paragraph(
            f"Thực hiện {plan_reference(plan)}, {plan.department_name} báo cáo "
            f"{'sơ kết' if review.kind == 'so-ket' else 'tổng kết'} {reach} như sau:"
        )
    ]
    blocks.append(Heading("I. TÌNH HÌNH TRIỂN KHAI"))
    context = []
    if plan.theme:
        context.append(f"Chủ đề: “{plan.theme}”.")
    if plan.slogan:
        context.append(f"Khẩu hiệu: “{plan.slogan}”.")
    if plan.phases:
        context.append(
            "Phong trào chia thành "
            + f"{len(plan.phases):02d} đợt: "
            + "; ".join(_phase_label(p) for p in plan.phases)
            + "."
        )
    staff = r.staff
    context.append(
        f"Tổng số công chức, viên chức, người lao động: {vn_number(staff.staff)} người"
        f" (nữ {vn_number(staff.women)}); số phòng, đơn vị trực thuộc: {vn_number(staff.units)}"
        f" (tính đến ngày {vn_date(r.reference_date)})."
    )
    blocks.extend(Paragraph(text) for text in context)

    blocks.append(Heading("II. KẾT QUẢ THỰC HIỆN"))
    cut = (
        f"Số liệu tính đến ngày {vn_date(review.cut_off)}."
        if review.cut_off
        else f"Số liệu của cả phong trào, cập nhật đến ngày {vn_date(review.figures_on)}"
        " (gồm các quyết định ban hành sau khi kết thúc kỳ thi đua)."
    )
    blocks.append(Heading("1. Đăng ký thi đua, sáng kiến, hồ sơ và khen thưởng", 2))
    blocks.append(Paragraph(cut, italic=True))
    blocks.append(_tally_grid(_columns(review)))

    blocks.append(Heading("2. Thực hiện các chỉ tiêu", 2))
    if plan.economic_targets:
        blocks.append(Paragraph("a) Chỉ tiêu kinh tế (kế hoạch và thực hiện):"))
        blocks.append(_economic_grid(plan.economic_targets))
        if any(t.actual is None for t in plan.economic_targets):
            blocks.append(
                Paragraph(
                    f"Chỉ tiêu ghi “{NO_DATA}”: chưa có báo cáo kết quả thực hiện.", italic=True
                )
            )
    else:
        blocks.append(Paragraph("a) Kế hoạch không đặt chỉ tiêu kinh tế."))
    emulation = _emulation_grid(r, plan.campaign_id)
    if emulation.rows:
        blocks.append(Paragraph("b) Chỉ tiêu thi đua (danh hiệu):"))
        blocks.append(emulation)
        if review.kind == "so-ket":
            blocks.append(
                Paragraph(
                    "Các danh hiệu thi đua được bình xét khi tổng kết; tỷ lệ trên là số đã"
                    " quyết định đến ngày báo cáo.",
                    italic=True,
                )
            )
    else:
        blocks.append(Paragraph("b) Kế hoạch không đặt chỉ tiêu thi đua theo danh hiệu."))

    blocks.append(Heading("3. Sáng kiến", 2))
    initiatives = _initiative_grid(r)
    if initiatives.rows:
        blocks.append(initiatives)
    else:
        blocks.append(Paragraph("Chưa có sáng kiến đăng ký."))

    blocks.append(Heading("4. Khen thưởng", 2))
    if r.awards:
        blocks.append(_awards_summary(r))
        blocks.append(
            Paragraph(f"Danh sách tập thể, cá nhân được khen thưởng ({len(review.awards)}):")
        )
        blocks.append(_award_list(review.awards))
    else:
        blocks.append(Paragraph("Chưa có quyết định khen thưởng trong kỳ báo cáo."))

    if review.kind == "so-ket":
        blocks.extend(_next_steps(review))
    lowered = f"{subtitle[:1].lower()}{subtitle[1:]}"
    blocks.append(Paragraph(f"Trên đây là báo cáo {lowered} của {plan.department_name}./."))
    recipients = plan.recipients or DEFAULT_RECIPIENTS
    stem = (
        f"so-ket-dot-{review.phase}-{plan.campaign_id}"
        if review.kind == "so-ket"
        else f"tong-ket-{plan.campaign_id}"
    )
    return Document(
        kind=review.kind,
        letterhead=Letterhead(
            parent_body=parent,
            issuing_body=body,
            number=number,
            place_and_date=place_and_date(plan.province_name or "", review.issued_on).lstrip(", "),
        ),
        title="BÁO CÁO",
        subtitle=subtitle,
        blocks=tuple(blocks),
        recipients=(*recipients, "Lưu: VT."),
        signature=signature(plan),
        signer_name=plan.signer_name,
        file_stem=stem,
    )


def _next_steps(review: Review) -> list[Block]:
    """What comes after the phase: the next phase and the plan's deadlines still ahead."""
    plan = review.plan
    out: list[Block] = [Heading("III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")]
    after = review.cut_off or review.issued_on
    following = [p for p in plan.phases if review.phase is not None and p.number > review.phase]
    for p in following[:1]:
        name = f": {p.name}" if p.name else ""
        out.append(Paragraph(f"{_phase_label(p)}{name}."))
    labels = {
        "registration": "Hạn đăng ký thi đua",
        "dossier": "Hạn gửi hồ sơ đề nghị khen thưởng",
        "review": "Ngày xét khen thưởng, tổng kết",
    }
    for key, label in labels.items():
        day = plan.deadlines.get(key)
        if day is not None and day > after:
            out.append(Paragraph(f"{label}: {vn_date(day)}."))
    if len(out) == 1:
        out.append(Paragraph("Tiếp tục triển khai các nội dung của kế hoạch đến khi tổng kết."))
    return out
