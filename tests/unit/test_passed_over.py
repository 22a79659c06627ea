"""A batch holding none of a consumer's types is passed over without a database round trip:
services share the departments' ingress topics and each acts on its own types only, so most
of the batches a service reads there are another's. Any record of its own in the batch, or a
malformed one at the gatekeeper, still opens the transaction."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.unit.test_foreseen_decisions import INGRESS, first_joiner_only, joining
from thidua.es.batch import BatchDecision, Outcome, Ownership
from thidua.es.consumer import CommandConsumer
from thidua.es.intake import Incoming


class _NoDatabase:
    """A pool that fails the test if anything asks it for a connection."""

    def __init__(self) -> None:
        self.asked = 0

    def acquire(self) -> Any:
        self.asked += 1
        raise AssertionError("a passed-over batch asked for a connection")


async def _no_dead_letter(record: Incoming, error: BaseException, attempts: int) -> None:
    raise AssertionError(f"dead-lettered {record.position}: {error!r}")


def _records(*values: bytes) -> list[Incoming]:
    return [Incoming(INGRESS, 0, n, None, v) for n, v in enumerate(values)]


async def test_a_batch_of_another_services_types_never_opens_a_transaction() -> None:
    pool = _NoDatabase()
    consumer = CommandConsumer(
        pool,  # type: ignore[arg-type]
        "awards",
        first_joiner_only(Counter()),
        _no_dead_letter,
        ownership=Ownership.service("awards"),
    )
    # Registration's type, and bytes that are not an envelope (the gatekeeper's to refuse).
    batch = _records(joining("a", "u1").to_json(), joining("b", "u1").to_json(), b"{not json")

    outcomes = await consumer.process_batch(batch)

    assert outcomes == [Outcome.NOT_OURS] * 3
    assert pool.asked == 0
    assert consumer.counts == {Outcome.NOT_OURS: 3}


@pytest.mark.parametrize(
    ("ownership", "values"),
    [
        # The gatekeeper refuses what nobody can act on: that is a write.
        (Ownership(), [b"{not json"]),
        # One record of its own among others' is decided with the rest.
        (Ownership.service("registration"), [b"{not json", joining("a", "u1").to_json()]),
    ],
    ids=["gatekeeper-refuses-malformed", "one-record-of-its-own"],
)
def test_a_batch_with_work_to_do_is_not_passed_over(
    ownership: Ownership, values: list[bytes]
) -> None:
    decision = BatchDecision("registration", first_joiner_only(Counter()), ownership=ownership)
    read = decision.read(_records(*values))
    assert not read.passed_over
