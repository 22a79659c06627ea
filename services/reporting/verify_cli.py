"""``thidua verify-certificate``: check a certificate offline against its province's key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from services.reporting.verify import CertificateInvalid, verify_file


def verify_certificate_command(
    source: Annotated[
        str,
        typer.Argument(
            help="The QR code's text (the URL with #token), the token, or a file holding one."
        ),
    ],
    key: Annotated[
        Path,
        typer.Option(
            "--key",
            exists=True,
            dir_okay=False,
            help="The province's public key (GET /xac-minh/khoa/<province>.pem).",
        ),
    ],
) -> None:
    """Verify a certificate's signature offline; exit 1 if it does not verify."""
    try:
        record = verify_file(source, key)
    except CertificateInvalid as bad:
        typer.echo(f"KHÔNG HỢP LỆ: {bad}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"Chữ ký hợp lệ (khóa của tỉnh {record.province}).")
    for label, value in (
        ("Mã xác minh", record.code),
        ("Danh hiệu", record.title),
        ("Họ và tên / Tập thể", record.name),
        ("Đơn vị", record.unit or ""),
        ("Quyết định số", record.decision_number),
        ("Ngày", record.decision_date),
        ("Cơ quan ban hành", record.issuer),
    ):
        typer.echo(f"{label}: {value}")
