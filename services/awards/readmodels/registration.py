"""Awards' read copy of the registration service's facts (units, people, campaigns,
registrations, initiatives, research, ratings, discipline, cases, bloc leaders; departments'
names, provinces and mergers, the provinces' mergers, and the units and campaigns transferred
to a successor).

Kept before a batch's decisions, in its transaction (``Decider.read_inputs``), so each fact
takes effect exactly once. It never refuses: registration already accepted these facts. Facts
of a batch are applied in order per table, consecutive facts of one kind in one pipelined
statement (``executemany``): a few round trips per batch, not one per fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contracts import registration as r
from contracts.base import EventData
from contracts.common import Person
from contracts.envelope import CloudEvent
from thidua.es.db import Conn
from thidua.es.succession import cite

UNITS, PEOPLE, CAMPAIGNS, REGISTRATIONS = "units", "people", "campaigns", "registrations"
INITIATIVES, RESEARCH, RATINGS = "initiatives", "research", "ratings"
DISCIPLINES, CASES, BLOCS = "disciplines", "cases", "blocs"
DEPARTMENTS, MERGERS, TRANSFERS = "departments", "mergers", "transfers"

UNIT_ESTABLISHED = """INSERT INTO rc_units (unit_id, department_code, name, kind)
    VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE
    SET department_code = $2, name = $3, kind = $4"""
UNIT_RENAMED = "UPDATE rc_units SET name = $2 WHERE unit_id = $1"
UNIT_ENDED = "UPDATE rc_units SET dissolved_on = $2 WHERE unit_id = $1"
PEOPLE_MERGED = "UPDATE rc_people SET unit_id = $2 WHERE unit_id = $1 AND left_on IS NULL"
PERSON_JOINED = """INSERT INTO rc_people (person_id, department_code, unit_id, full_name, sex,
        is_leader, joined_on) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (person_id) DO UPDATE SET department_code = $2, unit_id = $3,
        full_name = $4, sex = $5, is_leader = $6, joined_on = $7, left_on = NULL"""
PERSON_TRANSFERRED = "UPDATE rc_people SET unit_id = $2 WHERE person_id = $1"
PERSON_ROLE = "UPDATE rc_people SET is_leader = $2 WHERE person_id = $1"
PERSON_LEFT = "UPDATE rc_people SET left_on = $2 WHERE person_id = $1"
CAMPAIGN_LAUNCHED = """INSERT INTO rc_campaigns (campaign_id, department_code, year, kind,
        period_start, period_end, registration_deadline, dossier_deadline, conference)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (campaign_id) DO NOTHING"""
CAMPAIGN_PERIOD = """UPDATE rc_campaigns SET period_start = $2, period_end = $3
    WHERE campaign_id = $1"""
CAMPAIGN_DEADLINES = """UPDATE rc_campaigns SET registration_deadline = $2,
    dossier_deadline = $3 WHERE campaign_id = $1"""
CAMPAIGN_CLOSED = "UPDATE rc_campaigns SET closed_on = $2 WHERE campaign_id = $1"
REGISTERED = """INSERT INTO rc_registrations (campaign_id, registrant_kind, registrant_id,
        department_code, registered_on, titles) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (campaign_id, registrant_kind, registrant_id) DO UPDATE
    SET registered_on = $5, titles = $6, withdrawn_on = NULL"""
WITHDRAWN = """UPDATE rc_registrations SET withdrawn_on = $4
    WHERE campaign_id = $1 AND registrant_kind = $2 AND registrant_id = $3"""
INITIATIVE_SUBMITTED = """INSERT INTO rc_initiatives (initiative_id, department_code, unit_id,
        campaign_id, author_ids, author_names, submitted_on)
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (initiative_id) DO NOTHING"""
INITIATIVE_RECOGNIZED = """UPDATE rc_initiatives SET recognized_level = $2, recognized_on = $3,
    rejected_on = NULL WHERE initiative_id = $1"""
INITIATIVE_REJECTED = """UPDATE rc_initiatives SET rejected_on = $2, recognized_level = NULL
    WHERE initiative_id = $1"""
RESEARCH_ACCEPTED = """INSERT INTO rc_research (research_id, department_code, unit_id,
        author_ids, author_names, level, accepted_on)
    VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (research_id) DO NOTHING"""
RESEARCH_PLEDGED = """INSERT INTO rc_research_pledges (research_id, registered_on)
    VALUES ($1, $2) ON CONFLICT (research_id)
    DO UPDATE SET registered_on = LEAST(rc_research_pledges.registered_on, $2)"""
RATED = """INSERT INTO rc_ratings (subject_kind, subject_id, year, rating)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (subject_kind, subject_id, year) DO UPDATE SET rating = $4"""
DISCIPLINED = """INSERT INTO rc_disciplines (person_id, unit_id, level, imposed_on)
    VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"""
CASE_OPENED = """INSERT INTO rc_cases (case_id, kind, subject_kind, subject_id, opened_on)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING"""
CASE_CLOSED = "UPDATE rc_cases SET closed_on = $2 WHERE case_id = $1"
PERSON_CORRECTED = """UPDATE rc_people SET full_name = $2, sex = $3, joined_on = $4
    WHERE person_id = $1"""
INITIATIVE_CORRECTED = """UPDATE rc_initiatives SET unit_id = $2, author_ids = $3,
    author_names = $4 WHERE initiative_id = $1"""
INITIATIVE_WITHDRAWN = "UPDATE rc_initiatives SET withdrawn_on = $2 WHERE initiative_id = $1"
RESEARCH_WITHDRAWN = "UPDATE rc_research SET withdrawn_on = $2 WHERE research_id = $1"
DISCIPLINE_LIFTED = """UPDATE rc_disciplines SET lifted_on = $3, annulled = $4
    WHERE person_id = $1 AND imposed_on = $2"""
BLOC_LEADER = """INSERT INTO rc_bloc_leaders (bloc_id, year, member_kind, member_id)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (bloc_id, year) DO UPDATE SET member_kind = $3, member_id = $4"""

DEPARTMENT_NAMED = """INSERT INTO rc_departments (department_code, name) VALUES ($1, $2)
    ON CONFLICT (department_code) DO UPDATE SET name = $2"""
DEPARTMENT_PLACED = """INSERT INTO rc_departments (department_code, name, province_id)
    VALUES ($1, $2, $3)
    ON CONFLICT (department_code) DO UPDATE SET name = $2, province_id = $3"""
PROVINCE_MERGED = """INSERT INTO rc_province_mergers (province_id, into_province_id,
        effective_on, legal_basis) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"""
DEPARTMENT_MERGED = """INSERT INTO rc_department_mergers (department_code, into_department_code,
        effective_on, legal_basis) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"""
TRANSFERRED = """INSERT INTO rc_transfers (subject_kind, subject_id, effective_on,
        from_department_code, to_department_code) VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT DO NOTHING"""
UNIT_TRANSFERRED = "UPDATE rc_units SET department_code = $2 WHERE unit_id = $1"
STAFF_TRANSFERRED = "UPDATE rc_people SET department_code = $2 WHERE unit_id = $1"
CAMPAIGN_TRANSFERRED = "UPDATE rc_campaigns SET department_code = $2 WHERE campaign_id = $1"

Change = tuple[str, str, tuple[Any, ...]]
"""(table, statement, arguments): the table orders changes (one table's in the facts' order)."""


def _authors(authors: Sequence[Person]) -> tuple[list[str], list[str]]:
    """Authors' ids (those known) and names, as the read copy keeps them."""
    return [a.person_id for a in authors if a.person_id], [a.full_name for a in authors]


def _transfer(fact: r.SuccessionEvent) -> tuple[Any, ...]:
    return (fact.effective_on, fact.from_department_code, fact.to_department_code)


def _merger(code: str, into: str, fact: r.OrgChange) -> tuple[Any, ...]:
    return (code, into, fact.effective_on, cite(fact.legal_basis))


def changes(fact: EventData) -> list[Change]:
    """What one registration fact changes in the read copy."""
    args: tuple[Any, ...]
    match fact:
        case r.UnitEstablished():
            args = (fact.unit_id, fact.department_code, fact.name, fact.kind)
            return [(UNITS, UNIT_ESTABLISHED, args)]
        case r.UnitRenamed():
            return [(UNITS, UNIT_RENAMED, (fact.unit_id, fact.name))]
        case r.UnitMerged():
            return [
                (UNITS, UNIT_ENDED, (fact.unit_id, fact.effective_on)),
                (PEOPLE, PEOPLE_MERGED, (fact.unit_id, fact.into_unit_id)),
            ]
        case r.UnitDissolved():
            return [(UNITS, UNIT_ENDED, (fact.unit_id, fact.effective_on))]
        case r.PersonJoined():
            args = (
                fact.person_id,
                fact.department_code,
                fact.unit_id,
                fact.full_name,
                fact.sex,
                fact.is_leader,
                fact.joined_on,
            )
            return [(PEOPLE, PERSON_JOINED, args)]
        case r.PersonTransferred():
            return [(PEOPLE, PERSON_TRANSFERRED, (fact.person_id, fact.to_unit_id))]
        case r.PersonRoleChanged():
            return [(PEOPLE, PERSON_ROLE, (fact.person_id, fact.is_leader))]
        case r.PersonLeft():
            return [(PEOPLE, PERSON_LEFT, (fact.person_id, fact.left_on))]
        case r.CampaignLaunched():
            args = (
                fact.campaign_id,
                fact.department_code,
                fact.year,
                fact.kind,
                fact.period.start,
                fact.period.end,
                fact.deadlines.registration,
                fact.deadlines.dossier,
                fact.conference.model_dump_json() if fact.conference is not None else None,
            )
            return [(CAMPAIGNS, CAMPAIGN_LAUNCHED, args)]
        case r.CampaignAmended():
            found: list[Change] = []
            if fact.period is not None:
                period = (fact.campaign_id, fact.period.start, fact.period.end)
                found.append((CAMPAIGNS, CAMPAIGN_PERIOD, period))
            if fact.deadlines is not None:
                deadlines = (fact.campaign_id, fact.deadlines.registration, fact.deadlines.dossier)
                found.append((CAMPAIGNS, CAMPAIGN_DEADLINES, deadlines))
            return found
        case r.CampaignClosed():
            return [(CAMPAIGNS, CAMPAIGN_CLOSED, (fact.campaign_id, fact.closed_on))]
        case r.UnitRegistered() | r.IndividualRegistered():
            kind, registrant = (
                ("collective", fact.unit_id)
                if isinstance(fact, r.UnitRegistered)
                else ("individual", fact.person_id)
            )
            args = (
                fact.campaign_id,
                kind,
                registrant,
                fact.department_code,
                fact.registered_on,
                [str(t) for t in fact.titles],
            )
            pledges: list[Change] = [
                (RESEARCH, RESEARCH_PLEDGED, (topic.research_id, fact.registered_on))
                for topic in fact.research_topics
                if topic.research_id
            ]
            return [(REGISTRATIONS, REGISTERED, args), *pledges]
        case r.RegistrationWithdrawn():
            args = (fact.campaign_id, fact.registrant_kind, fact.registrant_id, fact.withdrawn_on)
            return [(REGISTRATIONS, WITHDRAWN, args)]
        case r.InitiativeSubmitted():
            args = (
                fact.initiative_id,
                fact.department_code,
                fact.unit_id,
                fact.campaign_id,
                *_authors(fact.authors),
                fact.submitted_on,
            )
            return [(INITIATIVES, INITIATIVE_SUBMITTED, args)]
        case r.InitiativeRecognized():
            args = (fact.initiative_id, fact.level, fact.recognized_on)
            return [(INITIATIVES, INITIATIVE_RECOGNIZED, args)]
        case r.InitiativeRejected():
            return [(INITIATIVES, INITIATIVE_REJECTED, (fact.initiative_id, fact.rejected_on))]
        case r.ResearchAccepted():
            args = (
                fact.research_id,
                fact.department_code,
                fact.unit_id,
                *_authors(fact.authors),
                fact.level,
                fact.accepted_on,
            )
            return [(RESEARCH, RESEARCH_ACCEPTED, args)]
        case r.PerformanceRated():
            args = (fact.subject_kind, fact.subject_id, fact.year, fact.rating)
            return [(RATINGS, RATED, args)]
        case r.DisciplineImposed():
            args = (fact.person_id, fact.unit_id, fact.level, fact.imposed_on)
            return [(DISCIPLINES, DISCIPLINED, args)]
        case r.CaseOpened():
            args = (fact.case_id, fact.kind, fact.subject_kind, fact.subject_id, fact.opened_on)
            return [(CASES, CASE_OPENED, args)]
        case r.CaseClosed():
            return [(CASES, CASE_CLOSED, (fact.case_id, fact.closed_on))]
        case r.PersonDetailsCorrected():
            args = (fact.person_id, fact.full_name, fact.sex, fact.joined_on)
            return [(PEOPLE, PERSON_CORRECTED, args)]
        case r.RatingCorrected():
            args = (fact.subject_kind, fact.subject_id, fact.year, fact.rating)
            return [(RATINGS, RATED, args)]
        case r.InitiativeDetailsCorrected():
            args = (fact.initiative_id, fact.unit_id, *_authors(fact.authors))
            return [(INITIATIVES, INITIATIVE_CORRECTED, args)]
        case r.InitiativeWithdrawn():
            return [(INITIATIVES, INITIATIVE_WITHDRAWN, (fact.initiative_id, fact.withdrawn_on))]
        case r.ResearchWithdrawn():
            return [(RESEARCH, RESEARCH_WITHDRAWN, (fact.research_id, fact.withdrawn_on))]
        case r.DisciplineLifted():
            args = (fact.person_id, fact.imposed_on, fact.lifted_on, fact.annulled)
            return [(DISCIPLINES, DISCIPLINE_LIFTED, args)]
        case r.BlocLeaderDesignated() | r.BlocRanked():
            # The board's ranking names the year's leader: the first (issue 17, rule 14).
            args = (fact.bloc_id, fact.year, fact.leader.member_kind, fact.leader.member_id)
            return [(BLOCS, BLOC_LEADER, args)]
        case r.DepartmentRegistered():
            args = (fact.department_code, fact.name, fact.province_id)
            return [(DEPARTMENTS, DEPARTMENT_PLACED, args)]
        case r.DepartmentRenamed():
            return [(DEPARTMENTS, DEPARTMENT_NAMED, (fact.department_code, fact.name))]
        case r.ProvinceMerged():
            args = _merger(fact.province_id, fact.into_province_id, fact)
            return [(MERGERS, PROVINCE_MERGED, args)]
        case r.DepartmentMerged():
            args = _merger(fact.department_code, fact.into_department_code, fact)
            return [(MERGERS, DEPARTMENT_MERGED, args)]
        case r.UnitTransferred():
            moved = (fact.unit_id, fact.to_department_code)
            return [
                (UNITS, UNIT_TRANSFERRED, moved),
                (PEOPLE, STAFF_TRANSFERRED, moved),
                (TRANSFERS, TRANSFERRED, ("collective", fact.unit_id, *_transfer(fact))),
            ]
        case r.CampaignTransferred():
            moved = (fact.campaign_id, fact.to_department_code)
            return [
                (CAMPAIGNS, CAMPAIGN_TRANSFERRED, moved),
                (TRANSFERS, TRANSFERRED, ("campaign", fact.campaign_id, *_transfer(fact))),
            ]
        case _:
            return []  # directory facts awards does not need (ministries, contacts, ...)


async def keep(conn: Conn, events: Sequence[CloudEvent]) -> None:
    """Apply a batch's registration facts: per table in order, a statement per run of one kind."""
    by_table: dict[str, list[tuple[str, tuple[Any, ...]]]] = {}
    for event in events:
        for table, statement, args in changes(event.payload()):
            by_table.setdefault(table, []).append((statement, args))
    for table_changes in by_table.values():
        run: list[tuple[Any, ...]] = []
        for i, (statement, args) in enumerate(table_changes):
            run.append(args)
            following = table_changes[i + 1][0] if i + 1 < len(table_changes) else None
            if following != statement:
                await conn.executemany(statement, run)
                run = []
