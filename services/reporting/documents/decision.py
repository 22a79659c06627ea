"""The draft of a decision on awards (dự thảo quyết định khen thưởng), pure: the same
``Document`` the review reports use (``word.py`` and ``pdf.py`` lay it out), in the layout of
Nghị định 30/2020/NĐ-CP: Quốc hiệu, the issuing body, số/ký hiệu left blank for the clerk
(``Số:       /QĐ-SCT``), place and date, the authority, căn cứ (the legal bases of the rule
set the awards were judged by), Điều 1 (the titles), Điều 2 (the cash), Điều 3 (who carries it
out), "Nơi nhận", the signer, and the annex: every awardee with unit, title and cash.
"""

from __future__ import annotations

from services.reporting.documents.awarded import Awardee, Decision
from services.reporting.documents.document import (
    Block,
    Document,
    Grid,
    Heading,
    Letterhead,
    Paragraph,
    bodies,
    place_and_date,
    signature_lines,
)
from services.reporting.forms import TITLE_LABELS
from services.reporting.presentation import vn_date, vn_number

FORMS = frozenset({"BANG_KHEN", "GIAY_KHEN"})
"""Hình thức khen thưởng (the others are danh hiệu thi đua)."""
RECIPIENTS = (
    "Như Điều 3",
    "Ban Thi đua - Khen thưởng tỉnh (b/c)",
    "Lưu: VT, TĐKT",
)


def title_phrase(title: str) -> str:
    """``danh hiệu “Lao động tiên tiến”`` or ``Giấy khen``."""
    label = TITLE_LABELS.get(title, title)
    return label if title in FORMS else f"danh hiệu “{label}”"


def authority_line(decision: Decision, issuing_body: str) -> str:
    """Who decides, as the decision's heading names it: ``GIÁM ĐỐC SỞ CÔNG THƯƠNG``."""
    if decision.authority == "department_director" and issuing_body.startswith("SỞ "):
        return f"GIÁM ĐỐC {issuing_body}"
    if decision.authority == "provincial_chair" and decision.province_name:
        return f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {decision.province_name.upper()}"
    return f"THỦ TRƯỞNG {issuing_body}"


def _who(awardees: list[Awardee]) -> str:
    people = sum(1 for a in awardees if a.nominee_kind == "individual")
    groups = len(awardees) - people
    parts = [f"{people:02d} cá nhân"] if people else []
    parts += [f"{groups:02d} tập thể"] if groups else []
    return " và ".join(parts)


def subject_line(decision: Decision) -> str:
    titles = sorted({a.title for a in decision.awardees})
    years = sorted({a.year for a in decision.awardees})
    year = f" năm {years[0]}" if len(years) == 1 else ""
    if len(titles) == 1:
        return f"Về việc tặng {title_phrase(titles[0])}{year}"
    return f"Về việc tặng danh hiệu thi đua và hình thức khen thưởng{year}"


def decision_document(decision: Decision) -> Document:
    parent, body = bodies(decision.department_name, decision.province_name)
    abbreviation = decision.issuer_abbreviation
    blank_number = "Số:       /QĐ" + (f"-{abbreviation}" if abbreviation else "")
    rule_set = decision.rule_set
    awardees = list(decision.awardees)
    blocks: list[Block] = [Heading(authority_line(decision, body), centered=True)]
    blocks += [
        Paragraph(f"Căn cứ {basis.strip()};", italic=True) for basis in rule_set.basis.split(";")
    ]
    blocks.append(
        Paragraph(
            "Xét đề nghị của Thường trực Hội đồng Thi đua - Khen thưởng "
            f"{decision.department_name}.",
            italic=True,
        )
    )
    blocks.append(Heading("QUYẾT ĐỊNH:", centered=True))
    blocks.append(
        Paragraph(
            f"Điều 1. Tặng danh hiệu thi đua, hình thức khen thưởng cho {_who(awardees)}"
            " có thành tích xuất sắc (có danh sách kèm theo), gồm:"
        )
    )
    for title in sorted({a.title for a in awardees}):
        phrase = title_phrase(title)
        kinds = _who([a for a in awardees if a.title == title])
        blocks.append(Paragraph(f"- {phrase[:1].upper()}{phrase[1:]}: {kinds};"))
    salaries = sorted({a.base_salary_vnd for a in awardees})
    salary = f" với mức lương cơ sở {vn_number(salaries[0])} đồng" if len(salaries) == 1 else ""
    blocks.append(
        Paragraph(
            "Điều 2. Kèm theo danh hiệu, hình thức khen thưởng là tiền thưởng theo hệ số quy"
            f" định tại {rule_set.basis.split(';')[-1].strip()}{salary}; tổng số tiền thưởng:"
            f" {vn_number(decision.cash_vnd)} đồng. Kinh phí khen thưởng chi từ quỹ thi đua,"
            f" khen thưởng của {decision.department_name} năm {decision.issued_on.year}."
        )
    )
    blocks.append(
        Paragraph(
            "Điều 3. Chánh Văn phòng, Thủ trưởng các phòng, đơn vị có liên quan và các cá nhân,"
            " tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này. Quyết định"
            " có hiệu lực kể từ ngày ký./."
        )
    )
    signer = signature_lines(
        decision.signer_position, decision.signer_on_behalf_of, decision.department_name
    )
    return Document(
        kind="quyet-dinh",
        letterhead=Letterhead(
            parent_body=parent,
            issuing_body=body,
            number=blank_number,
            place_and_date=place_and_date(decision.province_name or "", decision.issued_on).lstrip(
                ", "
            ),
        ),
        title="QUYẾT ĐỊNH",
        subtitle=subject_line(decision),
        blocks=tuple(blocks),
        recipients=RECIPIENTS,
        signature=signer,
        signer_name=decision.signer_name,
        file_stem=f"du-thao-quyet-dinh-{decision.decision_id}",
        annex=annex(decision, blank_number),
    )


def annex(decision: Decision, blank_number: str) -> tuple[Block, ...]:
    """The list of awardees (phụ lục), with the total of the cash."""
    rows = tuple(
        (
            str(n),
            a.name,
            a.unit or "",
            TITLE_LABELS.get(a.title, a.title),
            vn_number(a.cash_vnd),
        )
        for n, a in enumerate(decision.awardees, start=1)
    )
    total = ("", "Tổng cộng", "", "", vn_number(decision.cash_vnd))
    number = blank_number.removeprefix("Số:").strip()
    return (
        Heading("DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG", centered=True),
        Heading(
            f"(Kèm theo Quyết định số {number} ngày {vn_date(decision.issued_on)}"
            f" của {decision.issuer_name})",
            centered=True,
        ),
        Grid(
            columns=(
                "TT",
                "Họ và tên / Tập thể",
                "Đơn vị",
                "Danh hiệu, hình thức",
                "Tiền thưởng (đồng)",
            ),
            rows=(*rows, total),
            widths=(6, 30, 30, 28, 18),
            numeric=(False, False, False, False, True),
        ),
    )
