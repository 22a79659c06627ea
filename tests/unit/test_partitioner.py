"""The relay's partitioner: Kafka's default (Java's murmur2), as aiokafka computes it."""

from __future__ import annotations

import random

import pytest
from aiokafka.partitioner import murmur2 as aiokafka_murmur2

from thidua.es.kafka import murmur2, partition_for


@pytest.mark.parametrize("length", range(0, 70))
def test_murmur2_matches_aiokafka_for_every_tail_length(length: int) -> None:
    rnd = random.Random(length)
    for _ in range(40):
        data = bytes(rnd.randrange(256) for _ in range(length))
        assert murmur2(data) == aiokafka_murmur2(data)


def test_murmur2_known_values() -> None:
    # Java's Utils.murmur2 of these keys (kafka-python's and aiokafka's test vectors), unsigned.
    assert murmur2(b"21") == -973932308 & 0xFFFFFFFF
    assert murmur2(b"foobar") == -790332482 & 0xFFFFFFFF
    assert murmur2(b"a-little-bit-long-string") == -985981536 & 0xFFFFFFFF
    assert murmur2(b"") == 275646681


def test_partition_for_is_the_default_partitioners_choice() -> None:
    keys = [f"nomination:sct-gialai/2018/{i}".encode() for i in range(500)]
    for partitions in (1, 3, 7):
        for key in keys:
            expected = (aiokafka_murmur2(key) & 0x7FFFFFFF) % partitions
            assert partition_for(key, partitions) == expected
            assert partition_for(key, partitions) == expected  # from the cache
