"""Folding one event into the batch's state (pure, no I/O): the dimensions here, the events
reporting counts in ``counted.py``; one function per kind of event, in a table by payload type
(``HANDLERS``). A dimension that
arrives or changes is marked dirty: the lines of the facts naming it are recomputed at the end
of the batch, so the model depends only on the set of events, not on their arrival order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.common import Period
from services.reporting import lifecycle
from services.reporting.facts import Fact
from services.reporting.readmodels import corrections, counted, economy, funds
from services.reporting.readmodels.envelope import Reader
from services.reporting.readmodels.state import (
    Bloc,
    BlocRanking,
    Campaign,
    Department,
    Ministry,
    ModelState,
    Person,
    PersonChange,
    Province,
    Unit,
)

Handler = Callable[[ModelState, str, str, Any], None]
"""(state, event id, event type, payload)."""


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- dimensions ------------------------------------------------------------------------------


def _ministry(s: ModelState, event_id: str, type_: str, p: rg.MinistryRegistered) -> None:
    row = Ministry(p.ministry_id, p.name, p.sector_code, p.established_on)
    s.ministries.put(p.ministry_id, row)


def _province(s: ModelState, event_id: str, type_: str, p: rg.ProvinceRegistered) -> None:
    s.provinces.put(p.province_id, Province(p.province_id, p.name, p.established_on))


def _department(s: ModelState, event_id: str, type_: str, p: rg.DepartmentRegistered) -> None:
    row = Department(p.department_code, p.name, p.province_id, p.ministry_id, p.established_on)
    s.departments.put(p.department_code, row)
    s.dirty_departments.add(p.department_code)


def _unit(s: ModelState, event_id: str, type_: str, p: rg.UnitEvent) -> None:
    current = s.units.rows.get(p.unit_id)
    if isinstance(p, rg.UnitEstablished):
        if current is None:
            s.units.put(
                p.unit_id,
                Unit(
                    p.unit_id,
                    p.department_code,
                    p.name,
                    p.kind.value,
                    p.parent_unit_id,
                    p.established_on,
                    None,
                    p.headcount,
                ),
            )
    elif current is None:
        return
    elif isinstance(p, rg.UnitRenamed):
        s.units.put(p.unit_id, current._replace(name=p.name))
    elif isinstance(p, rg.UnitMerged | rg.UnitDissolved):
        s.units.put(p.unit_id, current._replace(ended_on=p.effective_on))


def _lifecycle(s: ModelState, event_id: str, type_: str, p: EventData) -> None:
    """A ministry, province or department renamed, merged or dissolved; a unit or a campaign
    transferred to a successor department: one row per event (``lifecycle.change_of``)."""
    row = lifecycle.change_of(event_id, p)
    if row is not None:
        s.lifecycle.put(event_id, row)


def _person(s: ModelState, event_id: str, type_: str, p: rg.PersonEvent) -> None:
    seq = s.next_seq(p.person_id)
    if isinstance(p, rg.PersonJoined):
        row = Person(p.person_id, p.department_code, p.full_name, p.sex.value, p.joined_on, None)
        s.people.put(p.person_id, row)
        change = PersonChange(
            p.person_id, seq, p.joined_on, p.unit_id, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonTransferred):
        change = PersonChange(p.person_id, seq, p.effective_on, p.to_unit_id, None, None)
    elif isinstance(p, rg.PersonRoleChanged):
        change = PersonChange(
            p.person_id, seq, p.effective_on, None, p.is_leader, p.is_direct_worker
        )
    elif isinstance(p, rg.PersonLeft):
        current = s.people.rows.get(p.person_id)
        if current is not None:
            s.people.put(p.person_id, current._replace(left_on=p.left_on))
        return
    elif isinstance(p, rg.PersonDetailsCorrected):
        _person_corrected(s, event_id, p)
        return
    else:
        return
    s.add_history(change)
    s.dirty_people.add(p.person_id)


def _person_corrected(s: ModelState, event_id: str, p: rg.PersonDetailsCorrected) -> None:
    """The details as corrected from ``corrected_on``; before it, staff keep the old ones
    (``Person.earlier``). The sex of their registrations and awards is the corrected one."""
    current = s.people.rows.get(p.person_id)
    if current is None:
        return
    earlier = json.loads(current.earlier)
    if any(e["event"] == event_id for e in earlier):
        return  # the same correction published twice
    earlier.append(
        {
            "sex": current.sex,
            "joined_on": current.joined_on.isoformat(),
            "until": p.corrected_on.isoformat(),
            "event": event_id,
        }
    )
    row = current._replace(
        full_name=p.full_name, sex=p.sex.value, joined_on=p.joined_on, earlier=to_json(earlier)
    )
    s.people.put(p.person_id, row)
    s.dirty_people.add(p.person_id)


def _duration(period: Period) -> str:
    return "up_to_1_year" if (period.end - period.start).days < 366 else "over_1_year"


def _campaign(s: ModelState, event_id: str, type_: str, p: rg.CampaignEvent) -> None:
    current = s.campaigns.rows.get(p.campaign_id)
    if isinstance(p, rg.CampaignLaunched):
        if current is None:
            s.campaigns.put(
                p.campaign_id,
                Campaign(
                    p.campaign_id,
                    p.department_code,
                    p.number,
                    p.title,
                    p.kind.value,
                    p.launching_level.value,
                    p.year,
                    p.period.start,
                    p.period.end,
                    to_json([ph.model_dump(mode="json") for ph in p.phases]),
                    to_json([t.model_dump(mode="json") for t in p.emulation_targets]),
                    to_json(p.deadlines.model_dump(mode="json")),
                    None,
                    False,
                ),
            )
        s.record(
            type_,
            Fact(
                event_id,
                "campaign_launched",
                p.issued_on or p.period.start,
                department_code=p.department_code,
                campaign_id=p.campaign_id,
                year=p.year,
                attrs={
                    "launching_level": p.launching_level.value,
                    "campaign_kind": p.kind.value,
                    "duration": _duration(p.period),
                },
            ),
        )
    elif current is None:
        return
    elif isinstance(p, rg.CampaignAmended):
        changes: dict[str, Any] = {}
        if p.title is not None:
            changes["title"] = p.title
        if p.period is not None:
            changes["period_start"] = p.period.start
            changes["period_end"] = p.period.end
        if p.phases is not None:
            changes["phases"] = to_json([ph.model_dump(mode="json") for ph in p.phases])
        if p.emulation_targets is not None:
            changes["emulation_targets"] = to_json(
                [t.model_dump(mode="json") for t in p.emulation_targets]
            )
        if p.deadlines is not None:
            changes["deadlines"] = to_json(p.deadlines.model_dump(mode="json"))
        if changes:
            s.campaigns.put(p.campaign_id, current._replace(**changes))
    elif isinstance(p, rg.CampaignClosed):
        s.campaigns.put(
            p.campaign_id, current._replace(closed_on=p.closed_on, cancelled=p.cancelled)
        )
        return
    s.dirty_campaigns.add(p.campaign_id)


def _campaign_and_targets(s: ModelState, event_id: str, type_: str, p: rg.CampaignEvent) -> None:
    _campaign(s, event_id, type_, p)
    economy.targets(s, event_id, type_, p)


def _bloc(s: ModelState, event_id: str, type_: str, p: rg.BlocFormed) -> None:
    members = [m.model_dump(mode="json") for m in p.members]
    s.blocs.put(p.bloc_id, Bloc(p.bloc_id, p.name, to_json(members)))


def _bloc_ranking(s: ModelState, event_id: str, type_: str, p: rg.BlocRanked) -> None:
    ranking = [r.model_dump(mode="json") for r in sorted(p.ranking, key=lambda r: r.rank)]
    row = BlocRanking(p.bloc_id, p.year, p.ranked_on, to_json(ranking), p.leader.member_id)
    s.bloc_rankings.put((p.bloc_id, p.year), row)


HANDLERS: dict[type[EventData], Handler] = {
    rg.MinistryRegistered: _ministry,
    rg.ProvinceRegistered: _province,
    rg.DepartmentRegistered: _department,
    **dict.fromkeys(lifecycle.CHANGES, _lifecycle),
    rg.UnitEstablished: _unit,
    rg.UnitRenamed: _unit,
    rg.UnitMerged: _unit,
    rg.UnitDissolved: _unit,
    rg.PersonJoined: _person,
    rg.PersonTransferred: _person,
    rg.PersonRoleChanged: _person,
    rg.PersonLeft: _person,
    rg.PersonDetailsCorrected: _person,
    rg.CampaignLaunched: _campaign_and_targets,
    rg.CampaignAmended: _campaign_and_targets,
    rg.BlocFormed: _bloc,
    rg.BlocRanked: _bloc_ranking,
    rg.CampaignClosed: _campaign,
    rg.UnitRegistered: counted.registration,
    rg.IndividualRegistered: counted.registration,
    rg.RegistrationWithdrawn: counted.withdrawal,
    rg.InitiativeSubmitted: counted.initiative,
    rg.InitiativeRecognized: counted.initiative,
    rg.InitiativeRejected: counted.initiative,
    rg.DisciplineImposed: counted.discipline,
    aw.NominationSubmitted: counted.submitted,
    aw.NominationReturned: counted.decided,
    aw.NominationSuspended: counted.decided,
    aw.NominationResumed: counted.decided,
    aw.NominationRejected: counted.decided,
    aw.NominationApproved: counted.decided,
    aw.NominationVoted: counted.voted,
    aw.AwardRevoked: counted.revoked,
    aw.ExemplaryModelChosen: counted.exemplary,
    aw.NominationWithdrawn: counted.decided,
    **corrections.HANDLERS,
    **economy.HANDLERS,
}
HANDLERS = funds.with_funds(HANDLERS)


def fold(state: ModelState, event_id: str, event_type: str, payload: EventData) -> None:
    handler = HANDLERS.get(type(payload))
    if handler is not None:
        handler(state, event_id, event_type, payload)


READER = Reader(HANDLERS)
"""Reads a record's event, for the events this fold knows (``HANDLERS``)."""
