"""The pipeline bench deletes the department topics earlier runs left behind, and no other."""

import pytest

from thidua.bench.pipeline import leftover_topics


@pytest.mark.parametrize(
    ("name", "left"),
    [
        ("thidua.ingress.b24901c19-sct-gialai", True),
        ("thidua.rejections.be4d5dea6r100-gia-lai-board", True),
        ("thidua.ingress.b0123abcd-sct-gialai", False),  # this run's own
        ("thidua.ingress.b0123abcdr10-sct-gialai", False),
        ("thidua.ingress.sct-gialai", False),  # make up's scenario
        ("thidua.ingress.binh-dinh-board", False),  # a real code starting with b
        ("thidua.ingress.s16a-sct-bac-lieu", False),  # a test's namespace
        ("thidua.registration.events", False),
        ("bench.24901c19.raw", False),
    ],
)
def test_only_earlier_bench_scenarios_are_leftovers(name: str, left: bool) -> None:
    assert leftover_topics(name, "0123abcd") is left
