"""Decision drafts and certificates, pure parts (issue 18): the draft's layout and annex, the
certificates' short codes, the provinces' keys, and signatures that verify offline and fail
for an altered copy or another province's key."""

from __future__ import annotations

import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from services.awards.rules.rulesets import RULESET_2017, RULESET_2025
from services.reporting.documents.awarded import (
    Awardee,
    Decision,
    certificate_code,
    normal_code,
    rule_set_of,
)
from services.reporting.documents.decision import decision_document
from services.reporting.documents.document import Grid, Heading, Paragraph
from services.reporting.verify import (
    CertificateInvalid,
    CertificateRecord,
    KeyStore,
    sign,
    verify_certificate,
)


def awardee(nid: str, title: str, kind: str, name: str, cash: int) -> Awardee:
    return Awardee(nid, title, 2018, kind, name, "Văn phòng Sở", cash, Decimal("0.3"), 1_390_000)


DECISION = Decision(
    decision_id="sct-gialai/qd/2018-1",
    department_code="sct-gialai",
    department_name="Sở Công Thương Gia Lai",
    province_id="gia-lai",
    province_name="Gia Lai",
    number="101/QĐ-SCT",
    issued_on=date(2018, 12, 20),
    issuer_name="Sở Công Thương tỉnh Gia Lai",
    issuer_abbreviation="SCT",
    signer_name="Đào Thị Thu Nguyệt",
    signer_position="Phó Giám đốc",
    signer_on_behalf_of="Giám đốc",
    authority="department_director",
    rule_set=RULESET_2017,
    awardees=(
        awardee("n1", "LDTT", "individual", "Nguyễn Thị Lan", 417_000),
        awardee("n2", "LDTT", "individual", "Trần Văn Minh", 417_000),
    ),
)

RECORD = CertificateRecord(
    code=certificate_code("n1"),
    title="Lao động tiên tiến",
    name="Nguyễn Thị Lan",
    unit="Văn phòng Sở",
    decision_number="101/QĐ-SCT",
    decision_date="20/12/2018",
    issuer="Sở Công Thương tỉnh Gia Lai",
    province="gia-lai",
)


def test_the_draft_leaves_the_number_blank_cites_the_rule_set_and_lists_the_awardees() -> None:
    document = decision_document(DECISION)
    assert document.letterhead.number == "Số:       /QĐ-SCT"
    assert document.letterhead.place_and_date == "Gia Lai, ngày 20 tháng 12 năm 2018"
    assert document.subtitle == "Về việc tặng danh hiệu “Lao động tiên tiến” năm 2018"
    texts = [b.text for b in document.blocks if isinstance(b, Heading | Paragraph)]
    assert texts[0] == "GIÁM ĐỐC SỞ CÔNG THƯƠNG"
    assert "Căn cứ Nghị định 91/2017/NĐ-CP;" in texts
    assert any("tổng số tiền thưởng: 834.000 đồng" in t for t in texts)
    assert document.signature == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    grid = next(b for b in document.annex if isinstance(b, Grid))
    assert grid.rows == (
        ("1", "Nguyễn Thị Lan", "Văn phòng Sở", "Lao động tiên tiến", "417.000"),
        ("2", "Trần Văn Minh", "Văn phòng Sở", "Lao động tiên tiến", "417.000"),
        ("", "Tổng cộng", "", "", "834.000"),
    )


def test_the_rule_set_is_the_one_named_else_the_one_in_force_on_the_day() -> None:
    assert rule_set_of("nd-91-2017", date(2026, 1, 1)) is RULESET_2017
    assert rule_set_of(None, date(2026, 1, 1)) is RULESET_2025


def test_a_code_is_read_in_any_case_with_or_without_dashes() -> None:
    code = certificate_code("sct-gialai/ldtt-0042")
    assert len(code) == 14 and code.count("-") == 2
    assert normal_code(code.lower().replace("-", " ")) == code.replace("-", "")
    assert normal_code("not-a-code") is None and normal_code("12345") is None


def test_a_province_key_is_made_once_private_to_its_owner(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys")
    assert store.public_pem("gia-lai") is None  # signed nothing yet
    key = store.private_key("gia-lai")
    path = tmp_path / "keys" / "gia-lai.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = KeyStore(tmp_path / "keys")
    assert again.public_pem("gia-lai") == store.public_pem("gia-lai")
    assert again.private_key("gia-lai").private_bytes_raw() == key.private_bytes_raw()
    with pytest.raises(ValueError):
        store.private_key("../etc")
    assert store.public_pem("../etc") is None


def test_a_signed_record_verifies_offline_and_an_altered_one_does_not(tmp_path: Path) -> None:
    store = KeyStore(tmp_path)
    token = sign(RECORD, store.private_key("gia-lai"))
    public = store.public_pem("gia-lai")
    assert public is not None
    scanned = f"https://thidua.example/xac-minh/{RECORD.code}#{token}"
    assert verify_certificate(scanned, public) == RECORD
    header, payload, signature = token.split(".")
    flipped = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1]
    with pytest.raises(CertificateInvalid):
        verify_certificate(f"{header}.{flipped}.{signature}", public)
    store.private_key("khanh-hoa")
    other = store.public_pem("khanh-hoa") or b""
    with pytest.raises(CertificateInvalid):
        verify_certificate(token, other)
