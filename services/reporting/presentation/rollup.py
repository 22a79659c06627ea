"""A rollup as the tables the dashboard and the downloads show (pure), and the lines above a
downloaded rollup, so a download holds exactly the figures on the screen.

Apart from the generic tables (``tables.py``) and the headline figures (``figures.py``):
this is the one place that decides what a rollup's tables hold, column by column.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from services.reporting.forms import LEVEL_LABELS
from services.reporting.lifecycle import in_running_text
from services.reporting.presentation.figures import key_figures, ordered_awards, period_totals
from services.reporting.presentation.formats import vn_date, vn_number
from services.reporting.presentation.labels import BASIS_LABELS, COMPARATOR_SIGNS
from services.reporting.presentation.tables import Cell, Table
from services.reporting.queries import Child, Rollup


def attainment_target_text(comparator: str, target: Decimal, measure: str, basis: str) -> str:
    unit = "%" if measure != "count" else ""
    return f"{COMPARATOR_SIGNS.get(comparator, comparator)} {vn_number(target.normalize())}{unit}"


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
