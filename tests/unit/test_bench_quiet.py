"""The bench waits for a quiet machine between sections: the cores' busy share from
``/proc/stat``."""

import pytest

from thidua.bench.quiet import busy_share, cpu_times, until_quiet

STAT = "cpu  {user} 0 {system} {idle} {iowait} 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"


def test_idle_and_iowait_count_as_idle_and_the_rest_as_busy() -> None:
    before = cpu_times(STAT.format(user=100, system=50, idle=800, iowait=50))
    after = cpu_times(STAT.format(user=160, system=70, idle=900, iowait=70))
    assert before == (850, 1000)
    assert after == (970, 1200)
    # 200 jiffies passed, 120 of them idle or waiting on the disk
    assert busy_share(before, after) == pytest.approx(0.4)


def test_no_time_passed_is_not_busy() -> None:
    reading = cpu_times(STAT.format(user=1, system=1, idle=1, iowait=1))
    assert busy_share(reading, reading) == 0.0


def test_a_text_that_is_not_proc_stat_is_refused() -> None:
    with pytest.raises(ValueError, match="/proc/stat"):
        cpu_times("intr 1 2 3\n")


async def test_a_machine_that_never_quiets_is_waited_for_only_until_the_timeout() -> None:
    found = await until_quiet(below=0.0, window=0.05, timeout=0.2)
    assert found is not None
    waited, share = found
    assert 0.2 <= waited < 2.0
    assert share >= 0.0
