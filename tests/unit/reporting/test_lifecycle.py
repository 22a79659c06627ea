"""The 2025 restructuring in reporting's model and presentation (issue 16), pure: each
lifecycle event's row, folded whatever the order, mergers read back as ``Successions``, names on
a date, the labels, and the tables of a report with its predecessors."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contracts import registration as rg
from contracts.base import EventData
from contracts.examples import EXAMPLES
from services.reporting import lifecycle
from services.reporting.audit.summary import type_label
from services.reporting.lifecycle import Lifecycle
from services.reporting.presentation import ORIGIN_COLUMN, heading, rollup_tables
from services.reporting.queries.models import (
    Child,
    Dossiers,
    Former,
    Initiatives,
    MergedInto,
    Part,
    Registrations,
    Rollup,
    ScopeRef,
    Staff,
)
from services.reporting.readmodels.fold import fold
from services.reporting.readmodels.state import ModelState

JULY = date(2025, 7, 1)


def example(kind: type[EventData], **changes: Any) -> EventData:
    return kind.model_validate({**EXAMPLES[kind][0], **changes})


@pytest.mark.parametrize("kind", lifecycle.CHANGES, ids=lambda k: k.event_name)
def test_each_lifecycle_event_leaves_one_row_naming_what_changed(kind: type[EventData]) -> None:
    payload = example(kind)
    row = lifecycle.change_of("e1", payload)
    assert row is not None
    assert row.event_id == "e1" and row.effective_on == payload.effective_on  # type: ignore[attr-defined]
    name = kind.event_name
    assert row.kind == next(k for k in ("Ministry", "Province", "Department", "Unit",
                                         "Campaign") if name.startswith(k)).lower()  # fmt: skip
    assert row.change == name.removeprefix(row.kind.capitalize()).lower()
    assert (row.into_code is not None) == (row.change in ("merged", "transferred"))
    assert (row.from_code is not None) == (row.change == "transferred")
    assert (row.name is not None) == (row.change == "renamed")
    if row.change == "merged":
        assert row.basis is not None and row.basis.startswith("Nghị quyết ")


def test_other_events_leave_no_row() -> None:
    assert lifecycle.change_of("e1", example(rg.UnitMerged)) is None


def test_the_model_holds_the_set_of_events_whatever_their_order() -> None:
    events = [
        ("a", example(rg.ProvinceMerged)),
        ("b", example(rg.DepartmentMerged)),
        ("c", example(rg.UnitTransferred)),
        ("d", example(rg.ProvinceRegistered, established_on="1997-01-01")),
    ]
    states = []
    for order in (events, events[::-1], events + events):
        state = ModelState(complete=True)
        for event_id, payload in order:
            fold(state, event_id, payload.event_name, payload)
        states.append(state)
    rows = [sorted(s.lifecycle.changed_rows()) for s in states]
    assert rows[0] == rows[1] == rows[2] and len(rows[0]) == 3
    province = states[0].provinces.rows[example(rg.ProvinceRegistered).province_id]  # type: ignore[attr-defined]
    assert province is not None and province.established_on == date(1997, 1, 1)


def row(event_id: str, kind: str, code: str, change: str, on: date, **kw: Any) -> Lifecycle:
    fields = {"into_code": None, "from_code": None, "name": None, "basis": None, **kw}
    return Lifecycle(event_id, kind, code, change, on, **fields)


def test_mergers_chain_and_names_follow_their_dates() -> None:
    rows = [
        row("2", "province", "b", "merged", date(2030, 1, 1), into_code="c"),
        row(
            "1",
            "province",
            "a",
            "merged",
            JULY,
            into_code="b",
            basis="Nghị quyết 202/2025/QH15",
        ),
        row("3", "province", "b", "renamed", JULY, name="B mới"),
        row("4", "department", "a", "merged", JULY, into_code="x"),
        row("5", "province", "d", "dissolved", JULY),
    ]
    s = lifecycle.successions(rows, "province")
    assert s.successor("a") == "c" and s.successor("a", date(2026, 1, 1)) == "b"
    assert s.predecessors("c") == ["b", "a"]
    assert s.merged_on("a", date(2025, 6, 30)) is None
    assert lifecycle.successions(rows, "department").successor("a") == "x"
    assert lifecycle.name_on(rows, "province", "b", "B", date(2025, 6, 30)) == "B"
    assert lifecycle.name_on(rows, "province", "b", "B", JULY) == "B mới"
    assert lifecycle.dissolved_on(rows, "province", "d") == JULY
    assert lifecycle.dissolved_on(rows, "province", "a") is None


def test_transfers_on_a_date_and_labels() -> None:
    rows = [
        row("1", "unit", "u", "transferred", JULY, into_code="new", from_code="old"),
        row("2", "unit", "u", "transferred", date(2026, 1, 1), into_code="newer", from_code="new"),
    ]
    assert lifecycle.transfers_on(rows, "unit", date(2025, 6, 30)) == {}
    assert lifecycle.transfers_on(rows, "unit", JULY) == {"u": "new"}
    assert lifecycle.transfers_on(rows, "unit", date(2026, 5, 1)) == {"u": "newer"}
    assert lifecycle.merged_label("province", "Cà Mau", JULY) == (
        "đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"
    )
    assert lifecycle.former_label("province", "Bạc Liêu") == "gồm tỉnh Bạc Liêu cũ"
    assert lifecycle.former_label("ministry", "Bộ Kế hoạch và Đầu tư") == (
        "gồm Bộ Kế hoạch và Đầu tư cũ"
    )


def rollup(**changes: Any) -> Rollup:
    zero = Staff(staff=0, women=0, leaders=0, non_leaders=0, units=0)
    base: dict[str, Any] = {
        "scope": ScopeRef(kind="province", id="ca-mau", name="Cà Mau", label="Tỉnh"),
        "year": 2026, "campaign_id": None, "as_of": None, "as_of_label": None,
        "reference_date": date(2026, 12, 31), "staff": zero,
        "registrations": Registrations(units=0, units_on_time=0, individuals=0,
                                       individuals_on_time=0, individuals_women=0,
                                       share_of_staff_percent=None, women_percent=None),
        "initiatives": Initiatives(submitted={}, recognized=[], rejected={}),
        "nominations": {},
        "dossiers": Dossiers(received=0, late=0, late_override=0, returned=0, returned_late=0,
                             return_reasons={}),
        "awards": [], "cash_vnd": 0, "women_percent_of_individual_awards": None,
        "exemplary_models": 0, "discipline": {}, "attainment": [], "periods": {},
        "children": [
            Child(kind="department", id="sct-camau", name="Sở Công Thương Cà Mau",
                  registrations=2, awards=2, cash_vnd=10),
            Child(kind="department", id="sct-baclieu", name="Sở Công Thương Bạc Liêu",
                  registrations=2, awards=0, cash_vnd=0, origin="bac-lieu",
                  origin_label="gồm tỉnh Bạc Liêu cũ"),
        ],
    }  # fmt: skip
    return Rollup(**{**base, **changes})


FORMER = Former(
    kind="province", id="bac-lieu", name="Bạc Liêu", into="ca-mau", merged_on=JULY,
    merged_on_label="01/07/2025", legal_basis="Nghị quyết 202/2025/QH15",
    label="gồm tỉnh Bạc Liêu cũ",
)  # fmt: skip


def test_with_predecessors_the_tables_say_which_former_organisation_each_figure_came_from() -> None:
    plain = rollup(predecessors=[FORMER])
    sheet = {t.sheet: t for t in rollup_tables(plain)}["Sở"]
    assert ORIGIN_COLUMN not in sheet.columns and "Theo tổ chức cũ" not in {
        t.sheet for t in rollup_tables(plain)
    }
    parts = [
        Part(id="ca-mau", name="Cà Mau", origin_label=None, registrations=2, awards=2,
             cash_vnd=10, staff=7),
        Part(id="bac-lieu", name="Bạc Liêu", origin_label="gồm tỉnh Bạc Liêu cũ",
             registrations=2, awards=0, cash_vnd=0, staff=0),
    ]  # fmt: skip
    whole = rollup(predecessors=[FORMER], with_predecessors=True, parts=parts)
    tables = {t.sheet: t for t in rollup_tables(whole)}
    sheet = tables["Sở"]
    column = sheet.columns.index(ORIGIN_COLUMN)
    assert [r[column] for r in sheet.rows] == ["", "gồm tỉnh Bạc Liêu cũ"]
    assert [r[2] for r in tables["Theo tổ chức cũ"].rows] == ["", "gồm tỉnh Bạc Liêu cũ"]
    assert "Số liệu gồm cả tỉnh Bạc Liêu cũ (hợp nhất từ ngày 01/07/2025)." in heading(whole)


def test_a_former_organisations_report_says_whom_it_merged_into() -> None:
    merged = MergedInto(
        kind="province", id="ca-mau", name="Cà Mau", on=JULY, on_label="01/07/2025",
        legal_basis="Nghị quyết 202/2025/QH15",
        label="đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025",
    )  # fmt: skip
    r = rollup(
        scope=ScopeRef(kind="province", id="bac-lieu", name="Bạc Liêu", label="Tỉnh"),
        merged_into=merged,
    )
    assert heading(r)[-1] == (
        "Tỉnh Bạc Liêu đã hợp nhất vào tỉnh Cà Mau từ ngày 01/07/2025"
        " theo Nghị quyết 202/2025/QH15."
    )


@pytest.mark.parametrize("kind", lifecycle.CHANGES, ids=lambda k: k.event_name)
def test_the_audit_trail_names_each_lifecycle_event_in_vietnamese(kind: type[EventData]) -> None:
    label = type_label(f"vn.thidua.registration.{kind.event_name}.v1")
    assert label != kind.event_name and label[0].isupper()
