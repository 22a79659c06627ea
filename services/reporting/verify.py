"""Certificates that verify (issue 18): what a certificate (Giấy khen, Bằng khen) attests,
signed with the province's Ed25519 key, so anyone can check a copy offline against the
province's published public key.

- ``CertificateRecord``: exactly what the public verification page shows (title, name, unit,
  decision number and date, issuer) with the certificate's code and the province whose key
  signs it; revocation is not in it (it happens later: the page tells it);
- ``KeyStore``: one key per province, generated on first use into the stack's state directory
  (``<state dir>/secrets/certificates/<province>.pem``, directory 0700, file 0600, never in
  git; ``THIDUA_CERTIFICATE_KEYS_DIR`` names another directory);
- ``sign`` / ``verify_certificate``: the record as a JWT (RFC 7519) signed with EdDSA
  (Ed25519, PyJWT over ``cryptography``), the province in its ``kid`` header. The QR code
  carries ``<public URL>/xac-minh/<code>#<token>``: the page needs only the code, and an
  offline checker reads the token after ``#``.

Offline check: ``thidua verify-certificate <token, QR text or file> --key <province>.pem``
(the key from ``GET /xac-minh/khoa/<province>.pem``), or ``verify_certificate`` from Python.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field

from thidua.settings import StackSettings

ALGORITHM = "EdDSA"
KEY_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
"""A province id that may name a key file (no path, no dot)."""


class CertificateRecord(BaseModel):
    """Thông tin xác minh một giấy khen, bằng khen (what is signed)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(description="Mã xác minh in trên giấy khen, bằng khen.")
    title: str = Field(description="Danh hiệu, hình thức khen thưởng.")
    name: str = Field(description="Họ và tên (cá nhân) hoặc tên tập thể.")
    unit: str | None = Field(description="Đơn vị.")
    decision_number: str = Field(description="Số, ký hiệu quyết định.")
    decision_date: str = Field(description="Ngày quyết định (dd/mm/yyyy).")
    issuer: str = Field(description="Cơ quan ban hành quyết định.")
    province: str = Field(description="Tỉnh có khóa ký (mã tỉnh).")


class CertificateInvalid(ValueError):
    """The signature does not verify (altered, another key) or the token is malformed."""


def keys_dir(settings: StackSettings | None = None) -> Path:
    chosen = os.environ.get("THIDUA_CERTIFICATE_KEYS_DIR")
    if chosen:
        return Path(chosen)
    return (settings or StackSettings()).state_dir / "secrets" / "certificates"


@dataclass
class KeyStore:
    """The provinces' signing keys in ``directory`` (read once per process)."""

    directory: Path = field(default_factory=keys_dir)
    _loaded: dict[str, Ed25519PrivateKey] = field(default_factory=dict)

    def _path(self, province: str) -> Path:
        if not KEY_NAME.match(province):
            raise ValueError(f"not a province id for a key: {province!r}")
        return self.directory / f"{province}.pem"

    def private_key(self, province: str) -> Ed25519PrivateKey:
        """The province's key, generated (atomically: another replica may be at it) the
        first time it is needed."""
        if province in self._loaded:
            return self._loaded[province]
        path = self._path(province)
        if not path.exists():
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # made meanwhile: read that one
            else:
                with os.fdopen(fd, "wb") as out:
                    out.write(pem)
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} holds no Ed25519 key")
        self._loaded[province] = key
        return key

    def public_pem(self, province: str) -> bytes | None:
        """The province's public key (PEM), None if it has signed nothing yet."""
        try:
            path = self._path(province)
        except ValueError:
            return None
        if province not in self._loaded and not path.exists():
            return None
        return public_pem(self.private_key(province).public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def sign(record: CertificateRecord, key: Ed25519PrivateKey) -> str:
    """The record as a compact JWT signed by the province's key."""
    return jwt.encode(
        record.model_dump(), key, algorithm=ALGORITHM, headers={"kid": record.province}
    )


def token_of(text: str) -> str:
    """The token in what was scanned or pasted: a QR's URL (after ``#``) or the token."""
    text = text.strip()
    return text.rsplit("#", 1)[1] if "#" in text else text


def verify_certificate(text: str, public_key: bytes | Ed25519PublicKey) -> CertificateRecord:
    """The record a certificate's token attests, if the province's key signed exactly it;
    ``CertificateInvalid`` otherwise (any altered byte, another province's key)."""
    key: Any = public_key
    if isinstance(public_key, bytes):
        key = serialization.load_pem_public_key(public_key)
    if not isinstance(key, Ed25519PublicKey):
        raise CertificateInvalid("khóa công khai không phải khóa Ed25519")
    try:
        claims = jwt.decode(token_of(text), key, algorithms=[ALGORITHM])
        return CertificateRecord.model_validate(claims)
    except (jwt.InvalidTokenError, ValueError) as bad:
        raise CertificateInvalid(f"chữ ký không hợp lệ: {bad}") from None


def verify_file(source: str, key_file: Path) -> CertificateRecord:
    """``thidua verify-certificate``: ``source`` is a token, a QR's text, or a file holding
    one."""
    return verify_certificate(_read_if_file(source), key_file.read_bytes())


def _read_if_file(source: str) -> str:
    try:
        path = Path(source)
        return path.read_text() if path.is_file() else source
    except OSError:  # a token is no file name (too long for one)
        return source
