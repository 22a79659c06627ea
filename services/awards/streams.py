"""Stream ids of the awards service's aggregates (also the Kafka key of their public facts).

``claim:`` streams stay in the store and are not published (``thidua.es.outbox``): they hold
copies of awards' own facts, grouped as a later decision must read them (a nominee's titles,
a department's count of a title in a year, an initiative's use, a nomination's ballots), so
that a decision sees what the decisions before it in the same batch concluded.
"""

from __future__ import annotations

from contracts.common import TitleCode


def nomination(nomination_id: str) -> str:
    return f"nomination:{nomination_id}"


def council(session_id: str) -> str:
    return f"council:{session_id}"


def decision(decision_id: str) -> str:
    return f"decision:{decision_id}"


def exemplary(exemplary_id: str) -> str:
    return f"exemplary:{exemplary_id}"


def conference(conference_id: str) -> str:
    return f"conference:{conference_id}"


def nominations_refused(position: str) -> str:
    """The one refusal of the nominations an input refused (a vote, a decision, a late
    dossier), all of them together: one refusal per input (issue 18)."""
    return f"rejection:{position}/nominations"


def fund(owner: str, year: int) -> str:
    """A commendation fund of a department or a board (``<province>-board``) for a year."""
    return f"fund:{owner}:{year}"


def titles(nominee_id: str) -> str:
    """Every title awarded to a person or a collective, and its revocation."""
    return f"claim:titles:{nominee_id}"


def quota(department_code: str, year: int, title: TitleCode) -> str:
    """A department's awards of one title in one year (the CSTĐCS cap counts them)."""
    return f"claim:quota:{department_code}:{year}:{_TITLE[title]}"


def initiative_use(initiative_id: str) -> str:
    """The award an initiative supported (rule 10), released when that award is revoked."""
    return f"claim:initiative-use:{initiative_id}"


def ballots(nomination_id: str) -> str:
    """A nomination's results in council sessions (each a CouncilVoted with its one ballot)."""
    return f"claim:ballots:{nomination_id}"


QUOTA_TITLES = (TitleCode.LDTT, TitleCode.CSTDCS)
_TITLE = {t: t.value for t in TitleCode}
"""Formatting an enum member is slow (a Python-level __format__); this is hot."""
