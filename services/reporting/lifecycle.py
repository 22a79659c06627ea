"""The 2025 restructuring in reporting (issue 16), pure: which events change an organisation,
the row each one leaves in the model (``reporting_lifecycle``), and what the queries read back
from those rows: the mergers of one kind as a :class:`~thidua.es.succession.Successions` (the
one resolver every service shares), names on a date, and the Vietnamese labels ("đã hợp nhất
vào tỉnh Cà Mau từ ngày 01/07/2025", "gồm tỉnh Bạc Liêu cũ").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import NamedTuple

from contracts import registration as rg
from contracts.base import EventData
from thidua.es.succession import Merger, Successions, cite


class Lifecycle(NamedTuple):
    """One dated change of an organisation (issue 16), by the event that made it: a ministry,
    a province or a department ``renamed`` (``name``), ``merged`` into ``into_code`` or
    ``dissolved``; a unit or a campaign ``transferred`` from ``from_code`` to ``into_code``
    (departments). Rows are keyed by event id, so the table is the set of such events."""

    event_id: str
    kind: str
    code: str
    change: str
    effective_on: date
    into_code: str | None
    from_code: str | None
    name: str | None
    basis: str | None


CHANGES: tuple[type[EventData], ...] = (
    rg.MinistryRenamed,
    rg.MinistryMerged,
    rg.MinistryDissolved,
    rg.ProvinceRenamed,
    rg.ProvinceMerged,
    rg.ProvinceDissolved,
    rg.DepartmentRenamed,
    rg.DepartmentMerged,
    rg.DepartmentDissolved,
    rg.UnitTransferred,
    rg.CampaignTransferred,
)
"""The events that change an organisation or move a unit or a campaign to a successor."""

ORG_KINDS = ("ministry", "province", "department")

KIND_WORDS = {"province": "tỉnh", "ministry": "", "department": ""}
"""The word before an organisation's name in running text: "tỉnh Cà Mau"; a ministry's and a
department's names carry their own ("Bộ Tài chính", "Sở Công Thương Cà Mau")."""


def change_of(event_id: str, p: EventData) -> Lifecycle | None:
    """The model's row for one lifecycle event (None for any other event)."""
    basis = cite(getattr(p, "legal_basis", None))
    if isinstance(p, rg.UnitTransferred | rg.CampaignTransferred):
        kind = "unit" if isinstance(p, rg.UnitTransferred) else "campaign"
        code = p.unit_id if isinstance(p, rg.UnitTransferred) else p.campaign_id
        return Lifecycle(
            event_id, kind, code, "transferred", p.effective_on, p.to_department_code,
            p.from_department_code, None, None,
        )  # fmt: skip
    if isinstance(p, rg.MinistryChange):
        kind, code = "ministry", p.ministry_id
    elif isinstance(p, rg.ProvinceChange):
        kind, code = "province", p.province_id
    elif isinstance(p, rg.DepartmentChange):
        kind, code = "department", p.department_code
    else:
        return None
    into: str | None = None
    name: str | None = None
    if isinstance(p, rg.MinistryMerged):
        change, into = "merged", p.into_ministry_id
    elif isinstance(p, rg.ProvinceMerged):
        change, into = "merged", p.into_province_id
    elif isinstance(p, rg.DepartmentMerged):
        change, into = "merged", p.into_department_code
    elif isinstance(p, rg.MinistryRenamed | rg.ProvinceRenamed | rg.DepartmentRenamed):
        change, name = "renamed", p.name
    else:
        change = "dissolved"
    return Lifecycle(event_id, kind, code, change, p.effective_on, into, None, name, basis)


def successions(rows: Iterable[Lifecycle], kind: str) -> Successions:
    """The mergers of one kind of organisation, in a fixed order (date, then event id) so the
    answer never depends on the order the events arrived in."""
    merged = sorted(
        (r for r in rows if r.kind == kind and r.change == "merged" and r.into_code),
        key=lambda r: (r.effective_on, r.event_id),
    )
    return Successions([Merger(r.code, r.into_code or "", r.effective_on, r.basis) for r in merged])


def dissolved_on(rows: Iterable[Lifecycle], kind: str, code: str) -> date | None:
    days = [r.effective_on for r in rows if (r.kind, r.code, r.change) == (kind, code, "dissolved")]
    return min(days) if days else None


def name_on(rows: Iterable[Lifecycle], kind: str, code: str, registered: str, day: date) -> str:
    """The name in force on ``day``: the latest rename effective by then, else the registered
    name (the name before any rename)."""
    renames = sorted(
        (r.effective_on, r.event_id, r.name or registered)
        for r in rows
        if (r.kind, r.code, r.change) == (kind, code, "renamed") and r.effective_on <= day
    )
    return renames[-1][2] if renames else registered


def in_running_text(kind: str, name: str) -> str:
    """``tỉnh Cà Mau``; a ministry's or a department's own name."""
    word = KIND_WORDS.get(kind, "")
    return f"{word} {name}" if word else name


def merged_label(kind: str, successor_name: str, on: date) -> str:
    """ "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"."""
    return f"đã hợp nhất vào {in_running_text(kind, successor_name)} từ ngày {on:%d/%m/%Y}"


def former_label(kind: str, name: str) -> str:
    """ "gồm tỉnh Bạc Liêu cũ": the column saying which former organisation a figure came from."""
    return f"gồm {in_running_text(kind, name)} cũ"


def transfers_on(rows: Iterable[Lifecycle], kind: str, day: date) -> dict[str, str]:
    """Each unit (or campaign) transferred by ``day``: the department it belongs to then."""
    latest: dict[str, tuple[date, str, str]] = {}
    for r in rows:
        if r.kind == kind and r.change == "transferred" and r.effective_on <= day and r.into_code:
            seen = latest.get(r.code)
            if seen is None or (r.effective_on, r.event_id) > seen[:2]:
                latest[r.code] = (r.effective_on, r.event_id, r.into_code)
    return {code: v[2] for code, v in latest.items()}


def names(
    rows: Mapping[str, str], kind: str, lifecycle: Iterable[Lifecycle], day: date
) -> dict[str, str]:
    """The names of ``rows`` (code → registered name) in force on ``day``."""
    changes = list(lifecycle)
    return {code: name_on(changes, kind, code, name, day) for code, name in rows.items()}
