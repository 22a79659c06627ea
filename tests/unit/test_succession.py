"""The mergers' arithmetic shared by every service (issue 16)."""

from __future__ import annotations

from datetime import date

from thidua.es.succession import Merger, Successions

JULY_2025 = date(2025, 7, 1)
MARCH_2025 = date(2025, 3, 1)


def test_a_merger_takes_effect_on_its_date() -> None:
    s = Successions([Merger("sct-baclieu", "sct-camau", JULY_2025, "Nghị quyết 202/2025/QH15")])
    assert s.merged_on("sct-baclieu", date(2025, 6, 30)) is None
    merger = s.merged_on("sct-baclieu", JULY_2025)
    assert merger is not None and merger.into == "sct-camau"
    assert s.successor("sct-baclieu", date(2019, 5, 1)) == "sct-baclieu"
    assert s.successor("sct-baclieu", JULY_2025) == "sct-camau"
    assert s.successor("sct-baclieu") == "sct-camau"
    assert s.successor("sct-camau") == "sct-camau"


def test_chains_are_followed_both_ways() -> None:
    s = Successions(
        [
            Merger("skhdt-baclieu", "skhdt-camau", JULY_2025),
            Merger("skhdt-camau", "stc-camau", date(2025, 8, 1)),
            Merger("stc-baclieu", "stc-camau", JULY_2025),
        ]
    )
    assert s.successor("skhdt-baclieu") == "stc-camau"
    assert s.successor("skhdt-baclieu", date(2025, 7, 15)) == "skhdt-camau"
    assert s.predecessors("stc-camau") == ["skhdt-camau", "stc-baclieu", "skhdt-baclieu"]
    assert s.predecessors("stc-camau", date(2025, 7, 15)) == ["stc-baclieu"]
    assert s.predecessors("skhdt-baclieu") == []


def test_repeats_second_mergers_and_cycles_are_not_taken() -> None:
    s = Successions()
    assert s.record(Merger("a", "b", MARCH_2025))
    assert not s.record(Merger("a", "b", MARCH_2025))
    assert not s.record(Merger("a", "c", JULY_2025))
    assert s.record(Merger("b", "c", JULY_2025))
    assert not s.record(Merger("c", "a", date(2026, 1, 1)))
    assert not s.record(Merger("d", "d", JULY_2025))
    assert len(s) == 2
    assert [m.code for m in s] == ["a", "b"]
    assert s.successor("a") == "c"
    merger = s.merger("a")
    assert merger is not None and merger.on == MARCH_2025
