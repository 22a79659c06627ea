"""The 2025 restructuring (issue 16) on registration's decision table, in memory: lifecycles of
ministries, provinces and departments (only the right board sends them), every fact judged
against its sender as it stood on the fact's day, and the successor taking units (with their
staff) and campaigns over."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.common import DocumentRef, SubjectKind
from contracts.registration import (
    CampaignAmended,
    CampaignTransferred,
    DepartmentDissolved,
    DepartmentMerged,
    DepartmentRenamed,
    IndividualRegistered,
    MinistryMerged,
    MinistryRenamed,
    PersonTransferred,
    ProvinceMerged,
)
from services.registration import streams
from tests.unit.registration.restructuring import (
    BL_BOARD,
    CAMPAIGN,
    CM_BOARD,
    MERGER_DAY,
    NEW,
    NEW_UNIT,
    OLD,
    OTHER_UNIT,
    PERSON,
    RESOLUTION_202,
    UNIT,
    after_the_merger,
    codes,
    department,
    merged,
    rating,
    refused,
    registered,
    send,
    the_world,
    transferred,
)
from thidua.es.succession import cite

# --- the lifecycle facts -----------------------------------------------------------------------


def test_a_merger_is_recorded_once_a_repeat_is_idempotent_another_refused() -> None:
    store = after_the_merger()
    assert send(store, BL_BOARD, merged()) == []
    error = refused(store, BL_BOARD, merged(on=date(2025, 8, 1)))
    assert codes(error) == ["directory.already_merged"]


@pytest.mark.parametrize(
    ("sender", "code"),
    [
        (OLD, "producer.board_only"),  # a department never speaks for the directory
        (NEW, "producer.board_only"),
        (CM_BOARD, "producer.board_only"),  # not (yet) the board of Bạc Liêu's departments
        ("kon-tum-board", "producer.board_only"),
    ],
)
def test_only_the_board_of_the_departments_province_merges_it(sender: str, code: str) -> None:
    assert codes(refused(the_world(), sender, merged())) == [code]


def test_after_the_provinces_merged_the_successor_provinces_board_speaks_too() -> None:
    store = the_world()
    province = ProvinceMerged(
        province_id="bac-lieu", into_province_id="ca-mau", effective_on=MERGER_DAY,
        legal_basis=RESOLUTION_202,
    )  # fmt: skip
    assert codes(refused(store, "kon-tum-board", province)) == ["producer.board_only"]
    assert len(send(store, CM_BOARD, province)) == 1  # the successor's board may send it
    assert len(send(store, CM_BOARD, merged())) == 1


def test_ministry_facts_come_from_any_board_only() -> None:
    store = the_world()
    renamed = MinistryRenamed(ministry_id="bct", name="Bộ Công Thương", effective_on=MERGER_DAY)
    assert codes(refused(store, OLD, renamed)) == ["producer.board_only"]
    assert send(store, "kon-tum-board", renamed) == []  # the same name: nothing changes
    into_unknown = MinistryMerged(
        ministry_id="bct", into_ministry_id="btc", effective_on=MERGER_DAY,
        legal_basis=RESOLUTION_202,
    )  # fmt: skip
    assert codes(refused(store, BL_BOARD, into_unknown)) == ["directory.unknown_ministry"]


@pytest.mark.parametrize(
    ("fact", "code"),
    [
        (merged(into=OLD), "directory.merge_into_itself"),
        (merged(into="sct-nowhere"), "directory.unknown_department"),
        (merged(on=date(2007, 12, 31)), "directory.before_establishment"),
        (merged(code="sct-nowhere"), "directory.unknown_department"),
    ],
)
def test_a_merger_needs_a_registered_successor_and_a_date_after_establishment(
    fact: DepartmentMerged, code: str
) -> None:
    assert codes(refused(the_world(), BL_BOARD, fact)) == [code]


def test_no_merger_into_a_merged_away_or_dissolved_department_nor_around_a_cycle() -> None:
    store = after_the_merger()
    third = department("sct-x", "Sở X", "bac-lieu")
    store.given(streams.department("sct-x"), third)
    into_old = merged(code="sct-x", into=OLD, on=date(2025, 9, 1))
    error = refused(store, BL_BOARD, into_old)
    assert codes(error) == ["directory.department_merged"]
    assert "Sở Công Thương Cà Mau (mã sct-camau)" in error.reasons[0].message
    # Before Bạc Liêu's merger, merging into it was fine.
    assert len(send(store, BL_BOARD, merged(code="sct-x", into=OLD, on=date(2025, 6, 1)))) == 1
    # Cà Mau into Bạc Liêu would close a cycle (Bạc Liêu already merges into Cà Mau).
    cycle = merged(code=NEW, into=OLD, on=date(2025, 3, 1))
    assert codes(refused(store, "ca-mau-board", cycle)) == ["directory.merge_cycle"]
    gone = DepartmentDissolved(department_code=NEW, effective_on=date(2026, 1, 1))
    assert len(send(store, CM_BOARD, gone)) == 1
    late = merged(code="sct-x2", into=NEW, on=date(2026, 2, 1))
    store.given(streams.department("sct-x2"), department("sct-x2", "Sở X2", "bac-lieu"))
    assert codes(refused(store, BL_BOARD, late)) == ["directory.department_dissolved"]


def test_a_department_registered_in_a_merged_away_province_after_the_merger_is_refused() -> None:
    store = the_world()
    province = ProvinceMerged(
        province_id="bac-lieu", into_province_id="ca-mau", effective_on=MERGER_DAY,
        legal_basis=RESOLUTION_202,
    )  # fmt: skip
    send(store, BL_BOARD, province)
    late = department(
        "sxd-baclieu", "Sở Xây dựng Bạc Liêu", "bac-lieu", established_on=date(2025, 8, 1)
    )
    error = refused(store, BL_BOARD, late)
    assert codes(error) == ["directory.province_merged"]
    assert "tỉnh Cà Mau (mã ca-mau)" in error.reasons[0].message
    founded_before = late.model_copy(update={"established_on": date(2010, 1, 1)})
    assert len(send(store, BL_BOARD, founded_before)) == 1  # history filed late


# --- facts judged as the sender stood on their day ---------------------------------------------


def test_registering_with_a_merged_away_department_after_its_merger_names_the_successor() -> None:
    store = after_the_merger()
    error = refused(store, OLD, registered(OLD, "2025-07-02"))
    assert codes(error) == ["directory.department_merged"]
    assert error.reasons[0].field == "department_code"
    assert error.reasons[0].message == (
        "Sở Công Thương Bạc Liêu đã hợp nhất vào Sở Công Thương Cà Mau (mã sct-camau) từ ngày "
        "01/07/2025 theo Nghị quyết 202/2025/QH15: gửi qua kênh của Sở sct-camau"
    )


def test_a_fact_dated_before_the_merger_still_comes_through_the_old_channel() -> None:
    store = after_the_merger()
    decided = send(store, OLD, registered(OLD, "2025-06-30"))
    assert [type(f).__name__ for _, f in decided] == ["UnitRegistered"]


def test_the_refusal_names_the_department_as_renamed_by_then() -> None:
    store = the_world()
    renamed = DepartmentRenamed(
        department_code=NEW, name="Sở Công Thương tỉnh Cà Mau", effective_on=date(2025, 1, 1)
    )
    send(store, CM_BOARD, renamed)
    send(store, BL_BOARD, merged())
    error = refused(store, OLD, rating(OLD, 2025))
    assert "vào Sở Công Thương tỉnh Cà Mau (mã sct-camau)" in error.reasons[0].message


def test_a_dissolved_department_no_longer_speaks() -> None:
    store = the_world()
    send(store, BL_BOARD, DepartmentDissolved(department_code=OLD, effective_on=MERGER_DAY))
    assert codes(refused(store, OLD, rating(OLD, 2025))) == ["directory.department_dissolved"]
    assert len(send(store, OLD, rating(OLD, 2024))) == 1


# --- the successor takes over ------------------------------------------------------------------


def test_a_unit_passes_to_the_successor_only_from_the_merger_by_the_successor_or_its_board() -> (
    None
):
    store = after_the_merger()
    assert codes(refused(store, OLD, transferred())) == ["directory.department_merged"]
    assert codes(refused(store, "sct-gialai", transferred())) == ["producer.foreign_department"]
    assert codes(refused(store, BL_BOARD, transferred())) == ["producer.board_only"]
    early = transferred(effective_on="2025-06-30")
    assert codes(refused(store, NEW, early)) == ["directory.not_successor"]
    assert len(send(store, CM_BOARD, transferred())) == 1
    assert send(store, NEW, transferred()) == []  # a repeat


def test_a_transferred_units_person_is_rated_by_each_department_of_its_year() -> None:
    """2024 by the old department (filed after the merger, dated before it); 2025 and 2026 by
    the successor: one person id, three ratings, the chain intact."""
    store = after_the_merger()
    send(store, NEW, transferred())
    late_2024 = rating(OLD, 2024, rated_on="2025-01-15")
    assert len(send(store, OLD, late_2024)) == 1
    for year in (2025, 2026):
        assert codes(refused(store, OLD, rating(OLD, year))) == ["directory.department_merged"]
        assert [s for s, _ in send(store, NEW, rating(NEW, year))] == [
            streams.rating(SubjectKind.INDIVIDUAL, PERSON, year)
        ]
    # The successor may not rewrite the old department's year.
    assert codes(refused(store, NEW, rating(NEW, 2023))) == ["directory.person_of_other_department"]


def test_the_successor_registers_and_moves_the_staff_it_received() -> None:
    store = after_the_merger()
    send(store, NEW, transferred())
    individual = IndividualRegistered.model_validate(
        {
            "campaign_id": CAMPAIGN,
            "department_code": NEW,
            "person_id": PERSON,
            "unit_id": UNIT,
            "titles": ["CSTDCS"],
            "registered_on": "2025-07-10",
        }
    )
    assert len(send(store, NEW, individual)) == 1
    move = PersonTransferred(
        person_id=PERSON, department_code=NEW, from_unit_id=UNIT, to_unit_id=NEW_UNIT,
        effective_on=date(2025, 8, 1),
    )  # fmt: skip
    assert len(send(store, NEW, move)) == 1


def test_a_unit_not_transferred_is_refused_to_the_successor_naming_what_is_missing() -> None:
    store = after_the_merger()
    error = refused(store, NEW, registered(NEW, "2025-07-10", OTHER_UNIT))
    assert codes(error) == ["directory.department_merged"]
    assert error.reasons[0].field == "unit_id"
    assert "UnitTransferred" in error.reasons[0].message


def test_an_open_campaign_passes_to_the_successor_which_runs_it_from_then() -> None:
    store = after_the_merger()
    amend = CampaignAmended.model_validate(
        {
            "campaign_id": CAMPAIGN,
            "department_code": NEW,
            "amended_on": "2025-08-01",
            "theme": "Mới",
        }
    )
    error = refused(store, NEW, amend)
    assert (
        codes(error) == ["directory.department_merged"]
        and "CampaignTransferred" in error.reasons[0].message
    )
    move = CampaignTransferred(
        campaign_id=CAMPAIGN, from_department_code=OLD, to_department_code=NEW,
        effective_on=MERGER_DAY,
    )  # fmt: skip
    assert len(send(store, NEW, move)) == 1
    assert len(send(store, NEW, amend)) == 1
    old_amend = amend.model_copy(update={"department_code": OLD})
    assert codes(refused(store, OLD, old_amend)) == ["directory.department_merged"]


def test_cite_names_the_kind_of_document_when_it_can() -> None:
    assert cite(RESOLUTION_202) == "Nghị quyết 202/2025/QH15"
    decision = DocumentRef(number="1234/QĐ-UBND", issuer="UBND tỉnh Cà Mau")
    assert cite(decision) == "Quyết định 1234/QĐ-UBND"
    other = DocumentRef(number="12/2025", issuer="Bộ Nội vụ")
    assert cite(other) == "văn bản số 12/2025 của Bộ Nội vụ"
    assert cite(None) is None


def test_through_a_chain_of_mergers_the_refusal_names_who_speaks_on_that_day() -> None:
    """Bạc Liêu's department into Cà Mau's (01/07/2025), which later merges into a third
    (01/01/2026): a fact of 2026 from the first names both, and sends it to the third; a
    unit of the first passes straight to the third."""
    store = after_the_merger()
    store.given(streams.department("sct-x"), department("sct-x", "Sở X Cà Mau", "ca-mau"))
    assert len(send(store, CM_BOARD, merged(code=NEW, into="sct-x", on=date(2026, 1, 1)))) == 1
    error = refused(store, OLD, rating(OLD, 2026))
    assert error.reasons[0].message == (
        "Sở Công Thương Bạc Liêu đã hợp nhất vào Sở Công Thương Cà Mau (mã sct-camau) từ ngày "
        "01/07/2025 theo Nghị quyết 202/2025/QH15, nay thuộc Sở X Cà Mau (mã sct-x): gửi qua "
        "kênh của Sở sct-x"
    )
    late = transferred(effective_on="2026-02-01")
    assert codes(refused(store, NEW, late)) == ["directory.department_merged"]  # NEW is gone
    to_x = late.model_copy(update={"to_department_code": "sct-x"})
    assert len(send(store, "sct-x", to_x)) == 1
    assert len(send(store, "sct-x", rating("sct-x", 2026))) == 1
