"""Awards across the 2025 restructuring (issue 16), on the in-memory world: Sở Công Thương Bạc
Liêu merged into Sở Công Thương Cà Mau on 01/07/2025. The successor decides, votes on and
withdraws the predecessor's open dossiers and nominates its former staff, whose chains carry
over; the merged-away department is refused from the merger's date, naming the successor;
what it dated before the merger stays its own."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from contracts.awards import (
    AwardImported,
    CouncilVoted,
    DecisionIssued,
    NominationApproved,
    NominationForwarded,
    NominationRejected,
    NominationSubmitted,
    NominationWithdrawn,
)
from contracts.common import Rating, Scope, Sex, TitleCode
from contracts.registration import (
    CampaignTransferred,
    DepartmentMerged,
    DepartmentRegistered,
    UnitTransferred,
)
from services.awards import streams
from services.awards.domain.boards import Provinces
from services.awards.domain.facts import Campaign, Initiative
from services.awards.domain.successors import Departments, Transfer, department_on
from services.awards.readmodels import lookups as lk
from services.awards.readmodels import registration as rc
from tests.unit.awards import memory
from tests.unit.awards.memory import World, kinds
from thidua.es.rejections import Refused
from thidua.es.succession import Merger, Successions

T = TitleCode
OLD, NEW = "sct-baclieu", "sct-camau"
BOARD = "ca-mau-board"
MERGED_ON = date(2025, 7, 1)
BASIS = "Nghị quyết 202/2025/QH15"
PERSON, UNIT = f"{OLD}/p-7", f"{OLD}/qltt"
NAMES = {OLD: "Sở Công Thương Bạc Liêu", NEW: "Sở Công Thương Cà Mau", BOARD: "UBND tỉnh Cà Mau"}
MOVED = (Transfer(MERGED_ON, OLD, NEW),)


@pytest.fixture(autouse=True)
def sent_in_2027(monkeypatch: pytest.MonkeyPatch) -> None:
    """The inputs arrive after the merger (the world's clock is 2018's otherwise)."""
    monkeypatch.setattr(memory, "SENT_ON", datetime(2027, 1, 10, 3, 0, tzinfo=UTC))


def campaign(department: str, year: int) -> str:
    return f"{department}/{year}/phat-dong"


def restructured(*, transferred: bool = True) -> World:
    """Bạc Liêu's person and unit, its campaigns of 2024 and 2025 and Cà Mau's of 2026, the
    merger known; ``transferred``: the unit (and so the person) passed to Cà Mau."""
    world = World()
    merger = Merger(OLD, NEW, MERGED_ON, BASIS)
    world.knows(lk.DEPARTMENTS, lk.ALL, Departments(Successions([merger]), NAMES))
    owner = NEW if transferred else OLD
    world.knows(lk.SUBJECT_DEPARTMENT, ("individual", PERSON), owner)
    world.knows(lk.SUBJECT_DEPARTMENT, ("collective", UNIT), owner)
    if transferred:
        world.knows(lk.TRANSFERS, ("individual", PERSON), MOVED)
        world.knows(lk.TRANSFERS, ("collective", UNIT), MOVED)
    world.knows(lk.TRANSFERS, ("campaign", campaign(OLD, 2025)), MOVED)
    world.knows(lk.PERSON, PERSON, ("Trần Thị Mai", Sex.FEMALE))
    for department, year in ((OLD, 2024), (OLD, 2025), (NEW, 2026)):
        # Bạc Liêu's 2025 campaign passed to Cà Mau with the merger.
        runs = NEW if year == 2025 else department
        found = (runs, Campaign(campaign(department, year), year))
        world.knows(lk.CAMPAIGN, campaign(department, year), found)
        world.knows(lk.RATING, ("individual", PERSON, year), Rating.EXCELLENT)
        world.knows(lk.REGISTERED, (campaign(department, year), year, "individual", PERSON), True)
    return world


def nominate(sender: str, year: int, title: T = T.LDTT, **changes: Any) -> NominationSubmitted:
    data: dict[str, Any] = {
        "nomination_id": f"{sender}/{year}/{title.lower()}-p7",
        "department_code": sender,
        "campaign_id": campaign(OLD if year < 2026 else NEW, year),
        "year": year,
        "title": title,
        "nominee_kind": "individual",
        "nominee_id": PERSON,
        "unit_id": UNIT,
        "received_on": date(year, 12, 5),
    }
    data.update(changes)
    return NominationSubmitted.model_validate(data)


def decide(sender: str, on: str, *ids: str, authority: str = "department_director") -> Any:
    return DecisionIssued.model_validate(
        {
            "decision_id": f"{sender}/qd-{on}",
            "department_code": sender,
            "number": f"{on[:4]}/QĐ-SCT",
            "issued_on": on,
            "issuer": {"name": NAMES[sender]},
            "authority": authority,
            "nomination_ids": list(ids),
        }
    )


def vote(sender: str, on: str, *ids: str, level: str = "department") -> CouncilVoted:
    return CouncilVoted.model_validate(
        {
            "session_id": f"{sender}/hdtdkt/{on}",
            "department_code": sender,
            "council_level": level,
            "members_total": 10,
            "members_present": 10,
            "session_on": on,
            "results": [{"nomination_id": i, "yes_votes": 10} for i in ids],
        }
    )


def refused(world: World, payload: Any, department: str) -> Refused:
    before = dict(world.streams)
    with pytest.raises(Refused) as caught:
        world.when(payload, department=department)
    assert world.streams == before  # nothing kept
    return caught.value


def test_a_dossier_sent_by_the_merged_away_department_after_the_merger_names_the_successor() -> (
    None
):
    world = restructured(transferred=False)
    late = nominate(OLD, 2025, received_on=date(2025, 7, 2))
    [reason] = refused(world, late, OLD).reasons
    assert (reason.code, reason.field) == ("directory.department_merged", "department_code")
    assert reason.message == (
        "Sở Công Thương Bạc Liêu đã hợp nhất vào Sở Công Thương Cà Mau (mã sct-camau) từ ngày "
        f"01/07/2025 theo {BASIS}: gửi qua kênh của Sở sct-camau"
    )


def test_a_dossier_dated_before_the_merger_is_still_the_predecessors_to_file() -> None:
    """History may be filed late through the old channel, even after the unit moved."""
    for transferred in (False, True):
        world = restructured(transferred=transferred)
        filed = nominate(OLD, 2024, received_on=date(2025, 6, 20))
        appended = world.when(filed, department=OLD)
        assert kinds(appended) == {streams.nomination(filed.nomination_id): ["NominationSubmitted"]}


def test_the_successor_nominates_the_predecessors_former_staff() -> None:
    world = restructured()
    dossier = nominate(NEW, 2025, received_on=date(2025, 12, 5))
    appended = world.when(dossier, department=NEW)
    assert kinds(appended) == {streams.nomination(dossier.nomination_id): ["NominationSubmitted"]}


def test_before_its_merger_took_effect_a_successor_may_not_act_for_its_predecessor() -> None:
    world = restructured(transferred=False)
    early = nominate(NEW, 2025, received_on=date(2025, 6, 30))
    [reason] = refused(world, early, NEW).reasons
    assert reason.code == "awards.foreign_nominee"


def test_another_department_still_may_not_nominate_the_successors_staff() -> None:
    world = restructured()
    other = nominate("sxd-camau", 2026, campaign_id=campaign(NEW, 2026))
    assert [r.code for r in refused(world, other, "sxd-camau").reasons] == [
        "awards.foreign_nominee"
    ]


def test_the_successor_votes_on_and_decides_the_predecessors_pending_dossier() -> None:
    world = restructured()
    pending = nominate(OLD, 2025, T.CSTDCS, received_on=date(2025, 6, 20))
    world.when(pending, department=OLD)
    world.given(streams.titles(PERSON), approved(OLD, 2025, T.LDTT))
    world.when(vote(NEW, "2025-12-18", pending.nomination_id), department=NEW)
    appended = world.when(decide(NEW, "2025-12-25", pending.nomination_id), department=NEW)
    [outcome] = appended[streams.nomination(pending.nomination_id)]
    assert isinstance(outcome, NominationApproved), outcome


def test_the_merged_away_department_may_no_longer_vote_or_decide() -> None:
    world = restructured()
    pending = nominate(OLD, 2025, received_on=date(2025, 6, 20))
    world.when(pending, department=OLD)
    for payload in (
        vote(OLD, "2025-12-18", pending.nomination_id),
        decide(OLD, "2025-12-25", pending.nomination_id),
    ):
        assert [r.code for r in refused(world, payload, OLD).reasons] == [
            "directory.department_merged"
        ]


def test_a_successors_decision_dated_before_the_merger_is_not_its_own_to_take() -> None:
    world = restructured()
    pending = nominate(OLD, 2025, received_on=date(2025, 6, 20))
    world.when(pending, department=OLD)
    decision = decide(NEW, "2025-06-25", pending.nomination_id)
    assert [r.code for r in refused(world, decision, NEW).reasons] == ["awards.foreign_nomination"]


def test_the_successor_withdraws_a_predecessors_pending_dossier_and_the_predecessor_may_not() -> (
    None
):
    world = restructured()
    pending = nominate(OLD, 2025, received_on=date(2025, 6, 20))
    world.when(pending, department=OLD)

    def withdrawal(sender: str) -> NominationWithdrawn:
        return NominationWithdrawn.model_validate(
            {
                "nomination_id": pending.nomination_id,
                "department_code": sender,
                "withdrawn_on": "2025-07-15",
                "reason": "Bổ sung thành tích",
            }
        )

    assert [r.code for r in refused(world, withdrawal(OLD), OLD).reasons] == [
        "directory.department_merged"
    ]
    appended = world.when(withdrawal(NEW), department=NEW)
    assert kinds(appended) == {streams.nomination(pending.nomination_id): ["NominationWithdrawn"]}


def approved(sender: str, year: int, title: T) -> NominationApproved:
    return NominationApproved.model_validate(
        {
            "nomination_id": f"{sender}/{year}/{title.lower()}-p7",
            "department_code": sender,
            "year": year,
            "title": title,
            "nominee_kind": "individual",
            "nominee_id": PERSON,
            "decision_number": f"{year}/QĐ-SCT",
            "decision_date": f"{year}-12-25",
            "authority": "department_director",
            "cash_vnd": 2340000,
            "base_salary_vnd": 2340000,
            "coefficient": "1.0",
        }
    )


@pytest.mark.parametrize("before_the_merger", [True, False])
def test_a_three_year_cstdcs_chain_across_the_merger_makes_a_cstd_tinh(
    before_the_merger: bool,
) -> None:
    """CSTĐCS 2024 from Bạc Liêu, 2025 and 2026 from Cà Mau: the person's id, and so the
    chain, is the same on both sides of the merger (without 2024's it is two years)."""
    world = restructured()
    world.given(
        streams.titles(PERSON),
        *([approved(OLD, 2024, T.CSTDCS)] if before_the_merger else []),
        approved(NEW, 2025, T.CSTDCS),
        approved(NEW, 2026, T.LDTT),
        approved(NEW, 2026, T.CSTDCS),
    )
    initiative = Initiative(
        "sk-tinh", Scope.MINISTRY_PROVINCE, date(2026, 10, 1), author_ids=frozenset({PERSON})
    )
    world.knows(lk.INITIATIVE, "sk-tinh", initiative)
    provinces = Successions([Merger("bac-lieu", "ca-mau", MERGED_ON, BASIS)])
    world.knows(lk.PROVINCES, lk.ALL, Provinces({OLD: "bac-lieu", NEW: "ca-mau"}, provinces))
    cstd = nominate(
        NEW,
        2026,
        T.CSTD_BO_TINH,
        conferring_level="province",
        evidence={"initiative_ids": ["sk-tinh"]},
    )
    [*_, forwarded] = world.when(cstd, department=NEW)[streams.nomination(cstd.nomination_id)]
    assert isinstance(forwarded, NominationForwarded) and forwarded.board_code == BOARD
    world.when(vote(BOARD, "2026-12-18", cstd.nomination_id, level="province"), department=BOARD)
    appended = world.when(
        decide(BOARD, "2026-12-28", cstd.nomination_id, authority="provincial_chair"),
        department=BOARD,
    )
    [outcome] = appended[streams.nomination(cstd.nomination_id)]
    if before_the_merger:
        assert isinstance(outcome, NominationApproved), outcome
    else:
        assert isinstance(outcome, NominationRejected)
        assert [r.code for r in outcome.reasons] == ["awards.cstd_chain_broken"]


def test_a_title_of_before_the_merger_is_imported_through_either_channel() -> None:
    def record(sender: str) -> AwardImported:
        return AwardImported.model_validate(
            {
                "nomination_id": f"{sender}/import/2023-p7",
                "department_code": sender,
                "year": 2023,
                "title": "CSTDCS",
                "nominee_kind": "individual",
                "nominee_id": PERSON,
                "decision_number": "12/QĐ-SCT",
                "decision_date": "2023-12-20",
            }
        )

    for sender in (OLD, NEW):
        world = restructured()
        appended = world.when(record(sender), department=sender)
        assert kinds(appended)[streams.titles(PERSON)] == ["AwardImported"]


def test_a_units_department_on_a_day_follows_its_transfers() -> None:
    assert department_on(NEW, MOVED, date(2025, 6, 30)) == OLD
    assert department_on(NEW, MOVED, MERGED_ON) == NEW
    assert department_on(NEW, (), date(2020, 1, 1)) == NEW


def test_the_read_copy_follows_the_merger_and_the_transfers() -> None:
    basis = {"number": "202/2025/QH15", "issuer": "Quốc hội"}
    merged = DepartmentMerged.model_validate(
        {
            "department_code": OLD,
            "into_department_code": NEW,
            "effective_on": "2025-07-01",
            "legal_basis": basis,
        }
    )
    assert rc.changes(merged) == [(rc.MERGERS, rc.DEPARTMENT_MERGED, (OLD, NEW, MERGED_ON, BASIS))]
    unit = UnitTransferred(
        unit_id=UNIT, from_department_code=OLD, to_department_code=NEW, effective_on=MERGED_ON
    )
    assert [table for table, _, _ in rc.changes(unit)] == [rc.UNITS, rc.PEOPLE, rc.TRANSFERS]
    assert rc.changes(unit)[2][2] == ("collective", UNIT, MERGED_ON, OLD, NEW)
    moved = CampaignTransferred(
        campaign_id=campaign(OLD, 2025),
        from_department_code=OLD,
        to_department_code=NEW,
        effective_on=MERGED_ON,
    )
    assert [table for table, _, _ in rc.changes(moved)] == [rc.CAMPAIGNS, rc.TRANSFERS]
    named = DepartmentRegistered(
        department_code=NEW, name=NAMES[NEW], province_id="ca-mau", ministry_id="bct"
    )
    placed = (NEW, NAMES[NEW], "ca-mau")
    assert rc.changes(named) == [(rc.DEPARTMENTS, rc.DEPARTMENT_PLACED, placed)]
