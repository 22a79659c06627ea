"""Kafka passwords of the local stack: drawn at random on first use, kept one per file under
``<state>/secrets/kafka/`` (directory 0700, files 0600), never in code or in git."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

ADMIN = "admin"
"""The stack's super user (``super.users=User:admin``): provisioning, tools and tests."""


def secrets_dir(state_dir: Path) -> Path:
    return state_dir / "secrets" / "kafka"


def ca_file(state_dir: Path) -> Path:
    """The local stack's CA certificate (``thidua.security.tls``), which clients trust."""
    return state_dir / "tls" / "ca.pem"


def password_file(state_dir: Path, username: str) -> Path:
    return secrets_dir(state_dir) / f"{username}.password"


def new_password() -> str:
    """256 random bits, URL-safe: no quote, space or bracket to escape in a JAAS line, a
    properties file or ``kafka-storage format --add-scram``."""
    return secrets.token_urlsafe(32)


def write_secret(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, atomically (a reader sees the old
    file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(path.parent, 0o700)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        draft.unlink()
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(text)
    os.replace(draft, path)


def read_password(state_dir: Path, username: str) -> str | None:
    path = password_file(state_dir, username)
    return path.read_text().strip() if path.is_file() else None


def ensure_password(state_dir: Path, username: str) -> str:
    """The principal's password, drawn and kept on first use (the nodes of a cluster prepare
    at once: the first to link its draft wins, the others read it)."""
    found = read_password(state_dir, username)
    if found:
        return found
    target = password_file(state_dir, username)
    draft = target.with_name(f".{target.name}.draft.{os.getpid()}.{secrets.token_hex(4)}")
    write_secret(draft, new_password() + "\n")
    with contextlib.suppress(FileExistsError):
        os.link(draft, target)
    draft.unlink()
    return target.read_text().strip()


def replace_password(state_dir: Path, username: str) -> str:
    """A new password for the principal (rotation), kept in place of the old one."""
    password = new_password()
    write_secret(password_file(state_dir, username), password + "\n")
    return password


def forget_password(state_dir: Path, username: str) -> None:
    password_file(state_dir, username).unlink(missing_ok=True)
