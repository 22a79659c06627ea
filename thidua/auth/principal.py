"""Who is asking (``Principal``, from a verified token's claims) and what they may read.

Roles (realm roles of the identity provider):

- ``board`` (Ban Thi đua - Khen thưởng tỉnh): its whole province (claim ``province``);
- ``ministry`` (Bộ, ngành): its sector, that is its departments in every province (``ministry``);
- ``department`` (Sở): its own department and its units and people only (``department``);
- ``operator``: the operations endpoints (readiness, metrics) and the DLQ tools, no business data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from contracts import topics

ROLES = ("board", "ministry", "department", "operator")
READERS = frozenset({"board", "ministry", "department"})
"""The roles that read business data (some part of it)."""


@dataclass(frozen=True)
class Place:
    """Where a scope sits in the organisation: a province, a ministry, a department (code), a
    unit or person of a department. What is not known is None."""

    kind: str
    id: str
    department: str | None = None
    province: str | None = None
    ministry: str | None = None


class Row(Protocol):
    """A database row (asyncpg's ``Record``) or a mapping."""

    def __getitem__(self, key: str) -> Any: ...


def department_place(kind: str, scope_id: str, row: Row) -> Place:
    """A scope of a department, from a row with its ``department_code``, ``province_id`` and
    ``ministry_id`` (the directory copy each service keeps)."""
    return Place(
        kind,
        scope_id,
        department=row["department_code"],
        province=row["province_id"],
        ministry=row["ministry_id"],
    )


@dataclass(frozen=True)
class Principal:
    subject: str
    username: str
    roles: frozenset[str]
    province: str | None = None
    ministry: str | None = None
    department: str | None = None

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> Principal:
        roles = claims.get("roles")
        if roles is None:  # Keycloak's own claim, when the realm maps no ``roles``
            roles = (claims.get("realm_access") or {}).get("roles", [])
        known = frozenset(str(r) for r in roles if r in ROLES)

        def text(name: str) -> str | None:
            value = claims.get(name)
            return str(value) if isinstance(value, str) and value else None

        return cls(
            subject=str(claims.get("sub", "")),
            username=str(claims.get("preferred_username") or claims.get("sub", "")),
            roles=known,
            province=text("province"),
            ministry=text("ministry"),
            department=text("department"),
        )

    @property
    def reads_data(self) -> bool:
        return bool(self.roles & READERS)

    def may_read(self, place: Place) -> bool:
        """Whether the scope at ``place`` lies inside one of the principal's roles."""
        return (
            ("board" in self.roles and _same(self.province, place.province))
            or ("ministry" in self.roles and _same(self.ministry, place.ministry))
            or ("department" in self.roles and _same(self.department, place.department))
        )

    def may_submit(self, code: str) -> bool:
        """Whether the principal may post events for the department ``code`` (the HTTP door):
        a department's user or system for its own code, a province's board for
        ``<province>-board``. Writing takes an exact scope: the wildcard of a central reader
        (``*``) is no licence to write for everyone."""
        if topics.is_board(code):
            return "board" in self.roles and f"{self.province}{topics.BOARD_SUFFIX}" == code
        return "department" in self.roles and self.department == code

    def describe(self) -> str:
        """The principal in Vietnamese, for a refusal: ``sct-gialai (Sở sct-gialai)``."""
        parts = []
        if "board" in self.roles:
            parts.append(f"Ban Thi đua - Khen thưởng tỉnh {self.province or '?'}")
        if "ministry" in self.roles:
            parts.append(f"Bộ, ngành {self.ministry or '?'}")
        if "department" in self.roles:
            parts.append(f"Sở {self.department or '?'}")
        if "operator" in self.roles:
            parts.append("vận hành")
        return f"{self.username} ({', '.join(parts) or 'không có vai trò'})"


ANYWHERE = "*"
"""A scope claim that covers every province (or ministry, department): the central board's, and
the local tooling account's (``thidua-ops``, which checks any scenario's rollups)."""


def _same(mine: str | None, theirs: str | None) -> bool:
    return mine is not None and theirs is not None and mine in (theirs, ANYWHERE)
