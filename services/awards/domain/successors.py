"""Who speaks for a department on a day, as awards knows it (issue 16, DOMAIN.md §8).

A department merged away stops acting on the merger's date: its successor (the end of its
chain of mergers on that day) decides, votes on and withdraws its pending dossiers from then
on, and nominates its former staff, whose ids, titles and chains never change. A fact dated
before the merger stays the merged-away department's (history may be filed late through its
old channel). A unit (and its people) or a campaign belongs on a day to the department it was
in then: its current one, unless a ``UnitTransferred`` / ``CampaignTransferred`` after that
day moved it. The merger arithmetic itself is the kernel's (``thidua.es.succession``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from thidua.es.rejections import Refused, refuse
from thidua.es.succession import DEPARTMENT_MERGED, Successions, department_merged_message


@dataclass(frozen=True)
class Transfer:
    """A unit or campaign passed from a merged-away department to its successor."""

    effective_on: date
    from_department: str
    to_department: str


@dataclass(frozen=True)
class Departments:
    """The departments' mergers and the names the refusals cite."""

    successions: Successions = field(default_factory=Successions)
    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, code: str) -> str:
        return self.names.get(code) or f"Sở {code}"

    def merged_away(self, code: str, day: date) -> Refused | None:
        """The refusal of a fact of ``day`` sent by ``code`` if it had merged away by then."""
        message = department_merged_message(self.successions, code, day, self.name)
        return None if message is None else refuse(DEPARTMENT_MERGED, message, "department_code")

    def speaks_for(self, sender: str, owner: str, day: date) -> bool:
        """``sender`` acts for what ``owner`` had on ``day``: it is ``owner``, or ``owner`` had
        merged (directly or through others) into it by then."""
        return self.successions.successor(owner, day) == sender

    def in_a_merger(self, code: str) -> bool:
        """Whether ``code`` merged away or absorbed another (only then can a transfer matter)."""
        return self.successions.merger(code) is not None or bool(
            self.successions.predecessors(code)
        )


def department_on(current: str, transfers: Sequence[Transfer], day: date) -> str:
    """The department a unit (or campaign) of ``current`` belonged to on ``day``: the one it
    left at its first transfer after ``day``, else its current one."""
    for transfer in sorted(transfers, key=lambda t: t.effective_on):
        if transfer.effective_on > day:
            return transfer.from_department
    return current
