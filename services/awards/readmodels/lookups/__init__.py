"""Questions awards' decisions ask of its read copy of the registration service's facts (and
of its nominations table), each answered for every key of a batch in one query.

These facts do not change while an ingress batch is decided (another consumer keeps them), so
answers that last one batch are current. Awards' own facts are never asked here: a decision
reads them from streams, where the batch's earlier decisions are already applied.

Here: the lookups' names, which decisions ask by, and the table the kernel answers them from
(``LOOKUPS``). The statements are in ``subjects.py`` (what an input names), ``years.py`` (a
nominee's year), ``nominations.py`` (awards' own nominations) and ``successions.py`` (who
speaks for whom).
"""

from __future__ import annotations

from services.awards.readmodels.lookups.nominations import nominations_citing, nominations_of
from services.awards.readmodels.lookups.subjects import (
    campaign,
    case_subject,
    initiative,
    open_case,
    person,
    research,
    subject_department,
)
from services.awards.readmodels.lookups.successions import (
    departments,
    fund_owner,
    provinces,
    transfers,
)
from services.awards.readmodels.lookups.years import (
    RATING_SQL,
    REGISTERED_SQL,
    bloc_leader,
    disciplines,
    members,
    nomination_members,
    rating,
    registered,
)
from thidua.es.decider import Lookup

__all__ = [
    "ALL",
    "BLOC_LEADER",
    "CAMPAIGN",
    "CASE_SUBJECT",
    "DEPARTMENTS",
    "DISCIPLINES",
    "FUND_OWNER",
    "INITIATIVE",
    "LOOKUPS",
    "MEMBERS",
    "NOMINATIONS_CITING",
    "NOMINATIONS_OF",
    "NOMINATION_MEMBERS",
    "OPEN_CASE",
    "PERSON",
    "PROVINCES",
    "RATING",
    "RATING_SQL",
    "REGISTERED",
    "REGISTERED_SQL",
    "RESEARCH",
    "SUBJECT_DEPARTMENT",
    "TRANSFERS",
    "bloc_leader",
    "campaign",
    "case_subject",
    "departments",
    "disciplines",
    "fund_owner",
    "initiative",
    "members",
    "nomination_members",
    "nominations_citing",
    "nominations_of",
    "open_case",
    "person",
    "provinces",
    "rating",
    "registered",
    "research",
    "subject_department",
    "transfers",
]

SUBJECT_DEPARTMENT = "subject_department"
CAMPAIGN = "campaign"
OPEN_CASE = "open_case"
PERSON = "person"
RATING = "rating"
REGISTERED = "registered"
DISCIPLINES = "disciplines"
BLOC_LEADER = "bloc_leader"
INITIATIVE = "initiative"
RESEARCH = "research"
MEMBERS = "members"
NOMINATION_MEMBERS = "nomination_members"
NOMINATIONS_OF = "nominations_of"
CASE_SUBJECT = "case_subject"
NOMINATIONS_CITING = "nominations_citing"
DEPARTMENTS = "departments"
ALL = "all"
"""The one key of ``DEPARTMENTS``: every merger, asked once per batch."""
TRANSFERS = "transfers"
PROVINCES = "provinces"
"""``ALL`` → each department's province and the provinces' mergers (issue 17: the board)."""
FUND_OWNER = "fund_owner"
"""A department's or a board's code → whether the directory knows it (issue 18: the fund)."""


LOOKUPS = {
    lookup.name: lookup
    for lookup in (
        Lookup(SUBJECT_DEPARTMENT, subject_department),
        Lookup(CAMPAIGN, campaign),
        Lookup(OPEN_CASE, open_case),
        Lookup(PERSON, person),
        Lookup(RATING, rating),
        Lookup(REGISTERED, registered),
        Lookup(DISCIPLINES, disciplines),
        Lookup(BLOC_LEADER, bloc_leader),
        Lookup(INITIATIVE, initiative),
        Lookup(RESEARCH, research),
        Lookup(MEMBERS, members),
        Lookup(NOMINATION_MEMBERS, nomination_members),
        Lookup(NOMINATIONS_OF, nominations_of),
        Lookup(CASE_SUBJECT, case_subject),
        Lookup(NOMINATIONS_CITING, nominations_citing),
        Lookup(DEPARTMENTS, departments),
        Lookup(TRANSFERS, transfers),
        Lookup(PROVINCES, provinces),
        Lookup(FUND_OWNER, fund_owner),
    )
}
"""Awards' read models: its read copy of the registration service's facts, its nominations
and titles as tables, and the lookups decisions ask of them (answered once per batch)."""
