"""Facts and their lines: what one event adds to which counters (pure, no I/O).

A *fact* is the part of one event that reporting counts, frozen when the event is applied
(``kind``, dates, the ids it refers to, ``sign`` = -1 for a revocation or a withdrawal). Its
*lines* are the deltas it contributes to the pre-aggregated counters: one per (scope, campaign,
period, figure, key). Lines depend on the fact and on the dimensions known at the time
(department → province and ministry, the campaign's year, phases and deadlines, the person's
sex and leader flag); when a dimension arrives or changes, the projection recomputes the lines
of the facts that refer to it, so the read model does not depend on the order in which
partitions and topics are delivered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, NamedTuple

ALL_CAMPAIGNS = "*"
NO_ATTRS: Mapping[str, Any] = MappingProxyType({})
"""The attrs of a fact made without any (read-only: a fact is final once made)."""

SCOPE_KINDS = ("unit", "department", "province", "ministry")
PERIOD_KINDS = ("year", "half", "phase")


@dataclass(frozen=True)
class PhaseDim:
    number: int
    start: date
    end: date


@dataclass(frozen=True)
class CampaignDim:
    """What reporting needs of a campaign (phong trào): its year, phases and deadlines."""

    campaign_id: str
    year: int
    phases: Sequence[PhaseDim] = ()
    registration_deadline: date | None = None
    dossier_deadline: date | None = None
    period_end: date | None = None


class PersonDim(NamedTuple):
    """A person's sex, and leader flag as of the fact's reference date."""

    sex: str
    is_leader: bool
    is_direct_worker: bool = False
    """Người trực tiếp lao động, sản xuất, công tác (issue 17: their share of the awards)."""


class Dims(NamedTuple):
    province_id: str | None = None
    ministry_id: str | None = None
    campaign: CampaignDim | None = None
    person: PersonDim | None = None


class Fact(NamedTuple):
    """One event as reporting counts it. ``attrs`` holds the kind-specific fields, read-only
    (a fact is final once recorded: a changed fact is a new one, ``_replace``). A named tuple:
    a replay makes one per counted event, in a third of a frozen dataclass's time."""

    event_id: str
    kind: str
    effective_on: date
    department_code: str | None = None
    unit_id: str | None = None
    person_id: str | None = None
    campaign_id: str | None = None
    year: int | None = None
    sign: int = 1
    attrs: Mapping[str, Any] = NO_ATTRS


@dataclass(frozen=True)
class Line:
    """A delta on one counter, caused by one fact."""

    scope_kind: str
    scope_id: str
    campaign_id: str
    period_kind: str
    period_id: str
    figure: str
    key: str
    count: int
    amount: int = 0

    @property
    def counter_key(self) -> tuple[str, str, str, str, str, str, str]:
        return (
            self.scope_kind,
            self.scope_id,
            self.campaign_id,
            self.period_kind,
            self.period_id,
            self.figure,
            self.key,
        )


# --- periods ---------------------------------------------------------------------------------


def half_of(day: date) -> str:
    """The calendar half-year of a date: ``2018-H1`` (01/01-30/06) or ``2018-H2``."""
    return f"{day.year}-H{1 if day.month <= 6 else 2}"


def phase_of(day: date, phases: Iterable[PhaseDim]) -> int | None:
    """The number of the campaign phase (đợt) containing ``day``, if any."""
    for phase in phases:
        if phase.start <= day <= phase.end:
            return phase.number
    return None


def year_of(fact: Fact, campaign: CampaignDim | None) -> int:
    """The reporting year: the fact's own year (nominations, awards), else its campaign's year,
    else the year of its effective date."""
    if fact.year is not None:
        return fact.year
    if campaign is not None:
        return campaign.year
    return fact.effective_on.year


def on_time(registered_on: date, campaign: CampaignDim | None) -> bool | None:
    """Registered by the plan's deadline (else by the end of its period); None if unknown."""
    if campaign is None:
        return None
    deadline = campaign.registration_deadline or campaign.period_end
    return True if deadline is None else registered_on <= deadline


def dossier_late(received_on: date, campaign: CampaignDim | None) -> bool:
    if campaign is None or campaign.dossier_deadline is None:
        return False
    return received_on > campaign.dossier_deadline


# --- figures of one fact ---------------------------------------------------------------------


def figures_of(fact: Fact, dims: Dims) -> list[tuple[str, str, int, int]]:
    """(figure, key, count, amount) the fact contributes, before scopes and periods."""
    a = fact.attrs
    s = fact.sign
    out: list[tuple[str, str, int, int]] = []
    person = dims.person
    if fact.kind in ("unit_registration", "individual_registration"):
        who = "units" if fact.kind == "unit_registration" else "individuals"
        out.append((f"registrations.{who}", "", s, 0))
        if on_time(date.fromisoformat(a["registered_on"]), dims.campaign):
            out.append((f"registrations.{who}_on_time", "", s, 0))
        if fact.kind == "individual_registration" and person and person.sex == "female":
            out.append(("registrations.individuals_women", "", s, 0))
    elif fact.kind == "initiative_submitted":
        out.append(("initiatives.submitted", a["initiative_kind"], s, 0))
    elif fact.kind == "initiative_recognized":
        out.append(("initiatives.recognized", f"{a['initiative_kind']}|{a['level']}", s, 0))
    elif fact.kind == "initiative_rejected":
        out.append(("initiatives.rejected", a["initiative_kind"], s, 0))
    elif fact.kind == "dossier_received":
        out.append(("dossiers.received", a["title"], s, 0))
        if dossier_late(date.fromisoformat(a["received_on"]), dims.campaign):
            out.append(("dossiers.late", a["title"], s, 0))
        if a.get("late_override"):
            out.append(("dossiers.late_override", a["title"], s, 0))
    elif fact.kind == "dossier_returned":
        out.append(("dossiers.returned", a["title"], s, 0))
        if a.get("late"):
            out.append(("dossiers.returned_late", a["title"], s, 0))
        out.extend(("dossiers.return_reasons", code, s, 0) for code in a.get("reasons", []))
    elif fact.kind == "award":
        title = a["title"]
        detail = f"{title}|{a['nominee_kind']}|{a['method']}|{a['authority']}"
        out.append(("awards", detail, s, s * int(a["cash_vnd"])))
        if a["nominee_kind"] == "individual" and person is not None:
            if person.sex == "female":
                out.append(("awards.women", title, s, 0))
            if not person.is_leader:
                out.append(("awards.non_leaders", title, s, 0))
            if person.is_direct_worker:
                out.append(("awards.direct_workers", title, s, 0))
        if s < 0:
            out.append(("awards.revoked", title, 1, 0))
    elif fact.kind == "campaign_launched":
        out.append(("campaigns.launched", f"{a['launching_level']}|{a['campaign_kind']}", s, 0))
        out.append(("campaigns.duration", a["duration"], s, 0))
    elif fact.kind == "exemplary_model":
        out.append(("exemplary_models", a["subject_kind"], s, 0))
    elif fact.kind == "discipline":
        out.append(("discipline", a["level"], s, 0))
    elif fact.kind == "rating":
        out.append(("ratings", f"{a['subject_kind']}|{a['rating']}", s, 0))
    elif fact.kind == "research":
        out.append(("research.accepted", a["level"], s, 0))
    elif fact.kind == "conference":
        key = f"{a['conference_kind']}|{a['level']}"
        out.append(("conferences", key, s, s * a["delegates"]))
        out.append(("conferences.exemplary", key, s, s * a.get("exemplary", 0)))
        out.append(("conferences.guests", key, s, s * a.get("guests", 0)))
    elif fact.kind == "conference_report":  # issue 17: on time when by the conference's due
        when = "on_time" if a["reported_on"] <= a["report_due"] else "late"
        out.append((f"conferences.reported_{when}", f"{a['conference_kind']}|{a['level']}", s, 0))
    elif fact.kind == "vote":
        outcome = "reached" if a["reached"] else "below"
        out.append(("votes", f"{a['title']}|{outcome}", s, s * a["yes_permille"]))
    elif fact.kind == "tally":  # a withdrawal, a lifted discipline, an award flagged for review
        out.append((a["figure"], a["key"], s, 0))
    if "processing_days" in a and s > 0:  # a revocation does not undo the processing
        days = a["processing_days"]
        out.append(("dossiers.processing_days", f"{a['title']}|{days}", 1, days))
    if "status_to" in a:
        title = a["title"]
        out.append(("nominations", f"{title}|{a['status_to']}", 1, 0))
        if a.get("status_from"):
            out.append(("nominations", f"{title}|{a['status_from']}", -1, 0))
    return out


def scopes_of(fact: Fact, dims: Dims) -> list[tuple[str, str]]:
    scopes: list[tuple[str, str]] = []
    if fact.unit_id:
        scopes.append(("unit", fact.unit_id))
    if fact.department_code:
        scopes.append(("department", fact.department_code))
    if dims.province_id:
        scopes.append(("province", dims.province_id))
    if dims.ministry_id:
        scopes.append(("ministry", dims.ministry_id))
    return scopes


class Placement(NamedTuple):
    """When and for which campaign a fact counts: its reporting year, the half-year of its
    date, its campaign and the campaign's phase containing its date."""

    year: str
    half: str
    campaign_id: str | None = None
    phase: str | None = None

    def periods(self) -> list[tuple[str, str, str]]:
        """(campaign, period kind, period id) of every counter the fact moves: all campaigns
        per year and half-year; its own campaign per year, half-year and phase."""
        out = [(ALL_CAMPAIGNS, "year", self.year), (ALL_CAMPAIGNS, "half", self.half)]
        if self.campaign_id:
            out += [(self.campaign_id, "year", self.year), (self.campaign_id, "half", self.half)]
            if self.phase is not None:
                out.append((self.campaign_id, "phase", self.phase))
        return out


def placement_of(fact: Fact, dims: Dims) -> Placement:
    campaign = dims.campaign
    phase = phase_of(fact.effective_on, campaign.phases) if campaign else None
    return Placement(
        str(year_of(fact, campaign)),
        half_of(fact.effective_on),
        fact.campaign_id,
        str(phase) if phase is not None and fact.campaign_id else None,
    )


@dataclass(frozen=True)
class ScopedFigure:
    """What a fact adds to one figure of one scope, before periods and campaigns."""

    scope_kind: str
    scope_id: str
    figure: str
    key: str
    count: int
    amount: int = 0

    def lines(self, placement: Placement) -> list[Line]:
        return [
            Line(self.scope_kind, self.scope_id, camp, pkind, pid, self.figure, self.key,
                 self.count, self.amount)
            for camp, pkind, pid in placement.periods()
        ]  # fmt: skip


def scoped_figures(fact: Fact, dims: Dims) -> list[ScopedFigure]:
    """Each figure of ``fact`` in each scope it belongs to."""
    figures = figures_of(fact, dims)
    return [
        ScopedFigure(scope_kind, scope_id, figure, key, count, amount)
        for scope_kind, scope_id in (scopes_of(fact, dims) if figures else [])
        for figure, key, count, amount in figures
    ]


def lines_for(fact: Fact, dims: Dims) -> list[Line]:
    """Every counter delta of ``fact``: each figure in each scope, for all campaigns and for its
    campaign, per year, half-year and (its campaign only) the phase containing its date."""
    placement = placement_of(fact, dims)
    return [line for sf in scoped_figures(fact, dims) for line in sf.lines(placement)]
