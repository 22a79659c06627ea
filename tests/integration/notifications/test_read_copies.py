"""Every fact the read copies keep, through the real consumers: each batch's facts folded per key
and written set-based, in their order (a unit renamed after it was established in the same
batch, a registration withdrawn, a campaign amended), and nothing dead-lettered."""

from __future__ import annotations

from datetime import date

from contracts import awards as aw
from contracts import registration as rg
from contracts.base import EventData
from contracts.common import Person
from contracts.envelope import CloudEvent
from tests.integration.notifications import scenario
from tests.integration.notifications.conftest import Harness, at
from tests.support import eventually, produce
from thidua.es.consumer import Outcome

GL = scenario.GL
PLAN = scenario.gia_lai_plan()
U1, U2, U3 = (scenario.unit_id(n) for n in (1, 2, 3))
P1, P2 = f"{GL}/p001", f"{GL}/p002"


def _history() -> list[EventData]:
    day = date(2018, 3, 1)
    return [
        rg.MinistryRegistered(ministry_id="bct", name="Bộ Công Thương", sector_code="cong-thuong"),
        *scenario.department(board=False),
        *scenario.units(3),
        rg.UnitRenamed(unit_id=U1, name="Văn phòng Sở Công Thương", effective_on=day),
        rg.UnitDissolved(unit_id=U2, effective_on=day),
        rg.UnitMerged(unit_id=U3, into_unit_id=U1, effective_on=day),
        scenario.person(1, 1, "Nguyễn Thị Lan"),
        scenario.person(2, 1, "Trần Văn Hùng"),
        rg.PersonTransferred(person_id=P1, from_unit_id=U1, to_unit_id=U3, effective_on=day),
        rg.PersonLeft(person_id=P2, unit_id=U1, left_on=day),
        PLAN,
        rg.CampaignAmended(
            campaign_id=PLAN.campaign_id,
            amended_on=date(2018, 4, 1),
            title="Phong trào thi đua năm 2018 (sửa đổi)",
            deadlines=rg.Deadlines(registration=date(2018, 9, 15), dossier=date(2018, 12, 10)),
        ),
        rg.UnitRegistered(
            campaign_id=PLAN.campaign_id,
            department_code=GL,
            unit_id=U1,
            registered_on=date(2018, 8, 1),
        ),
        rg.IndividualRegistered(
            campaign_id=PLAN.campaign_id,
            department_code=GL,
            person_id=P1,
            unit_id=U1,
            registered_on=date(2018, 8, 1),
        ),
        rg.RegistrationWithdrawn(
            campaign_id=PLAN.campaign_id,
            department_code=GL,
            registrant_kind="collective",
            registrant_id=U1,
            withdrawn_on=date(2018, 8, 5),
        ),
        rg.InitiativeSubmitted(
            initiative_id=f"{GL}/i-1",
            department_code=GL,
            unit_id=U1,
            title="Số hoá hồ sơ thi đua",
            kind="management",
            scope="unit",
            authors=[Person(person_id=P1, full_name="Nguyễn Thị Lan"), Person(full_name="Khách")],
            submitted_on=date(2018, 10, 1),
        ),
    ]


async def test_each_kept_fact_lands_in_its_read_copy_in_order(harness: Harness) -> None:
    h = harness
    h.clock.set(at("2018-04-02 09:00"))
    facts = _history()
    events = [CloudEvent.new(f, source="urn:thidua:service:registration") for f in facts]
    # One key: one partition, so the consumer sees the facts in this order.
    await produce(h.bootstrap, h.sources.registration, [e.to_json() for e in events], key=b"gl")
    nomination = aw.NominationSubmitted(
        nomination_id=f"{GL}/n-1",
        department_code=GL,
        campaign_id=PLAN.campaign_id,
        year=2018,
        title="LDTT",
        nominee_kind="individual",
        nominee_id=P1,
        unit_id=U3,
        received_on=date(2018, 12, 5),
    )
    await h.awards(nomination, department=GL)
    await eventually(
        h.count("SELECT count(*) FROM inbox"), lambda n: n == len(events) + 1, what="all facts"
    )
    assert h.runtime is not None
    for consumer in h.runtime.command_consumers():
        assert consumer.counts.get(Outcome.DEAD_LETTERED, 0) == 0

    units = {r["unit_id"]: (r["name"], r["active"]) for r in await h.pool.fetch("TABLE units")}
    assert units == {
        U1: ("Văn phòng Sở Công Thương", True),
        U2: ("Thanh tra Sở", False),
        U3: ("Phòng Quản lý công nghiệp", False),
    }
    people = {
        r["person_id"]: (r["unit_id"], r["active"]) for r in await h.pool.fetch("TABLE people")
    }
    assert people == {P1: (U3, True), P2: (U1, False)}
    registrations = await h.pool.fetch("SELECT registrant_kind, registrant_id FROM registrations")
    assert [tuple(r) for r in registrations] == [("person", P1)]
    [initiative] = await h.pool.fetch("TABLE initiatives")
    assert initiative["author_ids"] == [P1]
    assert await h.pool.fetchval("SELECT plan->>'title' FROM campaigns") == (
        "Phong trào thi đua năm 2018 (sửa đổi)"
    )
    pending = await h.pool.fetch(
        "SELECT kind, deadline FROM reminders WHERE status = 'pending' ORDER BY due_at"
    )
    assert [(r["kind"], r["deadline"]) for r in pending] == [
        ("registration", date(2018, 9, 15)),
        ("registration", date(2018, 9, 15)),
        ("dossier", date(2018, 12, 10)),
        ("dossier", date(2018, 12, 10)),
    ]
    [dossier] = await h.pool.fetch("SELECT nominee_id, unit_id FROM nominations")
    assert tuple(dossier) == (P1, U3)
    assert await h.pool.fetchval("SELECT count(*) FROM organisations") == 3
