"""What the read copies answer to a decision (values, no I/O): an initiative, a dossier, an
open campaign. The directory's answers are :class:`rules.Org` and :class:`rules.Issuer`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Initiative:
    initiative_id: str
    unit_id: str
    title: str
    author_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Nomination:
    """A dossier as submitted (a rejection names only the nomination)."""

    nomination_id: str
    department_code: str
    nominee_kind: str
    nominee_id: str
    unit_id: str | None
    title: str
    campaign_id: str | None = None


@dataclass(frozen=True)
class Campaign:
    """A launched campaign: the launch that announced it and its plan as amended."""

    campaign_id: str
    department_code: str
    launch_event_id: str
    plan: dict[str, Any]
    closed: bool = False
