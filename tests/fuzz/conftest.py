"""The fuzz suite runs against the real local stack (started if it is not running)."""

from __future__ import annotations

import pytest

from thidua.stack import LocalStack


@pytest.fixture(scope="session", autouse=True)
def stack_running(stack: LocalStack) -> LocalStack:
    return stack
