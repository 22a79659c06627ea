"""The 2025 restructuring on the real stack (issue 16): Bạc Liêu merges into Cà Mau on
01/07/2025, and Sở Công Thương Bạc Liêu into Sở Công Thương Cà Mau, which takes a unit (with
its staff) and an open campaign over. Facts go through the departments' and boards' ingress
topics; what the service decided comes back on its events and rejections topics."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from contracts import examples, topics
from contracts.common import DocumentRef
from contracts.registration import (
    CampaignAmended,
    CampaignClosed,
    CampaignLaunched,
    CampaignTransferred,
    DepartmentMerged,
    DepartmentRegistered,
    DepartmentRenamed,
    MinistryRenamed,
    PerformanceRated,
    ProvinceMerged,
    ProvinceRegistered,
    UnitRegistered,
    UnitTransferred,
)
from scenarios.seeds import BAC_LIEU, BAC_LIEU_CITY
from tests.integration.registration.conftest import Registration, running_registration

MERGER_DAY = date(2025, 7, 1)
RESOLUTION_202 = DocumentRef(
    number="202/2025/QH15",
    issued_on=date(2025, 6, 12),
    issuer="Quốc hội",
    title="Về việc sắp xếp đơn vị hành chính cấp tỉnh",
)
CA_MAU = "Sở Công Thương Cà Mau"
TRANSFERRED_UNIT, KEPT_UNIT = f"{BAC_LIEU}/ttkc", f"{BAC_LIEU}/vp"
PERSON = f"{BAC_LIEU}/p-0012"  # Trần Thị Mai, in the unit that passes to Cà Mau
CAMPAIGN = f"{BAC_LIEU}/2025/thi-dua"


def ca_mau(uid: str) -> str:
    return f"{uid}-ca-mau"


def successor_of(uid: str) -> str:
    return f"{uid}-sct-camau"


@pytest.fixture(scope="module")
async def registration(database_url: str, bootstrap: str) -> AsyncIterator[Registration]:
    """The seed scenario, plus the ingress topics of Cà Mau's board and of its department."""
    async with running_registration(
        database_url,
        bootstrap,
        lambda uid: [topics.board(ca_mau(uid)), successor_of(uid)],
    ) as harness:
        yield harness


class Restructured:
    def __init__(self, registration: Registration) -> None:
        self.r = registration
        self.uid = registration.scenario.prefix.rstrip("-")
        self.old = registration.code(BAC_LIEU)
        self.new = successor_of(self.uid)
        self.province = ca_mau(self.uid)

    @property
    def old_board(self) -> str:
        return self.r.board("bac-lieu")

    @property
    def new_board(self) -> str:
        return topics.board(self.province)


@pytest.fixture(scope="module")
async def restructured(registration: Registration) -> Restructured:
    """Cà Mau and its department registered by Cà Mau's board; the mergers of 01/07/2025 by
    Bạc Liêu's board; a 2025-2026 campaign of the old department; the successor takes the
    unit and the campaign over. Every step accepted."""
    world = Restructured(registration)
    steps = [
        (world.new_board, ProvinceRegistered(province_id=world.province, name="Cà Mau")),
        (
            world.new_board,
            DepartmentRegistered(
                department_code=world.new, name=CA_MAU, province_id=world.province,
                ministry_id="bct",
            ),
        ),
        (
            world.old_board,
            ProvinceMerged(
                province_id=registration.province("bac-lieu"), into_province_id=world.province,
                effective_on=MERGER_DAY, legal_basis=RESOLUTION_202,
            ),
        ),
        (
            world.old_board,
            DepartmentMerged(
                department_code=world.old, into_department_code=world.new,
                effective_on=MERGER_DAY, legal_basis=RESOLUTION_202,
            ),
        ),
        (world.old, plan(world.old)),  # launched before the merger, filed after it
        (
            world.new,
            UnitTransferred(
                unit_id=TRANSFERRED_UNIT, from_department_code=world.old,
                to_department_code=world.new, effective_on=MERGER_DAY,
            ),
        ),
        (
            world.new,
            CampaignTransferred(
                campaign_id=CAMPAIGN, from_department_code=world.old,
                to_department_code=world.new, effective_on=MERGER_DAY,
            ),
        ),
    ]  # fmt: skip
    for sender, payload in steps:
        (outcome,) = await registration.submit(sender, payload)
        assert outcome.accepted and len(outcome.facts) == 1, (payload, outcome)
    return world


def plan(department: str) -> CampaignLaunched:
    return CampaignLaunched.model_validate(
        {
            **examples.BAC_LIEU_53_KH_SCT,
            "campaign_id": CAMPAIGN,
            "department_code": department,
            "number": "01/KH-SCT",
            "issued_on": "2025-02-01",
            "year": 2025,
            "period": {"start": "2025-02-01", "end": "2026-12-31"},
            "deadlines": {"registration": "2025-09-30"},
        }
    )


def unit_registered(department: str, unit_id: str, on: str) -> UnitRegistered:
    return UnitRegistered.model_validate(
        {
            "campaign_id": CAMPAIGN,
            "department_code": department,
            "unit_id": unit_id,
            "titles": ["TTLDXS"],
            "registered_on": on,
        }
    )


def rating(department: str, year: int, **kw: Any) -> PerformanceRated:
    return PerformanceRated.model_validate(
        {
            "department_code": department,
            "subject_kind": "individual",
            "subject_id": PERSON,
            "unit_id": TRANSFERRED_UNIT,
            "year": year,
            "rating": "excellent",
            **kw,
        }
    )


async def test_registering_with_the_merged_away_department_after_its_merger_names_the_successor(
    restructured: Restructured,
) -> None:
    r, old, new = restructured.r, restructured.old, restructured.new
    event = r.envelope(old, unit_registered(old, KEPT_UNIT, "2025-07-15"))
    await r.send(old, [event])
    [refused] = await r.settle([event])
    assert refused.inbox == "rejected" and refused.facts == []
    assert refused.codes == ["directory.department_merged"]
    assert refused.messages == [
        f"Sở Công Thương Bạc Liêu đã hợp nhất vào {CA_MAU} (mã {new}) từ ngày 01/07/2025 theo "
        f"Nghị quyết 202/2025/QH15: gửi qua kênh của Sở {new}"
    ]
    # On the old department's own rejections topic, which its system still reads.
    [refusal] = r.collector.caused_by(event.id)
    assert r.collector.topic_of[refusal.id] == r.out.rejections_of(topics.ingress(old))


async def test_a_fact_dated_before_the_merger_still_comes_through_the_old_channel(
    restructured: Restructured,
) -> None:
    r, old = restructured.r, restructured.old
    [accepted] = await r.submit(old, unit_registered(old, KEPT_UNIT, "2025-06-20"))
    assert accepted.types() == ["UnitRegistered"]
    assert accepted.facts[0].data["department_code"] == old


async def test_a_transferred_persons_ratings_2024_to_2026_are_accepted_on_the_same_person(
    restructured: Restructured,
) -> None:
    """The 2024 rating from the old department (made before the merger, filed after it), 2025
    and 2026 from the successor: one person id, three ratings, a chain that crosses the
    merger (what a 3-year CSTĐCS needs)."""
    r, old, new = restructured.r, restructured.old, restructured.new
    [y2024] = await r.submit(old, rating(old, 2024, rated_on="2025-01-10"))
    [refused] = await r.submit(old, rating(old, 2025))
    y2025, y2026 = await r.submit(new, rating(new, 2025), rating(new, 2026, rated_on="2026-12-20"))
    assert refused.codes == ["directory.department_merged"]
    accepted = [y2024, y2025, y2026]
    assert [o.types() for o in accepted] == [["PerformanceRated"]] * 3
    assert {o.facts[0].data["subject_id"] for o in accepted} == {PERSON}
    assert [o.facts[0].data["department_code"] for o in accepted] == [old, new, new]
    assert [o.facts[0].data["year"] for o in accepted] == [2024, 2025, 2026]


async def test_the_successor_runs_the_transferred_campaign_and_its_registrations(
    restructured: Restructured,
) -> None:
    r, old, new = restructured.r, restructured.old, restructured.new
    [registered] = await r.submit(new, unit_registered(new, TRANSFERRED_UNIT, "2025-07-20"))
    assert registered.types() == ["UnitRegistered"]
    amend = CampaignAmended.model_validate(
        {"campaign_id": CAMPAIGN, "department_code": new, "amended_on": "2025-08-01",
         "theme": "Thi đua xây dựng tỉnh Cà Mau mới"}
    )  # fmt: skip
    [amended] = await r.submit(new, amend)
    assert amended.types() == ["CampaignAmended"]
    close = CampaignClosed.model_validate(
        {"campaign_id": CAMPAIGN, "department_code": old, "closed_on": "2025-12-31"}
    )
    [refused] = await r.submit(old, close)
    assert refused.codes == ["directory.department_merged"]


async def test_a_unit_not_transferred_is_refused_to_the_successor_saying_what_is_missing(
    restructured: Restructured,
) -> None:
    r, new = restructured.r, restructured.new
    [refused] = await r.submit(new, unit_registered(new, KEPT_UNIT, "2025-07-20"))
    assert refused.codes == ["directory.department_merged"]
    assert "UnitTransferred" in refused.messages[0]


async def test_only_the_right_board_sends_the_lifecycle_facts(
    restructured: Restructured,
) -> None:
    """A department's own changes come from its province's board (or, after the provinces
    merged, the successor province's), never from a department or another province's board;
    a ministry's from any board."""
    r = restructured.r
    city = r.code(BAC_LIEU_CITY)
    renamed = DepartmentRenamed(
        department_code=city, name="Ủy ban nhân dân phường Bạc Liêu", effective_on=MERGER_DAY
    )
    ministry = MinistryRenamed(
        ministry_id="bct", name="Bộ Công Thương Việt Nam", effective_on=date(2025, 3, 1)
    )
    by_department, by_other_board, ministry_by_department = [
        (await r.submit(sender, payload))[0]
        for sender, payload in ((city, renamed), (r.new_board, renamed), (city, ministry))
    ]
    assert by_department.codes == ["producer.board_only"]
    assert by_other_board.codes == ["producer.board_only"]
    assert ministry_by_department.codes == ["producer.board_only"]
    [by_successor_board] = await r.submit(restructured.new_board, renamed)
    assert by_successor_board.types() == ["DepartmentRenamed"]
    [ministry_by_board] = await r.submit(r.new_board, ministry)
    assert ministry_by_board.types() == ["MinistryRenamed"]
    # A department placed in the merged-away province after its merger is refused.
    late = DepartmentRegistered(
        department_code=r.unregistered, name="Sở Xây dựng Bạc Liêu",
        province_id=r.province("bac-lieu"), ministry_id="bct", established_on=date(2025, 8, 1),
    )  # fmt: skip
    [placed] = await r.submit(restructured.old_board, late)
    assert placed.codes == ["directory.province_merged"]
    assert f"(mã {restructured.province})" in placed.messages[0]
