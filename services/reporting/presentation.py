"""What an official reads (pure): Vietnamese number and date formats, labels, and the tables of
a rollup or a form that the dashboard, the XLSX and the CSV all show, so a download holds
exactly the figures on the screen.

Numbers use the Vietnamese convention: ``.`` groups thousands, ``,`` marks decimals
(1.234,5). Dates are dd/mm/yyyy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.reporting.forms import LEVEL_LABELS, TITLE_LABELS, Form
from services.reporting.lifecycle import in_running_text
from services.reporting.queries import Child, FactRef, Rollup, TitleAwards

Cell = str | int | Decimal | None
NO_VALUE = "\u2013"  # en dash: no figure (no denominator)

KIND_LABELS = {"regular": "Thường xuyên", "topical": "Chuyên đề", "by_wave": "Theo đợt"}
INITIATIVE_LABELS = {
    "management": "Quản lý",
    "technical": "Kỹ thuật",
    "operational": "Tác nghiệp",
    "applied_technology": "Ứng dụng tiến bộ kỹ thuật",
}
INITIATIVE_LEVELS = {
    "unit": "Cấp cơ sở",
    "ministry_province": "Cấp bộ, tỉnh",
    "national": "Toàn quốc",
}
STATUS_LABELS = {
    "submitted": "Đang xét",
    "returned": "Trả hồ sơ",
    "suspended": "Tạm dừng xét",
    "approved": "Đã khen thưởng",
    "rejected": "Không đủ điều kiện",
    "revoked": "Đã thu hồi",
}
BASIS_LABELS = {
    "all_staff": "% tổng số CBCCVCLĐ",
    "staff_excluding_leaders": "% CBCCVCLĐ (không tính lãnh đạo)",
    "units": "% số đơn vị",
    "organisation": "đơn vị",
}
COMPARATOR_SIGNS = {"gte": "≥", "lte": "≤", "eq": "="}
NOMINEE_LABELS = {"individual": "Cá nhân", "collective": "Tập thể"}
AUTHORITY_LABELS = {
    "department_director": "Giám đốc Sở",
    "provincial_chair": "Chủ tịch UBND tỉnh",
    "minister": "Bộ trưởng",
    "prime_minister": "Thủ tướng Chính phủ",
    "president": "Chủ tịch nước",
}
METHOD_LABELS = {
    "regular": "Thường xuyên",
    "topical": "Chuyên đề",
    "sudden": "Đột xuất",
    "dedication": "Quá trình cống hiến",
    "external": "Đối ngoại",
}
FIGURE_LABELS = {
    "registrations.units": "Đăng ký thi đua (tập thể)",
    "registrations.units_on_time": "Đăng ký thi đua đúng hạn (tập thể)",
    "registrations.individuals": "Đăng ký thi đua (cá nhân)",
    "registrations.individuals_on_time": "Đăng ký thi đua đúng hạn (cá nhân)",
    "registrations.individuals_women": "Đăng ký thi đua (cá nhân nữ)",
    "initiatives.submitted": "Sáng kiến đăng ký",
    "initiatives.recognized": "Sáng kiến được công nhận",
    "initiatives.rejected": "Sáng kiến không được công nhận",
    "nominations": "Hồ sơ đề nghị theo trạng thái",
    "dossiers.received": "Hồ sơ đề nghị tiếp nhận",
    "dossiers.late": "Hồ sơ nộp quá hạn",
    "dossiers.late_override": "Hồ sơ quá hạn được chấp thuận",
    "dossiers.returned": "Hồ sơ trả lại",
    "dossiers.returned_late": "Hồ sơ trả lại do quá hạn",
    "dossiers.return_reasons": "Lý do trả hồ sơ",
    "awards": "Khen thưởng",
    "awards.women": "Khen thưởng cá nhân nữ",
    "awards.non_leaders": "Khen thưởng cá nhân không giữ chức vụ lãnh đạo",
    "awards.direct_workers": "Khen thưởng người trực tiếp lao động, công tác",
    "dossiers.processing_days": "Hồ sơ đã xét (số ngày xử lý)",
    "votes": "Kết quả bỏ phiếu",
    "awards.revoked": "Khen thưởng bị thu hồi",
    "campaigns.launched": "Phong trào thi đua phát động",
    "campaigns.duration": "Thời gian phong trào",
    "exemplary_models": "Điển hình tiên tiến",
    "discipline": "Kỷ luật",
}
EVENT_LABELS = {
    "UnitRegistered": "Đăng ký thi đua của tập thể",
    "IndividualRegistered": "Đăng ký thi đua của cá nhân",
    "RegistrationWithdrawn": "Rút đăng ký thi đua",
    "InitiativeSubmitted": "Đăng ký sáng kiến",
    "InitiativeRecognized": "Công nhận sáng kiến",
    "InitiativeRejected": "Không công nhận sáng kiến",
    "DisciplineImposed": "Quyết định kỷ luật",
    "CampaignLaunched": "Phát động phong trào thi đua",
    "NominationSubmitted": "Tiếp nhận hồ sơ đề nghị khen thưởng",
    "NominationReturned": "Trả hồ sơ đề nghị",
    "NominationSuspended": "Tạm dừng xét khen thưởng",
    "NominationResumed": "Tiếp tục xét khen thưởng",
    "NominationRejected": "Không đủ điều kiện khen thưởng",
    "NominationApproved": "Quyết định khen thưởng",
    "NominationVoted": "Kết quả bỏ phiếu của Hội đồng",
    "AwardRevoked": "Thu hồi quyết định khen thưởng",
    "ExemplaryModelChosen": "Lựa chọn điển hình tiên tiến",
}
SCOPE_SLUGS = {"province": "tinh", "ministry": "bo", "department": "so", "unit": "don-vi"}
SLUG_SCOPES = {v: k for k, v in SCOPE_SLUGS.items()}


# --- formats ---------------------------------------------------------------------------------


def vn_number(value: int | Decimal | None, places: int | None = None) -> str:
    """``1234567`` → ``1.234.567``; ``Decimal('57.14')`` → ``57,14``; None → a dash."""
    if value is None:
        return NO_VALUE
    if isinstance(value, Decimal):
        text = f"{value:,.{places}f}" if places is not None else f"{value:,f}"
    else:
        text = f"{value:,}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def vn_percent(value: Decimal | None) -> str:
    return NO_VALUE if value is None else f"{vn_number(value, 2)}%"


def vn_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def parse_vn_date(text: str | None) -> date | None:
    """dd/mm/yyyy (as officials write it) or yyyy-mm-dd; empty → None; ValueError otherwise."""
    if not text or not text.strip():
        return None
    text = text.strip()
    if "/" in text:
        day, month, year = (int(x) for x in text.split("/"))
        return date(year, month, day)
    return date.fromisoformat(text)


def event_label(event_type: str) -> str:
    """``vn.thidua.awards.NominationApproved.v1`` → ``Quyết định khen thưởng``."""
    parts = event_type.split(".")
    name = parts[-2] if len(parts) >= 2 else event_type
    return EVENT_LABELS.get(name, name)


def key_label(figure: str, key: str) -> str:
    """The Vietnamese reading of a counter key (title, kind, level, status, ...)."""
    if not key:
        return ""
    parts = key.split("|")
    if figure == "awards" and len(parts) == 4:
        title, nominee, method, authority = parts
        return (
            f"{TITLE_LABELS.get(title, title)}; {NOMINEE_LABELS.get(nominee, nominee)};"
            f" {METHOD_LABELS.get(method, method)}; {AUTHORITY_LABELS.get(authority, authority)}"
        )
    if figure == "nominations" and len(parts) == 2:
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {STATUS_LABELS.get(parts[1], parts[1])}"
    if figure.startswith("initiatives"):
        kind = INITIATIVE_LABELS.get(parts[0], parts[0])
        return f"{kind}, {INITIATIVE_LEVELS.get(parts[1], parts[1])}" if len(parts) > 1 else kind
    if figure == "dossiers.processing_days" and len(parts) == 2:
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {parts[1]} ngày"
    if figure == "votes" and len(parts) == 2:
        outcome = "đạt tỷ lệ phiếu" if parts[1] == "reached" else "không đạt tỷ lệ phiếu"
        return f"{TITLE_LABELS.get(parts[0], parts[0])}: {outcome}"
    if figure == "campaigns.launched" and len(parts) == 2:
        return f"{LEVEL_LABELS.get(parts[0], parts[0])}, {KIND_LABELS.get(parts[1], parts[1])}"
    return TITLE_LABELS.get(key, key)


# --- tables ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Table:
    sheet: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]


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


def attainment_target_text(comparator: str, target: Decimal, measure: str, basis: str) -> str:
    unit = "%" if measure != "count" else ""
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {vn_number(target.normalize())}{unit}"


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


def board_tables(r: Rollup) -> list[Table]:
    """Processing days and vote results per title, the blocs' rankings (issue 17), where there
    are any."""
    tables = []
    if r.processing_days:
        tables.append(
            Table(
                "Thời gian xử lý",
                "Thời gian xử lý hồ sơ (từ ngày tiếp nhận đến ngày quyết định)",
                ["Danh hiệu, hình thức", "Hồ sơ đã xét", "Trung bình (ngày)", "Dài nhất (ngày)"],
                [[p.label, p.dossiers, p.average_days, p.max_days] for p in r.processing_days],
            )
        )
    if r.votes:
        tables.append(
            Table(
                "Kết quả bỏ phiếu",
                "Kết quả bỏ phiếu của Hội đồng Thi đua - Khen thưởng",
                [
                    "Danh hiệu, hình thức",
                    "Hồ sơ được bỏ phiếu",
                    "Đạt tỷ lệ phiếu",
                    "Không đạt",
                    "Tỷ lệ đồng ý bình quân (%)",
                ],
                [[v.label, v.voted, v.reached, v.below, v.average_yes_percent] for v in r.votes],
            )
        )
    if r.blocs:
        tables.append(
            Table(
                "Khối thi đua",
                "Xếp hạng khối thi đua, Trưởng khối và Cờ thi đua",
                ["Khối thi đua", "Hạng", "Thành viên", "Điểm", "Ngày xếp hạng", "Cờ thi đua"],
                [
                    [
                        bloc.name,
                        m.rank,
                        f"{m.name} (Trưởng khối)" if m.member_id == bloc.leader_id else m.name,
                        m.score,
                        bloc.ranked_on_label,
                        ("Được tặng" if bloc.flag_awarded else "Chưa")
                        if m.member_id == bloc.leader_id
                        else "",
                    ]
                    for bloc in r.blocs
                    for m in bloc.ranking
                ],
            )
        )
    return tables


def rollup_tables(r: Rollup, names: Mapping[str, str] | None = None) -> list[Table]:
    """The rollup as the tables the dashboard and the downloads show; ``names`` gives the
    names of departments and campaigns by id (else ids are shown)."""
    names = {**(names or {}), **{c.id: c.name for c in r.children}, r.scope.id: r.scope.name}
    tables = [
        Table(
            "Chỉ số chính",
            "Chỉ số chính",
            ["Mã chỉ số", "Chỉ số", "Giá trị"],
            [[k.code, k.label, k.value] for k in key_figures(r)],
        ),
        Table(
            "Khen thưởng",
            "Khen thưởng theo danh hiệu",
            [
                "Danh hiệu, hình thức",
                "Tổng số",
                "Cá nhân",
                "Tập thể",
                "Nữ",
                "Không giữ chức vụ lãnh đạo",
                "Bị thu hồi",
                "Tiền thưởng (đồng)",
                "% so với CBCCVCLĐ",
            ],
            [
                [
                    a.label,
                    a.count,
                    a.individuals,
                    a.collectives,
                    a.women,
                    a.non_leaders,
                    a.revoked,
                    a.cash_vnd,
                    a.share_of_staff_percent,
                ]
                for a in ordered_awards(r)
            ],
        ),
        Table(
            "Chỉ tiêu",
            "Kết quả thực hiện chỉ tiêu thi đua",
            [
                "Sở",
                "Phong trào",
                "Danh hiệu",
                "Chỉ tiêu",
                "Đơn vị tính",
                "Đạt được (số lượng)",
                "Cơ sở tính",
                "Thực hiện",
                "% so với chỉ tiêu",
                "Đánh giá",
            ],
            [
                [
                    names.get(a.department_code, a.department_code),
                    names.get(a.campaign_id, a.campaign_id),
                    a.label,
                    attainment_target_text(a.comparator, a.target, a.measure, a.basis),
                    BASIS_LABELS.get(a.basis, a.basis) if a.measure != "count" else "số lượng",
                    a.numerator,
                    a.denominator,
                    a.actual,
                    a.attainment_percent,
                    "Đạt" if a.met else ("Chưa đạt" if a.met is False else "Chưa xác định"),
                ]
                for a in r.attainment
            ],
        ),
        *board_tables(r),
        Table(
            "Theo kỳ",
            "Diễn biến theo kỳ",
            ["Kỳ", "Đăng ký thi đua", "Hồ sơ đề nghị", "Khen thưởng"],
            [list(row) for row in period_totals(r)],
        ),
    ]
    if r.conferences.held:
        tables.append(conference_table(r))
    if r.scope.kind == "unit":  # plans are a department's: no targets per unit
        tables = [t for t in tables if t.sheet != "Chỉ tiêu"]
    elif r.economy.lines:
        tables.insert(3, economy_table(r, names))
    if r.children:
        child_label = "Đơn vị" if r.children[0].kind == "unit" else "Sở"
        origin = [ORIGIN_COLUMN] if r.with_predecessors else []
        tables.append(
            Table(
                child_label,
                f"Chi tiết theo {child_label.lower()}",
                [
                    f"Mã {child_label.lower()}",
                    f"Tên {child_label.lower()}",
                    "Đăng ký thi đua",
                    "Khen thưởng",
                    "Tiền thưởng (đồng)",
                    *origin,
                ],
                [_child_row(c, with_origin=bool(origin)) for c in r.children],
            )
        )
    if r.parts:
        tables.append(
            Table(
                "Theo tổ chức cũ",
                "Số liệu theo từng tổ chức trước hợp nhất (cộng lại bằng tổng)",
                [
                    "Mã",
                    "Tên",
                    ORIGIN_COLUMN,
                    "Đăng ký thi đua",
                    "Khen thưởng",
                    "Tiền thưởng (đồng)",
                    "Biên chế",
                ],
                [
                    [
                        p.id,
                        p.name,
                        p.origin_label or "",
                        p.registrations,
                        p.awards,
                        p.cash_vnd,
                        p.staff,
                    ]
                    for p in r.parts
                ],
            )
        )
    return tables


def _child_row(c: Child, *, with_origin: bool) -> list[Cell]:
    row: list[Cell] = [c.id, c.name, c.registrations, c.awards, c.cash_vnd]
    return [*row, c.origin_label or ""] if with_origin else row


ORIGIN_COLUMN = "Từ tổ chức cũ"
"""The column saying which former organisation a figure came from ("gồm tỉnh Bạc Liêu cũ";
empty: the organisation's own)."""


def lineage_lines(r: Rollup) -> list[str]:
    """What a reader of a rollup must know of mergers: that the scope merged away, or which
    former organisations its figures include."""
    lines = []
    if r.merged_into is not None:
        m = r.merged_into
        basis = f" theo {m.legal_basis}" if m.legal_basis else ""
        lines.append(f"{r.scope.label} {r.scope.name} {m.label}{basis}.")
    if r.with_predecessors and r.predecessors:
        included = "; ".join(
            f"{in_running_text(f.kind, f.name)} cũ (hợp nhất từ ngày {f.merged_on_label})"
            for f in r.predecessors
        )
        lines.append(f"Số liệu gồm cả {included}.")
    return lines


def form_table(form: Form) -> Table:
    """A statutory form as one table: its rows by its columns."""
    codes = list(form.columns)
    return Table(
        form.form,
        f"Biểu {form.form}: {form.name}",
        ["Chỉ tiêu", *form.columns.values()],
        [[row.label, *(row.values.get(c, 0) for c in codes)] for row in form.rows],
    )


def heading(r: Rollup) -> list[str]:
    """The lines above a downloaded rollup."""
    lines = [
        "BÁO CÁO TỔNG HỢP THI ĐUA, KHEN THƯỞNG",
        f"{r.scope.label}: {r.scope.name}",
        f"Năm: {r.year}",
    ]
    if r.campaign_id:
        lines.append(f"Phong trào: {r.campaign_id}")
    lines.append(f"Số liệu tính đến ngày: {vn_date(r.as_of)}" if r.as_of else "Số liệu: hiện tại")
    lines.append(f"Ngày tính biên chế: {vn_date(r.reference_date)}")
    return lines + lineage_lines(r)


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


CONFERENCE_KINDS = {
    "exemplary_models": "Hội nghị điển hình tiên tiến",
    "emulation_congress": "Đại hội thi đua yêu nước",
}


def conference_table(r: Rollup) -> Table:
    """Conferences (DOMAIN rule 25, issue 17): held by kind and level, delegates, the
    exemplary share, and the reports on time, late and not yet received."""
    c = r.conferences
    held: list[list[Cell]] = []
    for key, count in c.held.items():
        kind, _, level = key.partition("|")
        label = f"{CONFERENCE_KINDS.get(kind, kind)} ({LEVEL_LABELS.get(level, level).lower()})"
        held.append([f"conferences|{key}", label, count])
    return Table(
        "Hội nghị",
        "Hội nghị điển hình tiên tiến, đại hội thi đua và báo cáo kết quả",
        ["Mã chỉ số", "Chỉ số", "Giá trị"],
        [
            *held,
            ["conferences.delegates", "Tổng số đại biểu", c.delegates],
            ["conferences.exemplary", "Đại biểu điển hình tiên tiến", c.exemplary_delegates],
            ["conferences.guests", "Đại biểu khách mời", c.guest_delegates],
            ["conferences.exemplary_share", "Tỷ lệ đại biểu điển hình tiên tiến (%)",
             c.exemplary_share_percent],
            ["conferences.reports_on_time", "Báo cáo kết quả đúng hạn", c.reports_on_time],
            ["conferences.reports_late", "Báo cáo kết quả quá hạn", c.reports_late],
            ["conferences.reports_outstanding", "Chưa báo cáo kết quả", c.reports_outstanding],
        ],
    )  # fmt: skip


# --- economic results (issue 17) ----------------------------------------------------------------

ECONOMY_TITLE = "Chỉ tiêu kinh tế: kế hoạch / thực hiện / đạt % / tăng trưởng"
ECONOMY_COLUMNS = [
    "Sở",
    "Phong trào",
    "Chỉ tiêu",
    "Đơn vị tính",
    "Kế hoạch",
    "Kế hoạch tăng (%)",
    "Thực hiện",
    "Kỳ số liệu",
    "Đạt % kế hoạch",
    "Tăng trưởng (%)",
]


def economy_table(r: Rollup, names: Mapping[str, str]) -> Table:
    """Each department plan's targets against what it reported; above them, for a province or
    a ministry, like indicators in like units summed over the departments that reported
    (``services.reporting.economy``)."""
    rows: list[list[Cell]] = []
    if r.scope.kind in ("province", "ministry"):
        rows += [
            [
                f"Cộng ({t.reported}/{t.planned} Sở báo cáo)",
                "",
                t.indicator,
                t.unit_of_measure,
                t.target if t.reported else t.planned_target,
                None,
                t.actual,
                "",
                t.attained_percent,
                t.growth_percent,
            ]
            for t in r.economy.totals
        ]
    rows += [
        [
            names.get(e.department_code, e.department_code),
            names.get(e.campaign_id, e.campaign_id),
            e.indicator,
            e.unit_of_measure,
            e.target,
            e.target_growth_percent,
            e.actual,
            e.period_label or "Chưa báo cáo",
            e.attained_percent,
            e.growth_percent,
        ]
        for e in r.economy.lines
    ]
    return Table("Chỉ tiêu kinh tế", ECONOMY_TITLE, list(ECONOMY_COLUMNS), rows)
