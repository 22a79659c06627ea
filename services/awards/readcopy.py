"""Awards' own read copy of the registration service's facts (units, people, campaigns,
registrations, initiatives, research, ratings, discipline, cases, bloc leaders).

Applied in the transaction that records the incoming event in the inbox, so each fact takes
effect exactly once. It never refuses: registration already accepted these facts.
"""

from __future__ import annotations

from contracts import registration as r
from contracts.base import EventData
from thidua.es.db import Conn


async def apply(conn: Conn, fact: EventData) -> None:
    match fact:
        case r.UnitEstablished():
            await conn.execute(
                """INSERT INTO rc_units (unit_id, department_code, name, kind)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (unit_id) DO UPDATE
                   SET department_code = $2, name = $3, kind = $4""",
                fact.unit_id,
                fact.department_code,
                fact.name,
                fact.kind,
            )
        case r.UnitRenamed():
            await conn.execute(
                "UPDATE rc_units SET name = $2 WHERE unit_id = $1", fact.unit_id, fact.name
            )
        case r.UnitMerged():
            await conn.execute(
                "UPDATE rc_units SET dissolved_on = $2 WHERE unit_id = $1",
                fact.unit_id,
                fact.effective_on,
            )
            await conn.execute(
                "UPDATE rc_people SET unit_id = $2 WHERE unit_id = $1 AND left_on IS NULL",
                fact.unit_id,
                fact.into_unit_id,
            )
        case r.UnitDissolved():
            await conn.execute(
                "UPDATE rc_units SET dissolved_on = $2 WHERE unit_id = $1",
                fact.unit_id,
                fact.effective_on,
            )
        case r.PersonJoined():
            await conn.execute(
                """INSERT INTO rc_people (person_id, department_code, unit_id, full_name, sex,
                                          is_leader, joined_on)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)
                   ON CONFLICT (person_id) DO UPDATE SET department_code = $2, unit_id = $3,
                       full_name = $4, sex = $5, is_leader = $6, joined_on = $7, left_on = NULL""",
                fact.person_id,
                fact.department_code,
                fact.unit_id,
                fact.full_name,
                fact.sex,
                fact.is_leader,
                fact.joined_on,
            )
        case r.PersonTransferred():
            await conn.execute(
                "UPDATE rc_people SET unit_id = $2 WHERE person_id = $1",
                fact.person_id,
                fact.to_unit_id,
            )
        case r.PersonRoleChanged():
            await conn.execute(
                "UPDATE rc_people SET is_leader = $2 WHERE person_id = $1",
                fact.person_id,
                fact.is_leader,
            )
        case r.PersonLeft():
            await conn.execute(
                "UPDATE rc_people SET left_on = $2 WHERE person_id = $1",
                fact.person_id,
                fact.left_on,
            )
        case r.CampaignLaunched():
            await conn.execute(
                """INSERT INTO rc_campaigns (campaign_id, department_code, year, kind, period_start,
                       period_end, registration_deadline, dossier_deadline)
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (campaign_id) DO NOTHING""",
                fact.campaign_id,
                fact.department_code,
                fact.year,
                fact.kind,
                fact.period.start,
                fact.period.end,
                fact.deadlines.registration,
                fact.deadlines.dossier,
            )
        case r.CampaignAmended():
            if fact.period is not None:
                await conn.execute(
                    """UPDATE rc_campaigns SET period_start = $2, period_end = $3
                       WHERE campaign_id = $1""",
                    fact.campaign_id,
                    fact.period.start,
                    fact.period.end,
                )
            if fact.deadlines is not None:
                await conn.execute(
                    """UPDATE rc_campaigns SET registration_deadline = $2, dossier_deadline = $3
                       WHERE campaign_id = $1""",
                    fact.campaign_id,
                    fact.deadlines.registration,
                    fact.deadlines.dossier,
                )
        case r.CampaignClosed():
            await conn.execute(
                "UPDATE rc_campaigns SET closed_on = $2 WHERE campaign_id = $1",
                fact.campaign_id,
                fact.closed_on,
            )
        case r.UnitRegistered() | r.IndividualRegistered():
            kind, registrant = (
                ("collective", fact.unit_id)
                if isinstance(fact, r.UnitRegistered)
                else ("individual", fact.person_id)
            )
            await conn.execute(
                """INSERT INTO rc_registrations (campaign_id, registrant_kind, registrant_id,
                       department_code, registered_on, titles)
                   VALUES ($1, $2, $3, $4, $5, $6)
                   ON CONFLICT (campaign_id, registrant_kind, registrant_id) DO UPDATE
                   SET registered_on = $5, titles = $6, withdrawn_on = NULL""",
                fact.campaign_id,
                kind,
                registrant,
                fact.department_code,
                fact.registered_on,
                [str(t) for t in fact.titles],
            )
        case r.RegistrationWithdrawn():
            await conn.execute(
                """UPDATE rc_registrations SET withdrawn_on = $4
                   WHERE campaign_id = $1 AND registrant_kind = $2 AND registrant_id = $3""",
                fact.campaign_id,
                fact.registrant_kind,
                fact.registrant_id,
                fact.withdrawn_on,
            )
        case r.InitiativeSubmitted():
            await conn.execute(
                """INSERT INTO rc_initiatives (initiative_id, department_code, unit_id, campaign_id,
                       author_ids, author_names, submitted_on)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (initiative_id) DO NOTHING""",
                fact.initiative_id,
                fact.department_code,
                fact.unit_id,
                fact.campaign_id,
                [a.person_id for a in fact.authors if a.person_id],
                [a.full_name for a in fact.authors],
                fact.submitted_on,
            )
        case r.InitiativeRecognized():
            await conn.execute(
                """UPDATE rc_initiatives SET recognized_level = $2, recognized_on = $3,
                       rejected_on = NULL WHERE initiative_id = $1""",
                fact.initiative_id,
                fact.level,
                fact.recognized_on,
            )
        case r.InitiativeRejected():
            await conn.execute(
                """UPDATE rc_initiatives SET rejected_on = $2, recognized_level = NULL
                   WHERE initiative_id = $1""",
                fact.initiative_id,
                fact.rejected_on,
            )
        case r.ResearchAccepted():
            await conn.execute(
                """INSERT INTO rc_research (research_id, department_code, unit_id, author_ids,
                       author_names, level, accepted_on)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (research_id) DO NOTHING""",
                fact.research_id,
                fact.department_code,
                fact.unit_id,
                [a.person_id for a in fact.authors if a.person_id],
                [a.full_name for a in fact.authors],
                fact.level,
                fact.accepted_on,
            )
        case r.PerformanceRated():
            await conn.execute(
                """INSERT INTO rc_ratings (subject_kind, subject_id, year, rating)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (subject_kind, subject_id, year) DO UPDATE SET rating = $4""",
                fact.subject_kind,
                fact.subject_id,
                fact.year,
                fact.rating,
            )
        case r.DisciplineImposed():
            await conn.execute(
                """INSERT INTO rc_disciplines (person_id, unit_id, level, imposed_on)
                   VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING""",
                fact.person_id,
                fact.unit_id,
                fact.level,
                fact.imposed_on,
            )
        case r.CaseOpened():
            await conn.execute(
                """INSERT INTO rc_cases (case_id, kind, subject_kind, subject_id, opened_on)
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT (case_id) DO NOTHING""",
                fact.case_id,
                fact.kind,
                fact.subject_kind,
                fact.subject_id,
                fact.opened_on,
            )
        case r.CaseClosed():
            await conn.execute(
                "UPDATE rc_cases SET closed_on = $2 WHERE case_id = $1",
                fact.case_id,
                fact.closed_on,
            )
        case r.BlocLeaderDesignated():
            await conn.execute(
                """INSERT INTO rc_bloc_leaders (bloc_id, year, member_kind, member_id)
                   VALUES ($1, $2, $3, $4)
                   ON CONFLICT (bloc_id, year) DO UPDATE SET member_kind = $3, member_id = $4""",
                fact.bloc_id,
                fact.year,
                fact.leader.member_kind,
                fact.leader.member_id,
            )
        case _:
            pass  # directory facts awards does not need (ministries, contacts, ...)
