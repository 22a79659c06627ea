"""The organisation directory: who belongs where, and since when."""

from __future__ import annotations

from datetime import date

from contracts import topics
from contracts.registration import (
    BlocLeaderDesignated,
    DepartmentRegistered,
    MinistryRegistered,
    PersonJoined,
    PersonTransferred,
    ProvinceRegistered,
    UnitEstablished,
    UnitMerged,
)
from scenarios.seeds import BAC_LIEU, GIA_LAI, KHANH_HOA
from services.registration import streams
from services.registration.queries import unit_of_person
from tests.integration.registration.conftest import Registration
from tests.support import unique


def unit(registration: Registration, department: str, name: str, **kw: object) -> UnitEstablished:
    return UnitEstablished.model_validate(
        {
            "unit_id": unique(f"{department}/u-"),
            "department_code": registration.code(department),
            "name": name,
            "kind": "section",
            "established_on": "2016-01-01",
            **kw,
        }
    )


async def test_the_scenario_directory_is_accepted(registration: Registration) -> None:
    types = [t for o in registration.loaded for t in o.types()]
    assert types.count("DepartmentRegistered") == 5
    assert types.count("UnitEstablished") >= 30
    assert types.count("BlocLeaderDesignated") == 2


async def test_reference_data_is_idempotent_and_conflicts_are_refused(
    registration: Registration,
) -> None:
    board = registration.board("gia-lai")
    same = MinistryRegistered(ministry_id="bct", name="Bộ Công Thương", sector_code="cong-thuong")
    other = MinistryRegistered(ministry_id="bct", name="Bộ Thương mại", sector_code="cong-thuong")
    repeat, conflict = await registration.submit(board, same, other)
    assert repeat.inbox == "ignored" and repeat.facts == [] and repeat.codes == []
    assert conflict.codes == ["directory.conflicting_duplicate"]


async def test_a_department_is_in_a_known_province_and_sector(registration: Registration) -> None:
    """Kon Tum's board places a department only once Kon Tum is registered (by that board)."""
    board, kon_tum = registration.new_board, registration.province("kon-tum")
    nowhere = DepartmentRegistered(
        department_code=registration.unregistered,
        name="Sở Công Thương Kon Tum",
        province_id=kon_tum,
        ministry_id="bct",
    )
    (refused,) = await registration.submit(board, nowhere)
    assert refused.codes == ["directory.unknown_province"]
    province = ProvinceRegistered(province_id=kon_tum, name="Kon Tum")
    registered, accepted = await registration.submit(board, province, nowhere)
    assert registered.types() == ["ProvinceRegistered"]
    assert accepted.types() == ["DepartmentRegistered"]


async def test_a_department_cannot_register_provinces_ministries_or_departments(
    registration: Registration,
) -> None:
    """Only a province's board speaks for the directory (issue 14). A department that tries,
    even for itself, is refused on its own rejections topic, and the directory is unchanged."""
    gl = registration.code(GIA_LAI)
    province = ProvinceRegistered(province_id=registration.province("gia-lai"), name="Pleiku")
    elsewhere = ProvinceRegistered(province_id=registration.province("dak-lak"), name="Đắk Lắk")
    ministry = MinistryRegistered(ministry_id="bqp", name="Bộ Quốc phòng", sector_code="quoc-phong")
    moved = DepartmentRegistered(
        department_code=gl,
        name="Sở Công Thương Bạc Liêu",
        province_id=registration.province("bac-lieu"),
        ministry_id="bct",
    )
    sent = [registration.envelope(gl, p) for p in (province, elsewhere, ministry, moved)]
    await registration.send(gl, sent)
    outcomes = await registration.settle(sent)
    assert [o.codes for o in outcomes] == [["producer.board_only"]] * 4
    assert all(o.inbox == "rejected" and o.facts == [] for o in outcomes)
    own = registration.out.rejections_of(topics.ingress(gl))
    assert own == f"{registration.out.rejections}.{gl}"
    refusals = [r for e in sent for r in registration.collector.caused_by(e.id)]
    assert len(refusals) == 4
    assert {registration.collector.topic_of[r.id] for r in refusals} == {own}
    async with registration.pool.acquire() as conn:
        for stream in (
            streams.province(registration.province("dak-lak")),
            streams.ministry("bqp"),
        ):
            assert (
                await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1", stream) == 0
            )
        for stream in (streams.province(registration.province("gia-lai")), streams.department(gl)):
            assert (
                await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1", stream) == 1
            )


async def test_units_belong_to_their_department_once(registration: Registration) -> None:
    gl, bl = registration.code(GIA_LAI), registration.code(BAC_LIEU)
    section = unit(registration, GIA_LAI, "Phòng Xuất nhập khẩu")
    renamed_twin = section.model_copy(update={"name": "Phòng Hội nhập"})
    child = unit(registration, GIA_LAI, "Tổ Xuất khẩu", parent_unit_id=section.unit_id)
    foreign_child = unit(registration, BAC_LIEU, "Tổ Nhập khẩu", parent_unit_id=section.unit_id)
    outcomes = await registration.submit(gl, section, section, renamed_twin, child)
    assert [o.types() for o in outcomes] == [["UnitEstablished"], [], [], ["UnitEstablished"]]
    assert outcomes[2].codes == ["directory.unit_exists"]
    (refused,) = await registration.submit(bl, foreign_child)
    assert refused.codes == ["directory.unit_of_other_department"]


async def test_which_unit_a_person_was_in_on_a_date_through_moves_and_merges(
    registration: Registration,
) -> None:
    gl = registration.code(GIA_LAI)
    old, new, merged_into = (
        unit(registration, GIA_LAI, "Phòng A"),
        unit(registration, GIA_LAI, "Phòng B"),
        unit(registration, GIA_LAI, "Phòng C"),
    )
    person = unique(f"{GIA_LAI}/p-")
    joined = PersonJoined.model_validate(
        {
            "person_id": person,
            "department_code": gl,
            "unit_id": old.unit_id,
            "full_name": "Phạm Thị Hoa",
            "sex": "female",
            "joined_on": "2017-03-01",
        }
    )
    moved = PersonTransferred(
        person_id=person,
        from_unit_id=old.unit_id,
        to_unit_id=new.unit_id,
        effective_on=date(2018, 4, 1),
    )
    wrong_move = moved.model_copy(update={"effective_on": date(2018, 5, 1)})  # no longer in A
    merge = UnitMerged(
        unit_id=new.unit_id, into_unit_id=merged_into.unit_id, effective_on=date(2019, 1, 1)
    )
    outcomes = await registration.submit(
        gl, old, new, merged_into, joined, moved, wrong_move, merge
    )
    assert [o.types() for o in outcomes][3:] == [
        ["PersonJoined"],
        ["PersonTransferred"],
        [],
        ["UnitMerged"],
    ]
    assert outcomes[5].codes == ["directory.person_not_in_unit"]
    async with registration.pool.acquire() as conn:
        assert await unit_of_person(conn, person, date(2017, 2, 28)) is None
        assert await unit_of_person(conn, person, date(2018, 3, 31)) == old.unit_id
        assert await unit_of_person(conn, person, date(2018, 4, 1)) == new.unit_id
        assert await unit_of_person(conn, person, date(2019, 1, 1)) == merged_into.unit_id


async def test_units_merge_only_within_their_department(registration: Registration) -> None:
    gl = registration.code(GIA_LAI)
    merge = UnitMerged(
        unit_id=f"{GIA_LAI}/thanh-tra",
        into_unit_id=f"{BAC_LIEU}/thanh-tra",
        effective_on=date(2025, 7, 1),
    )
    (refused,) = await registration.submit(gl, merge)
    assert refused.codes == ["directory.unit_of_other_department"]


async def test_a_bloc_has_one_leader_a_year_among_its_members(registration: Registration) -> None:
    kh = registration.code(KHANH_HOA)
    bloc = "khanh-hoa/khoi-dn-nnn"

    def leader(year: int, member: str) -> BlocLeaderDesignated:
        return BlocLeaderDesignated.model_validate(
            {
                "bloc_id": bloc,
                "year": year,
                "leader": {"member_kind": "unit", "member_id": f"{KHANH_HOA}/{member}"},
                "designated_on": f"{year}-01-20",
            }
        )

    outcomes = await registration.submit(
        kh, leader(2020, "dn-02"), leader(2019, "dn-02"), leader(2021, "vp")
    )
    assert outcomes[0].types() == ["BlocLeaderDesignated"]
    assert outcomes[1].codes == ["directory.bloc_leader_exists"]
    assert outcomes[2].codes == ["directory.leader_not_member"]
    (foreign,) = await registration.submit(registration.code(GIA_LAI), leader(2022, "dn-01"))
    assert foreign.codes == ["directory.foreign_bloc"]
