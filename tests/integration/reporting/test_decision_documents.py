"""A decision's documents (issue 18), downloaded over HTTP from the API served on a model
projected live with its audit trail: the draft of the decision (DOCX, and PDF rendered to a
PNG of A4 proportions) lists exactly the decision's awardees, with their units, titles and
cash, and the total; the legal bases of the rule set applied; the number left blank.
``THIDUA_REVIEW_PNG_DIR=dir`` keeps the draft's first page (``quyet-dinh.png``: docs/)."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import jwt
import pytest
import zxingcpp
from PIL import Image
from typer.testing import CliRunner

from scenarios.seeds import GIA_LAI
from services.reporting.documents.awarded import certificate_code
from services.reporting.verify import CertificateInvalid, verify_certificate
from tests.documents import docx_text, pdf_text, table_rows
from tests.integration.reporting.conftest import api_client, produce_keyed, projected
from tests.integration.reporting.decision_feed import (
    DECISION_ID,
    Expected,
    revocation,
    with_decision,
)
from tests.integration.reporting.scenario import Feed, build_feed
from tests.integration.reporting.test_review_reports import first_page_png, png_size
from tests.support import eventually
from thidua.cli import app

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils is not installed (apt-get install -y poppler-utils)",
)

Served = tuple[Feed, list[Expected], httpx.AsyncClient, tuple[str, str]]


@pytest.fixture
async def served(database_url: str, bootstrap: str, uid: str) -> AsyncIterator[Served]:
    feed = build_feed(f"{uid}-")
    expected = with_decision(feed)
    async with (
        projected(database_url, bootstrap, uid, feed, audit=True) as (_, _, topics),
        api_client(database_url, uid) as client,
    ):
        yield feed, expected, client, topics


def keep_picture(png: Path, name: str) -> None:
    keep = os.environ.get("THIDUA_REVIEW_PNG_DIR")
    if keep:
        shutil.copy(png, Path(keep) / name)


def vnd(n: int) -> str:
    return f"{n:,}".replace(",", ".")


async def test_the_draft_decision_lists_exactly_its_awardees_and_their_cash(
    served: Served, tmp_path: Path
) -> None:
    feed, expected, client, _ = served
    base = f"/v1/decisions/{DECISION_ID}/draft"
    word = await client.get(f"{base}.docx")
    assert word.status_code == 200, word.text
    assert word.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert word.headers["content-disposition"].endswith('.docx"')
    pdf = await client.get(f"{base}.pdf")
    assert pdf.status_code == 200, pdf.text
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(pdf.content)
    png = first_page_png(path)
    width, height = png_size(png)
    assert abs(width - 827) <= 2 and abs(height - 1169) <= 2, (width, height)
    assert png.stat().st_size > 30_000
    keep_picture(png, "quyet-dinh.png")

    text, printed = docx_text(word.content), pdf_text(path)
    total = sum(e.cash_vnd for e in expected)
    assert "Số:       /QĐ-SCT" in text  # the number left blank for the clerk
    for document in (" ".join(text.split()), " ".join(printed.split())):
        for line in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "UBND TỈNH GIA LAI",
            "SỞ CÔNG THƯƠNG",
            "Số: /QĐ-SCT",
            "Gia Lai, ngày 24 tháng 12 năm 2018",
            "QUYẾT ĐỊNH",
            "GIÁM ĐỐC SỞ CÔNG THƯƠNG",
            # The rule set the awards were judged by (nd-91-2017).
            "Căn cứ Luật Thi đua, Khen thưởng 2003 (sửa đổi 2013);",
            "Căn cứ Nghị định 91/2017/NĐ-CP;",
            "Điều 1.",
            "Điều 2.",
            "Điều 3.",
            f"tổng số tiền thưởng: {vnd(total)} đồng",
            "Nơi nhận:",
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Đào Thị Thu Nguyệt",
            "DANH SÁCH CÁ NHÂN, TẬP THỂ ĐƯỢC KHEN THƯỞNG",
        ):
            assert line in document, line
        assert "215/QĐ-SCT" not in document  # a draft: the clerk gives the number
        assert "Cán bộ p-0100" not in document  # the dossier the decision rejected
    assert "“Lao động tiên tiến”: 02 cá nhân;" in text
    assert "Tập thể lao động tiên tiến”: 01 tập thể;" in text
    rows = [
        line.split(" | ")
        for line in text.splitlines()
        if " | " in line and line.split(" | ")[0].isdigit()
    ]
    listed = sorted((r[1], r[2], r[3], r[4]) for r in rows)
    assert listed == sorted(
        (
            e.name,
            e.unit,
            {"LDTT": "Lao động tiên tiến", "TTLDTT": "Tập thể lao động tiên tiến"}[e.title],
            vnd(e.cash_vnd),
        )
        for e in expected
    )
    assert table_rows(text)[""][:4] == ["Tổng cộng", "", "", vnd(total)]
    # The PDF's annex holds each awardee with the same cash.
    for e in expected:
        assert any(
            e.name in line and line.rstrip().endswith(vnd(e.cash_vnd))
            for line in printed.splitlines()
        ), e

    # Refusals: problems in Vietnamese.
    unknown = await client.get("/v1/decisions/sct-gialai/qd/khong-co/draft.docx")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "Không tìm thấy quyết định khen thưởng" in unknown.json()["detail"]
    bad = await client.get(f"/v1/decisions/{DECISION_ID}/draft.odt")
    assert bad.status_code == 422
    # The dashboard links them: the department's page, then its decisions of the year.
    department = feed.scenario.code(GIA_LAI)
    page = await client.get(f"/so/{department}", params={"nam": 2018})
    assert 'id="decisions"' in page.text
    listing = await client.get("/bao-cao/quyet-dinh", params={"so": department, "nam": 2018})
    assert listing.status_code == 200
    assert "215/QĐ-SCT" in listing.text and "24/12/2018" in listing.text
    assert f"/v1/decisions/{DECISION_ID}/draft.docx" in listing.text
    openapi = (await client.get("/openapi.json")).json()["paths"]
    assert "/v1/decisions/{decision_id}/draft.{extension}" in openapi


def page_png(pdf: Path, page: int, dpi: int) -> Path:
    """One page of ``pdf`` rendered by poppler, as a scanner or a phone's camera sees it."""
    stem = pdf.with_name(f"{pdf.stem}-{page}")
    which = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), *which, "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_suffix(".png")


def pages(pdf: Path) -> tuple[int, str]:
    """The page count and the first page's size, as pdfinfo reads them."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    return int(fields["Pages"]), fields["Page size"].strip()


def qr_text(png: Path) -> str:
    found = zxingcpp.read_barcodes(Image.open(png))
    codes = [b.text for b in found if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(codes) == 1, codes
    return codes[0]


def altered(token: str, field: str, value: str) -> str:
    """The token with one claim changed and the signature kept (a forged copy)."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims[field] = value
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_certificates_carry_a_qr_code_that_verifies_online_and_offline(
    served: Served, tmp_path: Path, bootstrap: str
) -> None:
    feed, expected, client, (_, awards_topic) = served
    reply = await client.get(
        f"/v1/decisions/{DECISION_ID}/certificates.pdf", params={"le-trai": 28, "le-tren": 50}
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"] == "application/pdf"
    path = tmp_path / "giay-khen.pdf"
    path.write_bytes(reply.content)
    count, size = pages(path)
    assert count == len(expected) == 3  # one page per awardee (the rejected dossier: none)
    assert size.startswith("841.89 x 595.28"), size  # A4 landscape
    keep_picture(first_page_png(path), "giay-khen.png")
    printed = pdf_text(path).split("\f")
    by_code = {certificate_code(e.nomination_id): e for e in expected}
    seen = []
    for number in range(1, count + 1):
        text = qr_text(page_png(path, number, 200))
        url, _, token = text.partition("#")
        code = url.rsplit("/", 1)[1]
        assert url == f"http://reporting/xac-minh/{code}" and token, text
        awardee = by_code[code]
        seen.append(awardee)
        page_text = " ".join(printed[number - 1].split())
        for line in (awardee.name, code, "Quyết định số 215/QĐ-SCT", "GIÁM ĐỐC SỞ CÔNG THƯƠNG"):
            assert line in page_text, (line, page_text)
    assert sorted(e.nomination_id for e in seen) == sorted(e.nomination_id for e in expected)

    # The first page's QR: the public page (no login) confirms the title, and only it.
    text = qr_text(page_png(path, 1, 200))
    url, _, token = text.partition("#")
    awardee = by_code[url.rsplit("/", 1)[1]]
    page = await client.get(url, auth=None)
    assert page.status_code == 200, page.text
    shown = " ".join(page.text.split())
    for line in (
        "Lao động tiên tiến" if awardee.title == "LDTT" else "Tập thể lao động tiên tiến",
        awardee.name,
        awardee.unit,
        "215/QĐ-SCT",
        "24/12/2018",
        "Sở Công Thương tỉnh Gia Lai",
        "Còn hiệu lực",
    ):
        assert line in shown, line
    assert "đồng" not in shown and awardee.nomination_id not in shown  # nothing more
    unknown = await client.get("/xac-minh/0000-0000-0000", auth=None)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert "Không tìm thấy giấy khen, bằng khen" in unknown.json()["detail"]

    # Offline: the province's published key verifies the token, and not an altered copy.
    province = jwt.get_unverified_header(token)["kid"]
    key = await client.get(f"/xac-minh/khoa/{province}.pem", auth=None)
    assert key.status_code == 200 and key.content.startswith(b"-----BEGIN PUBLIC KEY-----")
    record = verify_certificate(text, key.content)
    assert (record.name, record.unit, record.decision_number) == (
        awardee.name,
        awardee.unit,
        "215/QĐ-SCT",
    )
    with pytest.raises(CertificateInvalid):
        verify_certificate(altered(token, "name", "Nguyễn Văn Giả"), key.content)
    key_file = tmp_path / f"{province}.pem"
    key_file.write_bytes(key.content)
    cli = CliRunner()
    good = cli.invoke(app, ["verify-certificate", text, "--key", str(key_file)])
    assert good.exit_code == 0 and awardee.name in good.stdout, good.output
    forged_token = altered(token, "decision_number", "999/QĐ-SCT")
    forged = cli.invoke(app, ["verify-certificate", forged_token, "--key", str(key_file)])
    assert forged.exit_code == 1 and "KHÔNG HỢP LỆ" in forged.output

    # Revoked since: the same URL says so.
    department = feed.scenario.code(GIA_LAI)
    await produce_keyed(bootstrap, awards_topic, [revocation(department, awardee.nomination_id)])
    revoked = await eventually(
        lambda: client.get(url, auth=None),
        lambda r: "Đã bị thu hồi" in r.text,
        what="the verification page to show the revocation",
    )
    assert "12/QĐ-SCT ngày 15/02/2019" in revoked.text and "đã bị thu hồi" in revoked.text
    assert "Còn hiệu lực" not in revoked.text
