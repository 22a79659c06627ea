"""TLS for the local stack's Kafka: a certificate authority of the stack's own and a broker
certificate it signs, made with ``cryptography`` on first ``stack up`` and kept in
``<state>/tls/`` (keys 0600). Clients trust ``ca.pem`` and check the broker's name against it;
a department's system is given ``ca.pem`` with its client config."""

from __future__ import annotations

import datetime
import ipaddress
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from thidua.security.credentials import ca_file, write_secret

CA_DAYS = 3650
BROKER_DAYS = 825


@dataclass(frozen=True)
class TlsFiles:
    ca: Path
    """The CA certificate (public): what clients trust."""
    keystore: Path
    """The broker's private key (PKCS#8) and certificate chain, PEM (0600)."""


def tls_dir(state_dir: Path) -> Path:
    return ca_file(state_dir).parent


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _pkcs8(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "thidua local stack"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _ensure_ca(directory: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    cert_path, key_path = directory / "ca.pem", directory / "ca.key"
    if cert_path.is_file() and key_path.is_file():
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return cert, key
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("thidua local CA"))
        .issuer_name(_name("thidua local CA"))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    write_secret(key_path, _pkcs8(key).decode())
    cert_path.write_bytes(_pem(cert))
    return cert, key


def _alt_names(hosts: list[str]) -> list[x509.GeneralName]:
    names: list[x509.GeneralName] = []
    for host in dict.fromkeys(hosts):
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    return names


def ensure_certificates(state_dir: Path, hosts: list[str]) -> TlsFiles:
    """The CA (made once) and a broker certificate valid for ``hosts`` (made again when the
    hosts change); idempotent."""
    directory = tls_dir(state_dir)
    directory.mkdir(parents=True, exist_ok=True)
    ca, ca_key = _ensure_ca(directory)
    keystore = directory / "broker.pem"
    recorded = directory / "broker-hosts.json"
    wanted = sorted(set(hosts))
    if keystore.is_file() and recorded.is_file() and json.loads(recorded.read_text()) == wanted:
        return TlsFiles(directory / "ca.pem", keystore)
    key = _key()
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(wanted[0]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=BROKER_DAYS))
        .add_extension(x509.SubjectAlternativeName(_alt_names(wanted)), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage(
                [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    write_secret(keystore, (_pkcs8(key) + _pem(cert) + _pem(ca)).decode())
    recorded.write_text(json.dumps(wanted) + "\n")
    return TlsFiles(directory / "ca.pem", keystore)
