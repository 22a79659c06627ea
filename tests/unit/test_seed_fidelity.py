"""Each seed plan (contracts/examples/) against its source document in ../shared/seeds.

Every value a plan gives is either read from the text or listed in the plan's ``inferred``:

- every string (title, theme, movements, targets, recipients, signer, parents...) appears in
  the text, up to case, spacing, quotes and dashes, or a known misprint (``MISPRINTS``);
- every date appears in the text (02/8/2019, ngày 02 tháng 8 năm 2019...) or is one of the
  document's readings (``READINGS``: "Từ đầu năm" is 01/01/2018), whose phrase the text holds;
- every number appears in the text in Vietnamese notation (19.663; 8,76), a growth with its
  sign's word (tăng 8,76%, giảm 31,2%), a percentage target with its %, or is a reading.

And the other way round, what the text states is in the plan: its number and date line, its
signer (the last line), its "Nơi nhận", the documents it implements, its deadlines ("trước
ngày ..."), its growth rates and percentages, and every quoted movement (“...”), each part of
a list of them. The seeds' directory is ``$THIDUA_SEEDS_DIR``, else ``../shared/seeds`` beside
the repository, else the copy kept in ``docs/seeds`` (so the tests run on any checkout; where
``../shared/seeds`` exists, the copy must equal it).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contracts.common import field_at
from contracts.examples import SEED_FILES, SEED_PLANS
from contracts.registration import CampaignLaunched
from tests.unit.seed_fidelity import (
    KEPT_SEEDS,
    MISPRINTS,
    READINGS,
    SEEDS_DIR,
    SHARED_SEEDS,
    Json,
    completeness_problems,
    leaves,
    normalise,
    seed_text,
    value_problems,
)


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason=f"no {SHARED_SEEDS} to compare with")
def test_the_kept_copy_of_the_seeds_is_the_shared_one() -> None:
    kept = sorted(p.name for p in KEPT_SEEDS.iterdir())
    assert kept == sorted(p.name for p in SHARED_SEEDS.iterdir())
    for name in kept:
        assert (KEPT_SEEDS / name).read_bytes() == (SHARED_SEEDS / name).read_bytes(), name


# --- the tests -------------------------------------------------------------------------------

SEEDS = sorted(f[:3] for f in SEED_FILES)


def _plan(seed: str) -> Json:
    [key] = [key for f, key in SEED_FILES.items() if f.startswith(seed)]
    return SEED_PLANS[key]


def test_every_seed_has_its_document() -> None:
    assert sorted(SEED_FILES.values()) == sorted(SEED_PLANS)
    assert sorted(SEED_FILES) == sorted(p.name for p in SEEDS_DIR.glob("[0-9][0-9][0-9]_*.txt"))


@pytest.mark.parametrize("seed", SEEDS)
def test_every_value_of_the_plan_is_read_from_its_document(seed: str) -> None:
    assert value_problems(seed, _plan(seed), seed_text(seed)) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_the_plan_holds_everything_its_document_states(seed: str) -> None:
    assert completeness_problems(seed, _plan(seed), seed_text(seed)) == []


@pytest.mark.parametrize("seed", SEEDS)
def test_every_inferred_mark_names_a_value_of_the_plan(seed: str) -> None:
    model = CampaignLaunched.model_validate(_plan(seed))
    for path in model.inferred:
        assert field_at(model, path) not in (None, [], ""), path


@pytest.mark.parametrize("seed", SEEDS)
def test_every_reading_and_misprint_is_used(seed: str) -> None:
    """The tables above name no field the plan lacks and no phrase the text lacks."""
    model = CampaignLaunched.model_validate(_plan(seed))
    text = seed_text(seed)
    paths = dict(leaves(model.model_dump(mode="json")))
    assert [p for p in READINGS.get(seed, {}) if p not in paths] == []
    assert [
        printed
        for _, printed in MISPRINTS.get(seed, [])
        if normalise(printed) not in normalise(text)
    ] == []


# --- a mistyped figure fails -----------------------------------------------------------------


def _mutated(seed: str, path: str, value: object) -> Json:
    plan = copy.deepcopy(_plan(seed))
    *parents, last = path.split(".")
    node: Any = plan
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return plan


@pytest.mark.parametrize(
    ("seed", "path", "value"),
    [
        ("002", "economic_targets.0.value", 19633),
        ("002", "economic_targets.3.growth_percent", 31.2),  # a decrease typed as growth
        ("002", "emulation_targets.1.value", 16),
        ("002", "deadlines.dossier", "2018-12-01"),
        ("002", "phases.0.end", "2018-06-03"),
        ("002", "sub_movements.9", "Người Việt Nam ưu tiên dùng hàng Việt"),
        ("000", "signer.name", "Phan Văn Sau"),
        ("000", "parents.0.issued_on", "2019-07-28"),
        ("001", "deadlines.review", "2019-12-10"),
        ("001", "sub_movements.6", "Đấu tranh phòng, chống tham nhũng"),
        ("003", "issued_on", "2019-08-16"),
        ("004", "conference.levels.1.max_delegates", 160),
        ("004", "conference.levels.0.delegates_above_staff", 300),
        ("004", "conference.levels.0.report_due_days", 15),
        ("004", "phases.1.end", "2020-05-30"),
    ],
)
def test_a_mistyped_value_fails(seed: str, path: str, value: object) -> None:
    plan = _mutated(seed, path, value)
    assert value_problems(seed, plan, seed_text(seed)) + completeness_problems(
        seed, plan, seed_text(seed)
    ), f"{path} = {value!r} passed"


@pytest.mark.parametrize(
    ("seed", "path", "removed"),
    [
        ("002", "sub_movements", -1),  # "sử dụng điện tiết kiệm"
        ("001", "sub_movements", 4),  # "liên kết phục vụ sản xuất nông nghiệp"
        ("004", "sub_movements", 2),  # "Doanh nghiệp tỉnh Khánh Hòa sản xuất giỏi"
        ("004", "recipients", 0),
        ("002", "economic_targets", 3),
        ("002", "emulation_targets", 3),
    ],
)
def test_a_missing_item_fails(seed: str, path: str, removed: int) -> None:
    plan = copy.deepcopy(_plan(seed))
    del plan[path][removed]
    assert completeness_problems(seed, plan, seed_text(seed)), f"{path}[{removed}] not missed"


def test_a_missing_deadline_or_parent_fails() -> None:
    plan = copy.deepcopy(_plan("002"))
    del plan["deadlines"]["registration"]
    assert completeness_problems("002", plan, seed_text("002"))
    plan = copy.deepcopy(_plan("004"))
    plan["parents"] = plan["parents"][:1]
    assert completeness_problems("004", plan, seed_text("004"))
