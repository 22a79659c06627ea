"""What the rollups must show once a scenario is absorbed, computed from the scenario.

One :class:`Expectation` per department; a province's or a ministry's is the sum of its
departments' (:meth:`Expectation.merged`).

The generator records each outcome as it decides it (registered on time or refused, dossier on
time or returned, vote above or below 80%, title granted or refused), so this never asks the
system; comparing it with ``GET /rollups/province/<id>?year=Y`` checks the whole pipeline.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

BASE_SALARY_VND = 1_390_000  # NĐ 72/2018/NĐ-CP: in force on every decision date of 2018-H2
COEFFICIENT = {
    "LDTT": Decimal("0.3"),
    "CSTDCS": Decimal("1.0"),
    "TTLDTT": Decimal("0.8"),
    "CSTD_BO_TINH": Decimal("3.0"),  # the provincial board's (issue 17)
    "CO_THI_DUA": Decimal("8.0"),
}


class Outcome(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


def cash_for(title: str) -> int:
    amount = COEFFICIENT[title] * BASE_SALARY_VND
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass
class Expectation:
    staff: dict[str, int] = field(default_factory=dict)
    registrations: Counter[str] = field(default_factory=Counter)
    initiatives_submitted: Counter[str] = field(default_factory=Counter)
    initiatives_recognized: Counter[tuple[str, str]] = field(default_factory=Counter)
    initiatives_rejected: Counter[str] = field(default_factory=Counter)
    dossiers: Counter[str] = field(default_factory=Counter)
    nominations: defaultdict[str, Counter[str]] = field(
        default_factory=lambda: defaultdict(Counter)
    )
    awards: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    campaigns: list[str] = field(default_factory=list)
    conferences: Counter[str] = field(default_factory=Counter)
    """Conferences held by kind|level, and (keys ``delegates``, ``exemplary``, ``guests``,
    ``reported_on_time``, ``reported_late``) their delegates and reports (issue 17)."""
    economy: dict[tuple[str, str], tuple[Decimal, Decimal]] = field(default_factory=dict)
    """(indicator, unit) → (target, actual) summed over the departments that reported it
    (issue 17: a province sums like indicators in like units)."""
    processing: defaultdict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    """Issue 17: title → the processing days of each dossier decided (reception → decision)."""
    votes: defaultdict[str, list[tuple[bool, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    """Issue 17: title → (reached the threshold, yes share in per mille) of each council vote."""
    direct_worker_awards: int = 0

    @classmethod
    def merged(cls, parts: Iterable[Expectation]) -> Expectation:
        """The expectation of a scope made of these (a province's or a ministry's departments):
        the rollup of a scope adds up its departments' figures."""
        total = cls()
        for part in parts:
            for name, value in part.staff.items():
                total.staff[name] = total.staff.get(name, 0) + value
            total.registrations.update(part.registrations)
            total.initiatives_submitted.update(part.initiatives_submitted)
            total.initiatives_recognized.update(part.initiatives_recognized)
            total.initiatives_rejected.update(part.initiatives_rejected)
            total.dossiers.update(part.dossiers)
            for title, counts in part.nominations.items():
                total.nominations[title].update(counts)
            for title, counts in part.awards.items():
                total.awards[title].update(counts)
            total.campaigns += part.campaigns
            total.conferences.update(part.conferences)
            for key, (target, actual) in part.economy.items():
                total.economic(*key, target, actual)
            for title, days in part.processing.items():
                total.processing[title] += days
            for title, results in part.votes.items():
                total.votes[title] += results
            total.direct_worker_awards += part.direct_worker_awards
        return total

    def conference(self, key: str, delegates: int, exemplary: int, guests: int) -> None:
        """A conference held (``kind|level``) with its delegates."""
        self.conferences[f"held:{key}"] += 1
        self.conferences["delegates"] += delegates
        self.conferences["exemplary"] += exemplary
        self.conferences["guests"] += guests

    def conference_reported(self, *, on_time: bool) -> None:
        self.conferences["reported_on_time" if on_time else "reported_late"] += 1

    def economic(self, indicator: str, unit: str, target: Decimal, actual: Decimal) -> None:
        """A department reported ``actual`` against its plan's ``target``."""
        before = self.economy.get((indicator, unit), (Decimal(0), Decimal(0)))
        self.economy[(indicator, unit)] = (before[0] + target, before[1] + actual)

    def nomination(self, title: str, outcome: Outcome) -> None:
        self.nominations[title][outcome.value] += 1

    def award(self, title: str, sex: str | None, leader: bool | None) -> None:
        """A title granted: to a person (``sex``, ``leader``) or to a collective (None)."""
        self.nomination(title, Outcome.APPROVED)
        got = self.awards[title]
        got["count"] += 1
        got["cash_vnd"] += cash_for(title)
        if sex is None:
            got["collectives"] += 1
            return
        got["individuals"] += 1
        got["women"] += sex == "female"
        got["non_leaders"] += not leader

    def figures(self) -> dict[str, Any]:
        """The expected part of the rollup, shaped as the API returns it."""
        awards = [
            {
                "title": title,
                "count": got["count"],
                "individuals": got["individuals"],
                "collectives": got["collectives"],
                "women": got["women"],
                "non_leaders": got["non_leaders"],
                "revoked": 0,
                "cash_vnd": got["cash_vnd"],
            }
            for title, got in sorted(self.awards.items())
        ]
        return {
            "staff": dict(self.staff),
            "registrations": {
                k: self.registrations[k]
                for k in (
                    "units",
                    "units_on_time",
                    "individuals",
                    "individuals_on_time",
                    "individuals_women",
                )
            },
            "initiatives": {
                "submitted": dict(sorted(self.initiatives_submitted.items())),
                "recognized": _recognized(self.initiatives_recognized),
                "rejected": dict(sorted(self.initiatives_rejected.items())),
            },
            "nominations": {
                title: {status: n for status, n in sorted(counts.items()) if n}
                for title, counts in sorted(self.nominations.items())
            },
            "dossiers": {
                k: self.dossiers[k]
                for k in ("received", "late", "late_override", "returned", "returned_late")
            },
            "awards": awards,
            "cash_vnd": sum(a["cash_vnd"] for a in awards),
            "conferences": self._conferences(),
            "economy": [
                {
                    "indicator": indicator,
                    "unit_of_measure": unit,
                    "target": target,
                    "actual": actual,
                    "attained_percent": (actual * 100 / target).quantize(
                        Decimal("0.01"), ROUND_HALF_UP
                    ),
                }
                for (indicator, unit), (target, actual) in sorted(self.economy.items())
            ],
            **self._board_figures(),
        }

    def _conferences(self) -> dict[str, Any]:
        c = self.conferences
        held = {k.removeprefix("held:"): n for k, n in sorted(c.items()) if k.startswith("held:")}
        reported = c["reported_on_time"] + c["reported_late"]
        share = None
        if c["delegates"]:
            share = (Decimal(c["exemplary"]) * 100 / c["delegates"]).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        return {
            "held": {k: n for k, n in held.items() if n},
            "delegates": c["delegates"],
            "exemplary_delegates": c["exemplary"],
            "guest_delegates": c["guests"],
            "exemplary_share_percent": share,
            "reports_on_time": c["reported_on_time"],
            "reports_late": c["reported_late"],
            "reports_outstanding": sum(held.values()) - reported,
        }

    def _board_figures(self) -> dict[str, Any]:
        """Issue 17: processing days, vote results, direct workers' awards."""
        return {
            "processing_days": [
                {
                    "title": title,
                    "dossiers": len(days),
                    "average_days": _tenth(sum(days), len(days)),
                    "max_days": max(days),
                }
                for title, days in sorted(self.processing.items())
                if days
            ],
            "votes": [
                {
                    "title": title,
                    "voted": len(results),
                    "reached": sum(r for r, _ in results),
                    "below": sum(not r for r, _ in results),
                    "average_yes_percent": _tenth(sum(p for _, p in results), len(results) * 10),
                }
                for title, results in sorted(self.votes.items())
                if results
            ],
            "direct_worker_awards": self.direct_worker_awards,
        }


def _tenth(numerator: int, denominator: int) -> str:
    """A quotient as the API writes it (one decimal, half up)."""
    quotient = Decimal(numerator) / denominator
    return str(quotient.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _recognized(counts: Counter[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "level": level, "count": n} for (kind, level), n in sorted(counts.items())
    ]


def observed(rollup: dict[str, Any]) -> dict[str, Any]:
    """The same part of an actual rollup (the JSON of the reporting API)."""
    keys = ("staff", "registrations", "dossiers")
    expected_keys = Expectation().figures()
    expected_keys["staff"] = dict.fromkeys(("staff", "women", "leaders", "non_leaders", "units"))
    out: dict[str, Any] = {k: {f: rollup.get(k, {}).get(f) for f in expected_keys[k]} for k in keys}
    initiatives = rollup.get("initiatives", {})
    out["initiatives"] = {
        "submitted": dict(sorted(initiatives.get("submitted", {}).items())),
        "recognized": sorted(
            (
                {"kind": r["kind"], "level": r["level"], "count": r["count"]}
                for r in initiatives.get("recognized", [])
                if r["count"]
            ),
            key=lambda r: (r["kind"], r["level"]),
        ),
        "rejected": dict(sorted(initiatives.get("rejected", {}).items())),
    }
    out["nominations"] = {
        title: {status: n for status, n in sorted(counts.items()) if n}
        for title, counts in sorted(rollup.get("nominations", {}).items())
    }
    award_keys = ("title", "count", "individuals", "collectives", "women", "non_leaders")
    out["awards"] = [
        {
            **{k: a.get(k) for k in award_keys},
            "revoked": a.get("revoked"),
            "cash_vnd": a.get("cash_vnd"),
        }
        for a in sorted(rollup.get("awards", []), key=lambda a: str(a.get("title")))
    ]
    out["cash_vnd"] = rollup.get("cash_vnd")
    conferences = dict(rollup.get("conferences", {}))
    out["conferences"] = {k: conferences.get(k) for k in Expectation()._conferences()}
    share = conferences.get("exemplary_share_percent")
    out["conferences"]["exemplary_share_percent"] = (
        None if share is None else Decimal(str(share)).quantize(Decimal("0.01"))
    )
    out["conferences"]["held"] = {k: n for k, n in sorted(conferences.get("held", {}).items()) if n}
    economy = rollup.get("economy") or {}
    # The API's totals; an expectation's own figures read back as a rollup are already those.
    totals = economy.get("totals", []) if isinstance(economy, dict) else economy
    out["economy"] = [
        {
            "indicator": t.get("indicator"),
            "unit_of_measure": t.get("unit_of_measure"),
            **{k: _decimal(t.get(k)) for k in ("target", "actual", "attained_percent")},
        }
        for t in sorted(
            totals, key=lambda t: (str(t.get("indicator")), str(t.get("unit_of_measure")))
        )
        if t.get("reported", 1)
    ]
    out["processing_days"] = [
        {k: p.get(k) for k in ("title", "dossiers", "average_days", "max_days")}
        for p in rollup.get("processing_days", [])
    ]
    out["votes"] = [
        {k: v.get(k) for k in ("title", "voted", "reached", "below", "average_yes_percent")}
        for v in rollup.get("votes", [])
    ]
    out["direct_worker_awards"] = rollup.get("direct_worker_awards")
    return out


def _decimal(value: Any) -> Decimal | None:
    """The API's decimals are JSON strings (or numbers): compared as numbers."""
    return None if value is None else Decimal(str(value))


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where ``actual`` differs from ``expected`` (dotted paths), empty when they agree."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual), key=str):
            out += differences(expected.get(key), actual.get(key), f"{path}.{key}".lstrip("."))
        return out
    if expected != actual:
        return [f"{path}: expected {expected!r}, got {actual!r}"]
    return []
