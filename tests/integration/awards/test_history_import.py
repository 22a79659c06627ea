"""``thidua import``: 500 past titles from the XLSX template through the department's ingress
topic, on the real Kafka and PostgreSQL. 490 good rows are accepted and count in the nominee's
titles (the chains), 10 bad ones are refused with Vietnamese reasons (some by the file's own
check, some by awards), and importing the file again changes nothing."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from contracts.base import EventData
from contracts.registration import PersonJoined, UnitEstablished
from tests.integration.awards.conftest import REGISTRATION, Year2018, send
from tests.support import eventually
from thidua.importer.run import ACCEPTED, REFUSED, UNCHANGED, Target, import_file
from thidua.importer.template import HEADER, TEMPLATE, write_template

PEOPLE = 245


def directory(y: Year2018) -> list[EventData]:
    facts: list[EventData] = [
        UnitEstablished(
            unit_id=y.id("vp"),
            department_code=y.dept,
            name="Văn phòng Sở",
            kind="section",
            established_on="2010-01-01",
        )  # type: ignore[arg-type]
    ]
    facts += [
        PersonJoined(
            person_id=y.id(f"cb-{n:03d}"),
            department_code=y.dept,
            unit_id=y.id("vp"),
            full_name=f"Cán bộ {n:03d}",
            sex="female" if n % 2 else "male",
            joined_on="2012-01-01",
        )  # type: ignore[arg-type]
        for n in range(1, PEOPLE + 1)
    ]
    return facts


def history(y: Year2018, path: Path) -> None:
    """490 good rows (245 people, CSTĐCS in 2016 and in 2017) and 10 bad ones, in the
    published template."""
    write_template(path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    sheet.delete_rows(2)  # the template's example row
    rows = []
    for n in range(1, PEOPLE + 1):
        for year, number in ((2016, "125/QĐ-SCT"), (2017, "131/QĐ-SCT")):
            person = y.id(f"cb-{n:03d}")
            rows.append([person, f"Cán bộ {n:03d}", y.id("vp"), year, "CSTDCS", number])
            rows[-1].append(f"28/12/{year}")
    bad = [
        [y.id("cb-999"), "Người lạ", y.id("vp"), 2016, "CSTDCS", "125/QĐ-SCT", "28/12/2016"],
        [y.id("cb-998"), "Người lạ", y.id("vp"), 2017, "LDTT", "131/QĐ-SCT", "28/12/2017"],
        [y.id("cb-001"), "Cán bộ 001", y.id("vp"), 2016, "Anh hùng", "125/QĐ-SCT", "28/12/2016"],
        [y.id("cb-002"), "Cán bộ 002", y.id("vp"), 2016, "XYZ", "125/QĐ-SCT", "28/12/2016"],
        [y.id("cb-003"), "Cán bộ 003", y.id("vp"), 2015, "LDTT", "99/QĐ-SCT", "31/02/2015"],
        [y.id("cb-004"), "Cán bộ 004", y.id("vp"), 2015, "LDTT", "99/QĐ-SCT", "2015-12-28"],
        # The same title and year again under another decision: already recorded.
        [y.id("cb-005"), "Cán bộ 005", y.id("vp"), 2016, "CSTDCS", "200/QĐ-SCT", "30/12/2016"],
        [y.id("cb-006"), "Cán bộ 006", y.id("vp"), 2017, "CSTDCS", "201/QĐ-SCT", "30/12/2017"],
        # A collective title for a person, and a decision before its year.
        [y.id("cb-007"), "Cán bộ 007", y.id("vp"), 2016, "TTLDTT", "125/QĐ-SCT", "28/12/2016"],
        [y.id("cb-008"), "Cán bộ 008", y.id("vp"), 2017, "LDTT", "131/QĐ-SCT", "28/12/2016"],
    ]
    for number, row in enumerate(rows + bad, start=1):
        sheet.append([number, *row])
    book.save(path)


def target(y: Year2018, bootstrap: str, database_url: str) -> Target:
    return Target(bootstrap, database_url, schema=y.schema, group=y.group)


async def test_a_history_import_counts_once_and_refuses_bad_rows_with_reasons(
    awards: Year2018, bootstrap: str, database_url: str, tmp_path: Path
) -> None:
    y = awards
    pool = y.runtime.pool
    assert pool is not None
    await send(bootstrap, y.registration, y.dept, directory(y), REGISTRATION)
    await eventually(
        lambda: pool.fetchval("SELECT count(*) FROM rc_people"),
        lambda n: n == PEOPLE,
        what="awards' copy of the directory",
    )
    path = tmp_path / "lich-su.xlsx"
    history(y, path)

    first = await import_file(path, y.dept, target(y, bootstrap, database_url), timeout=240)
    assert len(first) == 500
    assert [o.status for o in first].count(ACCEPTED) == 490
    refused = {o.row.number: o for o in first if o.status == REFUSED}
    assert len(refused) == 10
    by_row = {n - 491: " ".join(o.reasons) for n, o in refused.items()}
    assert "Chưa có" in by_row[1] and "cb-999" in by_row[1]
    assert "Chưa có" in by_row[2]
    assert "Danh hiệu 'Anh hùng' không có trong danh mục" in by_row[3]
    assert "XYZ" in by_row[4]
    assert "31/02/2015" in by_row[5] and "dd/mm/yyyy" in by_row[5]
    assert "2015-12-28" in by_row[6]
    assert "đã có danh hiệu CSTDCS năm 2016" in by_row[7]
    assert "đã có danh hiệu CSTDCS năm 2017" in by_row[8]
    assert "tập thể" in by_row[9]
    assert "trước năm" in by_row[10]
    print("\n".join(o.line() for o in refused.values()))

    # Each person now holds both years: the chain a CSTĐ tỉnh in 2018 needs two of.
    chained = await pool.fetchval(
        """SELECT count(*) FROM (SELECT stream_id FROM events
             WHERE stream_id LIKE 'claim:titles:%' GROUP BY stream_id HAVING count(*) = 2) t"""
    )
    assert chained == PEOPLE
    before = await pool.fetchval("SELECT count(*) FROM events")

    again = await import_file(path, y.dept, target(y, bootstrap, database_url), timeout=240)
    assert [o.status for o in again].count(UNCHANGED) == 490
    assert {o.row.number for o in again if o.status == REFUSED} == set(refused)
    assert await pool.fetchval("SELECT count(*) FROM events") == before


def test_the_committed_template_is_the_one_the_code_writes(tmp_path: Path) -> None:
    written = tmp_path / "mau.xlsx"
    write_template(written)
    for path in (TEMPLATE, written):
        sheet = load_workbook(path).active
        assert sheet is not None
        assert tuple(c.value for c in sheet[1]) == HEADER
        assert sheet.title == "Lịch sử khen thưởng"
