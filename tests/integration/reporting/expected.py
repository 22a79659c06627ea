"""Figures of the reporting scenario computed from its inputs, without the service's code."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from contracts import registration as rg
from tests.integration.reporting.scenario import Feed


def pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return Decimal(Fraction(part * 100, whole).numerator) / Decimal(
        Fraction(part * 100, whole).denominator
    )


def q2(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def expected(feed: Feed, departments: set[str], as_of: date | None) -> dict[str, Any]:
    """The figures of a scope in 2018, from the inputs, without the service's code."""
    on = min(date(2018, 12, 31), as_of) if as_of else date(2018, 12, 31)
    until = as_of or date.max

    def by(day: str) -> bool:
        return date.fromisoformat(day) <= until

    staff = [p for p, (d, _, _) in feed.people.items() if d in departments]
    women = sum(1 for p in staff if feed.people[p][1] == "female")
    leaders = {p for p in staff if feed.people[p][2]}
    units = 0
    for dept in departments:
        for fact in feed.scenario.directory[dept]:
            if isinstance(fact, rg.UnitEstablished) and fact.kind.value in (
                "section",
                "attached_unit",
            ):
                units += 1
    payloads = [e.payload() for _, e in feed.registration]
    in_scope = [p for p in payloads if getattr(p, "department_code", None) in departments]
    registered = [
        p for p in in_scope if isinstance(p, rg.IndividualRegistered) and p.registered_on <= until
    ]
    withdrawn = {
        p.registrant_id
        for p in in_scope
        if isinstance(p, rg.RegistrationWithdrawn) and p.withdrawn_on <= until
    }
    individuals = [p.person_id for p in registered if p.person_id not in withdrawn]
    unit_regs = [
        p for p in in_scope if isinstance(p, rg.UnitRegistered) and p.registered_on <= until
    ]
    awarded: Counter[str] = Counter()
    awarded_women: Counter[str] = Counter()
    awarded_non_leaders: Counter[str] = Counter()
    revoked: Counter[str] = Counter()
    cash = 0
    for award in feed.approvals:
        if award.department not in departments or not by(award.decided):
            continue
        if award.revoked_on and by(award.revoked_on):
            revoked[award.title] += 1
            continue
        awarded[award.title] += 1
        cash += award.cash
        if award.nominee_kind == "individual":
            if feed.people[award.nominee][1] == "female":
                awarded_women[award.title] += 1
            if award.nominee not in leaders:
                awarded_non_leaders[award.title] += 1
    statuses: dict[str, tuple[str, str]] = {}
    received = late = returned = 0
    reasons: Counter[str] = Counter()
    for _, event in feed.awards:
        data = event.data
        nid = data["nomination_id"]
        dated = {
            "vn.thidua.awards.NominationSubmitted.v1": ("received_on", "submitted"),
            "vn.thidua.awards.NominationApproved.v1": ("decision_date", "approved"),
            "vn.thidua.awards.NominationReturned.v1": ("returned_on", "returned"),
            "vn.thidua.awards.NominationRejected.v1": ("rejected_on", "rejected"),
            "vn.thidua.awards.AwardRevoked.v1": ("revoked_on", "revoked"),
        }[event.type]
        if not by(data[dated[0]]):
            continue
        if dated[1] == "submitted":
            if data["department_code"] not in departments:
                continue
            statuses[nid] = (data["title"], "submitted")
            received += 1
            if data["campaign_id"] and data["received_on"] > "2018-12-10":
                late += 1
        elif nid in statuses:
            statuses[nid] = (statuses[nid][0], dated[1])
            if dated[1] == "returned":
                returned += 1
                reasons.update(r["code"] for r in data["reasons"])
    nominations: dict[str, dict[str, int]] = defaultdict(dict)
    for title, status in statuses.values():
        nominations[title][status] = nominations[title].get(status, 0) + 1
    return {
        "staff": (len(staff), women, len(leaders), len(staff) - len(leaders), units),
        "registrations": (
            len(unit_regs),
            len(individuals),
            sum(1 for p in individuals if feed.people[p][1] == "female"),
        ),
        "awarded": dict(awarded),
        "awarded_women": dict(awarded_women),
        "awarded_non_leaders": dict(awarded_non_leaders),
        "revoked": dict(revoked),
        "cash": cash,
        "nominations": {t: dict(s) for t, s in nominations.items()},
        "dossiers": (received, late, returned, dict(reasons)),
        "on": on,
    }
