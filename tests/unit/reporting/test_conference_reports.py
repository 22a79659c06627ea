"""Conferences and their reports folded into the read model (pure, issue 17): delegates by
kind (exemplary, guests), a report on time or late against the conference's due date, counted
once; a correction of the conference counts its report again against the corrected date."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import openpyxl

from contracts import awards as aw
from contracts.examples import EXAMPLES
from services.reporting import exports
from services.reporting.facts import Dims, figures_of
from services.reporting.presentation import conference_table
from services.reporting.queries.conferences import conferences
from services.reporting.queries.models import Rollup
from tests.unit.reporting.test_corrections_fold import given

KEY = "exemplary_models|department"
HELD = aw.ConferenceHeld.model_validate(EXAMPLES[aw.ConferenceHeld][0])
"""20/05/2020, 150 delegates (105 exemplary, 45 guests), report due 03/06/2020."""


def report(on: str) -> aw.ConferenceReported:
    return aw.ConferenceReported.model_validate(
        {**EXAMPLES[aw.ConferenceReported][0], "reported_on": on}
    )


def totals(*events: tuple[str, Any]) -> dict[tuple[str, str], tuple[int, int]]:
    """(figure, key) → (count, amount) summed over every fact recorded."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for n in given(*events).new_facts:
        for figure, key, count, amount in figures_of(n.fact, Dims()):
            c, a = out.get((figure, key), (0, 0))
            out[(figure, key)] = (c + count, a + amount)
    return out


def test_a_conference_counts_its_exemplary_and_guest_delegates() -> None:
    f = totals(("h", HELD))
    assert f[("conferences", KEY)] == (1, 150)
    assert f[("conferences.exemplary", KEY)] == (1, 105)
    assert f[("conferences.guests", KEY)] == (1, 45)
    c = conferences(f)
    assert (c.delegates, c.exemplary_delegates, c.guest_delegates) == (150, 105, 45)
    assert c.exemplary_share_percent == 70
    assert (c.reports_on_time, c.reports_late, c.reports_outstanding) == (0, 0, 1)


def test_a_report_by_its_due_date_is_on_time_and_counted_once() -> None:
    on_time = report("2020-06-03")
    c = conferences(totals(("h", HELD), ("r", on_time), ("r", on_time)))
    assert (c.reports_on_time, c.reports_late, c.reports_outstanding) == (1, 0, 0)


def test_a_report_after_its_due_date_is_late() -> None:
    c = conferences(totals(("h", HELD), ("r", report("2020-06-04"))))
    assert (c.reports_on_time, c.reports_late, c.reports_outstanding) == (0, 1, 0)


def test_a_report_is_in_the_conferences_year_dated_when_it_was_sent() -> None:
    state = given(("h", HELD), ("r", report("2021-01-05")))
    [_, sent] = [n.fact for n in state.new_facts]
    assert (sent.kind, sent.year, sent.effective_on) == (
        "conference_report",
        2020,
        date(2021, 1, 5),
    )


def test_a_correction_counts_the_report_against_the_corrected_due_date() -> None:
    later_due = aw.ConferenceCorrected.model_validate(
        {**EXAMPLES[aw.ConferenceCorrected][0], "report_due": "2020-06-10"}
    )
    f = totals(("h", HELD), ("r", report("2020-06-05")), ("c", later_due))
    c = conferences(f)
    assert (c.reports_on_time, c.reports_late, c.reports_outstanding) == (1, 0, 0)
    assert (c.delegates, c.exemplary_delegates, c.guest_delegates) == (140, 98, 42)
    assert sum(c.held.values()) == 1


def test_the_dashboard_and_the_downloads_show_the_conferences() -> None:
    r = Rollup.model_construct(
        conferences=conferences(totals(("h", HELD), ("r", report("2020-06-04"))))
    )
    table = conference_table(r)
    rows = {row[0]: row[2] for row in table.rows}
    assert table.sheet == "Hội nghị"
    assert rows["conferences|exemplary_models|department"] == 1
    assert table.rows[0][1] == "Hội nghị điển hình tiên tiến (sở, ban, ngành)"
    assert (rows["conferences.delegates"], rows["conferences.exemplary"]) == (150, 105)
    assert rows["conferences.exemplary_share"] == 70
    assert (rows["conferences.reports_on_time"], rows["conferences.reports_late"]) == (0, 1)
    assert rows["conferences.reports_outstanding"] == 0


def test_the_xlsx_has_a_sheet_of_the_conferences() -> None:
    late = conferences(totals(("h", HELD), ("r", report("2020-06-04"))))
    table = conference_table(Rollup.model_construct(conferences=late))
    book = openpyxl.load_workbook(io.BytesIO(exports.xlsx(["Khánh Hòa 2020"], [table])))
    sheet = book["Hội nghị"]
    values = {row[0]: row[2] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert values["conferences.delegates"] == 150
    assert values["conferences.reports_late"] == 1
