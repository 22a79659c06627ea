"""The review reports of a campaign (pure): sơ kết (mid-term review, one per phase/đợt) and
tổng kết (final review), as a document in Vietnamese administrative layout (Nghị định
30/2020/NĐ-CP): Quốc hiệu and tiêu ngữ, the issuing body, số/ký hiệu, place and date, the
title, the body (figures, targets against actual, awards with names, initiatives), "Nơi
nhận" and the signer. ``word.py`` and ``pdf.py`` lay the same ``Document`` out.

What a review states comes from ``review_data.py``, its tables from ``review_grids.py``;
this module writes its sections.
"""

from __future__ import annotations

from services.reporting.documents.document import (
    Block,
    Document,
    Heading,
    Letterhead,
    Paragraph,
    bodies,
    place_and_date,
    signature_lines,
)
from services.reporting.documents.review_data import (
    NO_DATA,
    PhaseInfo,
    Plan,
    Review,
    Tally,
)
from services.reporting.documents.review_grids import (
    award_list,
    awards_summary,
    economic_grid,
    emulation_grid,
    initiative_grid,
    tally_grid,
)
from services.reporting.presentation import vn_date, vn_number

DOCUMENT_KINDS = {"KH": "Kế hoạch", "CT": "Chỉ thị"}
DEFAULT_RECIPIENTS = (
    "Ban Thi đua - Khen thưởng tỉnh (b/c)",
    "Lãnh đạo Sở",
    "Các phòng, đơn vị thuộc Sở",
)


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


def signature(plan: Plan) -> tuple[str, ...]:
    return signature_lines(plan.signer_position, plan.signer_on_behalf_of, plan.department_name)


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
    blocks.append(tally_grid(_columns(review)))

    blocks.append(Heading("2. Thực hiện các chỉ tiêu", 2))
    if plan.economic_targets:
        blocks.append(Paragraph("a) Chỉ tiêu kinh tế (kế hoạch và thực hiện):"))
        blocks.append(economic_grid(plan.economic_targets))
        if any(t.actual is None for t in plan.economic_targets):
            blocks.append(
                Paragraph(
                    f"Chỉ tiêu ghi “{NO_DATA}”: chưa có báo cáo kết quả thực hiện.", italic=True
                )
            )
    else:
        blocks.append(Paragraph("a) Kế hoạch không đặt chỉ tiêu kinh tế."))
    emulation = emulation_grid(r, plan.campaign_id)
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
    initiatives = initiative_grid(r)
    if initiatives.rows:
        blocks.append(initiatives)
    else:
        blocks.append(Paragraph("Chưa có sáng kiến đăng ký."))

    blocks.append(Heading("4. Khen thưởng", 2))
    if r.awards:
        blocks.append(awards_summary(r))
        blocks.append(
            Paragraph(f"Danh sách tập thể, cá nhân được khen thưởng ({len(review.awards)}):")
        )
        blocks.append(award_list(review.awards))
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
