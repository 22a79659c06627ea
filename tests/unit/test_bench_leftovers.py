"""The pipeline bench deletes the department topics earlier runs left behind (and no other),
and reads the services' CPU."""

import os
from pathlib import Path

import pytest

from thidua.bench.pipeline import leftover_topics, of_departments, services_cpu
from thidua.settings import StackSettings
from thidua.supervision.control import status_file
from thidua.supervision.state import BACKOFF, READY, ProgramStatus, SupervisorStatus


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


def test_the_services_cpu_is_read_for_each_supervised_program_with_a_pid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_STATE_DIR", str(tmp_path))
    settings = StackSettings()
    sum(i * i for i in range(300_000))  # this process has used some CPU
    SupervisorStatus(
        pid=os.getpid(),
        started_at=0.0,
        programs=[
            ProgramStatus("registration", READY, pid=os.getpid()),
            ProgramStatus("awards", BACKOFF, pid=None),
        ],
    ).write(status_file(settings))
    used = services_cpu(settings)
    assert set(used) == {"registration"}
    assert used["registration"] > 0
    assert services_cpu(StackSettings(state_dir=tmp_path / "none")) == {}


@pytest.mark.parametrize(
    ("name", "theirs"),
    [
        ("thidua.ingress.b0123abcdr100-sct-gialai", True),
        ("thidua.rejections.b0123abcdr100-gia-lai-board", True),
        ("thidua.ingress.b0123abcdr10-sct-gialai", False),  # another rate's
        ("thidua.ingress.b0123abcd-sct-gialai", False),  # the scenario's
        ("thidua.registration.events", False),
    ],
)
def test_an_open_loop_deletes_its_own_departments_topics_only(name: str, theirs: bool) -> None:
    assert of_departments(name, "b0123abcdr100-") is theirs
