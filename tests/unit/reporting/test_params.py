"""The dashboard's date parameter: its documented pattern accepts exactly the days that exist,
so that what the OpenAPI promises is what is served (a schema-valid date is never refused)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from services.reporting.params import VN_DATE_PATTERN, read_iso_date, read_vn_date


def exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def test_the_pattern_matches_every_day_from_1900_to_2099_and_nothing_else() -> None:
    pattern = re.compile(VN_DATE_PATTERN)
    wrong = [
        text
        for year in range(1900, 2100)
        for month in range(1, 13)
        for day in range(0, 33)
        for text in (f"{day:02d}/{month:02d}/{year}", f"{day}/{month}/{year}")
        if bool(pattern.fullmatch(text)) != exists(year, month, day)
    ]
    assert wrong == []
    assert pattern.fullmatch("")  # the form's empty field: no date
    for text in ("1/1/1899", "1/1/2100", "01-01-2019", "2019-01-01", "1/13/2019", "001/1/2019"):
        assert not pattern.fullmatch(text), text


@pytest.mark.parametrize("text", ["0", "2.2e-313", "20180101", "2018-02-30", "2018-W01-1"])
def test_as_of_is_an_iso_date_that_exists_or_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        read_iso_date(text)


def test_dates_are_read_as_written() -> None:
    assert read_iso_date("2019-01-10") == date(2019, 1, 10)
    assert read_vn_date("10/01/2019") == date(2019, 1, 10)
    assert read_vn_date("5/1/2019") == date(2019, 1, 5)
    assert read_vn_date("") is None
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        read_vn_date("31/02/2019")
