"""Pure parts of reporting: period keys, the lines of a fact, attainment maths, forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.reporting.attainment import Basis, attain, percent
from services.reporting.facts import (
    CampaignDim,
    Dims,
    Fact,
    PersonDim,
    PhaseDim,
    half_of,
    lines_for,
    on_time,
    phase_of,
)
from services.reporting.forms import form_0601, form_0602, form_0603

GIA_LAI_2018 = CampaignDim(
    "sct-gialai/2018/phat-dong",
    2018,
    (
        PhaseDim(1, date(2018, 1, 1), date(2018, 6, 30)),
        PhaseDim(2, date(2018, 7, 1), date(2018, 12, 31)),
    ),
    registration_deadline=date(2018, 8, 30),
    dossier_deadline=date(2018, 12, 10),
    period_end=date(2018, 12, 31),
)


def test_half_year_of_a_date() -> None:
    assert half_of(date(2018, 6, 30)) == "2018-H1"
    assert half_of(date(2018, 7, 1)) == "2018-H2"
    assert half_of(date(2019, 1, 1)) == "2019-H1"


def test_phase_of_a_date_is_the_wave_containing_it() -> None:
    assert phase_of(date(2018, 6, 30), GIA_LAI_2018.phases) == 1
    assert phase_of(date(2018, 7, 1), GIA_LAI_2018.phases) == 2
    assert phase_of(date(2019, 1, 15), GIA_LAI_2018.phases) is None


def test_registration_on_the_deadline_is_on_time_and_a_day_later_is_not() -> None:
    assert on_time(date(2018, 8, 30), GIA_LAI_2018) is True
    assert on_time(date(2018, 8, 31), GIA_LAI_2018) is False
    assert on_time(date(2018, 8, 31), None) is None


def award(sign: int = 1, effective: date = date(2018, 12, 20)) -> Fact:
    return Fact(
        "e1",
        "award",
        effective,
        department_code="sct-gialai",
        unit_id="sct-gialai/vp",
        person_id="sct-gialai/p-0042",
        campaign_id=GIA_LAI_2018.campaign_id,
        year=2018,
        sign=sign,
        attrs={
            "title": "LDTT",
            "nominee_kind": "individual",
            "method": "regular",
            "authority": "department_director",
            "cash_vnd": 417000,
        },
    )


def test_an_award_counts_in_every_scope_campaign_and_period() -> None:
    dims = Dims("gia-lai", "bct", GIA_LAI_2018, PersonDim("female", is_leader=False))
    lines = lines_for(award(), dims)
    counters = {
        (ln.scope_kind, ln.campaign_id, ln.period_kind, ln.period_id, ln.figure) for ln in lines
    }
    scopes = {"unit", "department", "province", "ministry"}
    assert {c[0] for c in counters} == scopes
    # all campaigns: year + half; its campaign: year + half + phase 2 -> 5 periods, 3 figures
    assert len(lines) == 4 * 5 * 3
    assert ("province", "*", "half", "2018-H2", "awards.women") in counters
    assert ("ministry", GIA_LAI_2018.campaign_id, "phase", "2", "awards.non_leaders") in counters
    assert (
        sum(ln.amount for ln in lines if ln.scope_kind == "unit" and ln.period_kind == "year")
        == 2 * 417000
    )


def test_without_its_department_a_fact_counts_only_in_unit_and_department() -> None:
    lines = lines_for(award(), Dims(campaign=GIA_LAI_2018))
    assert {ln.scope_kind for ln in lines} == {"unit", "department"}
    assert not any(ln.figure == "awards.women" for ln in lines)  # sex not known yet


def test_a_revocation_takes_the_award_back_on_its_own_date() -> None:
    dims = Dims("gia-lai", "bct", GIA_LAI_2018, PersonDim("male", is_leader=True))
    lines = lines_for(award(-1, date(2019, 3, 1)), dims)
    year = [
        ln
        for ln in lines
        if ln.scope_kind == "department" and ln.campaign_id == "*" and ln.period_kind == "year"
    ]
    assert {(ln.figure, ln.count, ln.amount) for ln in year} == {
        ("awards", -1, -417000),
        ("awards.revoked", 1, 0),
    }
    assert {ln.period_id for ln in lines if ln.period_kind == "half"} == {"2019-H1"}
    assert not any(ln.period_kind == "phase" for ln in lines)  # after the plan's last phase


def counts(**awarded: int) -> Basis:
    return Basis(
        staff=7, non_leaders=6, units=8, awarded=awarded, awarded_non_leaders={"CSTDCS": 1}
    )


def test_ldtt_share_of_all_staff() -> None:
    a = attain("LDTT", "percent", "all_staff", "gte", Decimal(90), counts(LDTT=3))
    assert (a.numerator, a.denominator, a.actual) == (3, 7, Decimal("42.86"))
    assert a.attainment_percent == Decimal("47.62")
    assert a.met is False


def test_cstdcs_counts_non_leaders_only_and_eq_means_exactly() -> None:
    a = attain("CSTDCS", "percent", "staff_excluding_leaders", "eq", Decimal(15), counts(CSTDCS=2))
    assert (a.numerator, a.denominator, a.actual) == (1, 6, Decimal("16.67"))
    assert a.attainment_percent == Decimal("111.13")
    assert a.met is False


def test_units_share_and_flag_count() -> None:
    units = attain("TTLDXS", "percent", "units", "gte", Decimal(30), counts(TTLDXS=3))
    assert (units.actual, units.met) == (Decimal("37.50"), True)
    flag = attain("CO_THI_DUA", "count", "organisation", "eq", Decimal(1), counts(CO_THI_DUA=1))
    assert (flag.actual, flag.attainment_percent, flag.met) == (Decimal(1), Decimal("100.00"), True)


def test_no_staff_means_no_percentage() -> None:
    assert percent(1, 0) is None
    a = attain("LDTT", "percent", "all_staff", "gte", Decimal(90), Basis(0, 0, 0, {}, {}))
    assert (a.actual, a.met) == (None, None)


def test_forms_break_down_movements_and_awards() -> None:
    figures = {
        ("campaigns.launched", "department|regular"): (2, 0),
        ("campaigns.launched", "ministry|topical"): (1, 0),
        ("campaigns.duration", "up_to_1_year"): (2, 0),
        ("campaigns.duration", "over_1_year"): (1, 0),
        ("awards", "CO_THI_DUA|collective|regular|provincial_chair"): (1, 11120000),
        ("awards", "BANG_KHEN|individual|sudden|minister"): (2, 0),
        ("awards", "BANG_KHEN|collective|regular|provincial_chair"): (1, 0),
        ("awards", "CSTD_TOAN_QUOC|individual|regular|prime_minister"): (1, 0),
        ("awards", "LDTT|individual|regular|department_director"): (5, 0),
    }
    movements = form_0601(figures, scope_label="Tỉnh Gia Lai", year=2018).rows[0].values
    assert movements["total"] == 3
    assert (movements["level.department"], movements["level.ministry"]) == (2, 1)
    assert (movements["kind.regular"], movements["kind.topical"]) == (2, 1)
    assert (movements["scope.local"], movements["scope.sector"]) == (2, 1)
    assert movements["duration.over_1_year"] == 1
    f603 = {r.code: r.values for r in form_0603(figures, scope_label="x", year=2018).rows}
    assert set(f603) == {"total", "BANG_KHEN", "CO_THI_DUA"}
    assert f603["total"]["total"] == 4
    assert (f603["BANG_KHEN"]["individual"], f603["BANG_KHEN"]["collective"]) == (2, 1)
    assert f603["BANG_KHEN"]["method.sudden"] == 2
    f602 = {r.code: r.values["total"] for r in form_0602(figures, scope_label="x", year=2018).rows}
    assert f602 == {"total": 1, "CSTD_TOAN_QUOC": 1}
