"""An initiative's title and authors in the read model (pure; issue 18 item 1, a person's own
initiatives): kept as submitted, replaced by a correction of the details (whatever else it
moves), and the same correction published twice changes the row once."""

from __future__ import annotations

import json

from contracts import examples
from contracts import registration as rg
from services.reporting.readmodels.fold import fold
from services.reporting.readmodels.state import ModelState

ID = "sct-gialai/sk-2018-07"


def authors(state: ModelState) -> list[dict[str, str]]:
    row = state.initiatives.rows[ID]
    assert row is not None
    found: list[dict[str, str]] = json.loads(row.authors)
    return found


def test_the_submission_names_the_authors_and_a_correction_replaces_them() -> None:
    submitted = rg.InitiativeSubmitted.model_validate(examples.EXAMPLES[rg.InitiativeSubmitted][0])
    state = ModelState(complete=True)
    fold(state, "s", submitted.type_name(), submitted)
    row = state.initiatives.rows[ID]
    assert row is not None and row.title == submitted.title
    assert authors(state) == [{"person_id": "sct-gialai/p-0042", "full_name": "Nguyễn Thị Lan"}]

    fix = rg.InitiativeDetailsCorrected.model_validate(
        examples.EXAMPLES[rg.InitiativeDetailsCorrected][0]
    )
    fold(state, "c", fix.type_name(), fix)
    fold(state, "c", fix.type_name(), fix)
    row = state.initiatives.rows[ID]
    assert row is not None
    assert (row.title, row.kind, row.unit_id) == (fix.title, "technical", fix.unit_id)
    assert authors(state) == [{"person_id": None, "full_name": "Trần Văn Minh"}]


def test_a_correction_of_the_authors_alone_moves_no_figure() -> None:
    submitted = rg.InitiativeSubmitted.model_validate(examples.EXAMPLES[rg.InitiativeSubmitted][0])
    state = ModelState(complete=True)
    fold(state, "s", submitted.type_name(), submitted)
    counted = len(state.new_facts)
    fix = rg.InitiativeDetailsCorrected.model_validate(
        {
            **examples.EXAMPLES[rg.InitiativeDetailsCorrected][0],
            "unit_id": submitted.unit_id,
            "kind": submitted.kind.value,
            "authors": [{"person_id": "sct-gialai/p-0051", "full_name": "Lê Văn Bình"}],
        }
    )
    fold(state, "c", fix.type_name(), fix)
    assert len(state.new_facts) == counted
    assert authors(state) == [{"person_id": "sct-gialai/p-0051", "full_name": "Lê Văn Bình"}]
