"""The Khánh Hòa 2020 conferences in the scenario (issue 17, item 1; DOMAIN rule 25).

Sở Công Thương Khánh Hòa's 2020 plan (``examples.KHANH_HOA_2020_CONFERENCE_PLAN``, launched by
the generator as the seed document's plan) orders the units' conferences in Quý I (under 200
staff a plenary, over 200 a delegates' conference) and the department's own in May with at
most 150 delegates, about 70% exemplary models and 30% guests, each reported 14 days after.
Its units and the department hold theirs as planned and report (one on time, one late, one
not at all); one unit of 230 staff holds a plenary, which the plan forbids: awards refuses it
and the expectation does not count it.

The expectation is the plan's arithmetic, never the services': Khánh Hòa's 2020 rollup shows
the conferences held by kind and level, their delegates, and the reports on time, late and
outstanding. The numbers are fixed (no random draws), so nothing else of the scenario moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from scenarios import seeds
from scenarios.builder import Builder, awards_fact
from scenarios.expectation import Expectation
from scenarios.restructuring import Check

PROVINCE = "khanh-hoa"
YEAR = 2020
CAMPAIGN = "/2020/hoi-nghi-dhtt"
"""The campaign of the seed plan, after the department's code."""
REPORT_DAYS = 14


@dataclass(frozen=True)
class Held:
    """One conference as the organiser's system reports it."""

    local: str
    level: str
    organiser: str | None
    format: str
    staff: int | None
    held_on: date
    delegates: int
    exemplary: int
    guests: int
    reported_on: date | None
    accepted: bool = True

    @property
    def report_due(self) -> date:
        return self.held_on + timedelta(days=REPORT_DAYS)


CONFERENCES = (
    # A unit under 200 staff: a plenary in Quý I, reported on time.
    Held("hn-dn-01", "unit", "dn-01", "plenary", 120, date(2020, 3, 12), 60, 42, 18,
         date(2020, 3, 20)),
    # A unit over 200 staff: a delegates' conference, reported after its due date.
    Held("hn-ttkc", "unit", "ttkc", "delegates", 250, date(2020, 3, 20), 80, 56, 24,
         date(2020, 4, 8)),
    # A unit under 200 staff that has not reported yet.
    Held("hn-dn-02", "unit", "dn-02", "plenary", 90, date(2020, 3, 25), 40, 28, 12, None),
    # The department's: 150 delegates (the quota), 105 exemplary and 45 guests (70/30).
    Held("hn-nganh", "department", None, "delegates", None, date(2020, 5, 20), 150, 105, 45,
         date(2020, 6, 1)),
    # 230 staff holding a plenary (over 200: a delegates' conference): refused.
    Held("hn-p-qlcn", "unit", "p-qlcn", "plenary", 230, date(2020, 3, 18), 70, 49, 21,
         date(2020, 3, 25), accepted=False),
)  # fmt: skip
REFUSED = "hn-p-qlcn"
"""The conference awards refuses (``awards.conference_format``)."""


def hold(b: Builder) -> None:
    """Khánh Hòa's conferences and their reports, on the department's ingress (a conference
    before its report: one partition, in order); the expectation of its 2020 figures."""
    code = b.code(seeds.KHANH_HOA)
    expect = b.expect_in(code, YEAR)
    for c in CONFERENCES:
        conference_id = f"{code}/{c.local}-{YEAR}"
        held = awards_fact(
            "ConferenceHeld",
            conference_id=conference_id,
            department_code=code,
            kind="exemplary_models",
            level=c.level,
            format=c.format,
            organiser_unit_id=f"{code}/{c.organiser}" if c.organiser else None,
            held_on=c.held_on,
            delegates_total=c.delegates,
            exemplary_delegates=c.exemplary,
            guest_delegates=c.guests,
            staff_count=c.staff,
            report_due=c.report_due,
            review_period={"start": "2015-01-01", "end": "2020-12-31"},
            campaign_id=f"{code}{CAMPAIGN}",
        )
        b.emit(code, held, f"conference:{conference_id}", c.held_on)
        if c.accepted:
            expect.conference(f"exemplary_models|{c.level}", c.delegates, c.exemplary, c.guests)
        if c.reported_on is None:
            continue
        report = awards_fact(
            "ConferenceReported",
            conference_id=conference_id,
            department_code=code,
            reported_on=c.reported_on,
            document_number=f"{10 + CONFERENCES.index(c)}/BC-SCT",
            summary="Báo cáo kết quả tổ chức Hội nghị điển hình tiên tiến",
        )
        b.emit(code, report, f"conference-report:{conference_id}", c.reported_on)
        if c.accepted:  # a report of a refused conference is refused too (unknown)
            expect.conference_reported(on_time=c.reported_on <= c.report_due)


def check(b: Builder) -> Check:
    """Khánh Hòa's 2020 rollup: its department's listed staff and the conferences."""
    code = b.code(seeds.KHANH_HOA)
    staff = Expectation(staff=dict(b.expect(code).staff))
    together = Expectation.merged([staff, b.expect_in(code, YEAR)])
    return Check(f"province/{b.code(PROVINCE)}", YEAR, False, together)
