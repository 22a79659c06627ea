"""Reading Kafka record batches whatever a producer put in their header keys.

Kafka's protocol says a header key is a UTF-8 string, but the broker does not check it: any
client (``kcat -H "$(printf 'x\\xff')=v"``) can write a key that is not UTF-8. aiokafka decodes
every key while it unpacks a fetched batch, so such a key raises ``UnicodeDecodeError`` inside
``getmany``: no record of the partition reaches the application, FastStream retries the fetch
forever, and every department sharing the consumer waits behind one record.

:func:`tolerate_header_keys` makes the consumer's fetcher read batches with a fallback: the fast
(compiled) reader as usual, and when it meets a key it cannot decode, the rest of that batch is
read again by a copy of aiokafka's own pure-Python reader that keeps the key's bytes as
``surrogateescape`` text. The record then reaches ``thidua.es.intake``, which refuses it
(:func:`undecodable_key`), so it ends as one refusal like any other bad record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiokafka.consumer import fetcher
from aiokafka.errors import CorruptRecordException
from aiokafka.record.default_records import (
    DefaultRecordBatch,
    _DefaultRecordBatchPy,
    _DefaultRecordPy,
)
from aiokafka.record.memory_records import _MemoryRecordsPy
from aiokafka.record.util import decode_varint

KEY_ERRORS = "surrogateescape"
"""How a header key that is not UTF-8 is kept: each bad byte as one lone surrogate."""


def undecodable_key(key: str) -> bool:
    """Whether ``key`` came from bytes that are not UTF-8 (it holds escaped bytes)."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def key_bytes(key: str) -> bytes:
    """The header key's bytes as the producer wrote them."""
    return key.encode("utf-8", KEY_ERRORS)


def printable_key(key: str) -> str:
    """The key as text a refusal may quote: its undecodable bytes as ``\\xNN``."""
    return key_bytes(key).decode("utf-8", "backslashreplace")


class _TolerantBatch(_DefaultRecordBatchPy):  # type: ignore[misc]
    """aiokafka's pure-Python batch reader (0.12-0.14), header keys decoded with
    ``surrogateescape`` instead of strict UTF-8; everything else as the original."""

    def _read_msg(self, decode_varint: Any = decode_varint) -> _DefaultRecordPy:
        buffer = self._buffer
        pos: int = self._pos  # type: ignore[has-type]
        length, pos = decode_varint(buffer, pos)
        start_pos = pos
        _, pos = decode_varint(buffer, pos)
        ts_delta, pos = decode_varint(buffer, pos)
        if self.timestamp_type == self.LOG_APPEND_TIME:
            timestamp = self.max_timestamp
        else:
            timestamp = self.first_timestamp + ts_delta
        offset_delta, pos = decode_varint(buffer, pos)
        offset = self.base_offset + offset_delta
        key, pos = _nullable_bytes(buffer, pos)
        value, pos = _nullable_bytes(buffer, pos)
        header_count, pos = decode_varint(buffer, pos)
        if header_count < 0:
            raise CorruptRecordException(f"Found invalid number of record headers {header_count}")
        headers: list[tuple[str, bytes | None]] = []
        for _ in range(header_count):
            h_key_len, pos = decode_varint(buffer, pos)
            if h_key_len < 0:
                raise CorruptRecordException(f"Invalid negative header key size {h_key_len}")
            h_key = bytes(buffer[pos : pos + h_key_len]).decode("utf-8", KEY_ERRORS)
            pos += h_key_len
            h_value, pos = _nullable_bytes(buffer, pos)
            headers.append((h_key, h_value))
        if pos - start_pos != length:
            raise CorruptRecordException(
                f"Invalid record size: expected to read {length} bytes in record "
                f"payload, but instead read {pos - start_pos}"
            )
        self._pos = pos
        return _DefaultRecordPy(offset, timestamp, self.timestamp_type, key, value, headers)


def _nullable_bytes(buffer: Any, pos: int) -> tuple[bytes | None, int]:
    size, pos = decode_varint(buffer, pos)
    if size < 0:
        return None, pos
    return bytes(buffer[pos : pos + size]), pos + size


class _FallbackBatch:
    """One fetched batch: read by the fast reader, and from the first undecodable header key
    on by :class:`_TolerantBatch` (records already yielded are not yielded again)."""

    def __init__(self, fast: Any, view: memoryview) -> None:
        self._fast = fast
        self._view = view

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fast, name)

    def __iter__(self) -> Iterator[Any]:
        return self._records()

    def __next__(self) -> Any:
        return next(self._fast)

    def _records(self) -> Iterator[Any]:
        last = -1
        try:
            for record in self._fast:
                last = record.offset
                yield record
        except UnicodeDecodeError:
            for record in _TolerantBatch(self._view):
                if record.offset > last:
                    yield record


class _Records(_MemoryRecordsPy):  # type: ignore[misc]
    """aiokafka's reader of a fetch response, each v2 batch behind a :class:`_FallbackBatch`."""

    def next_batch(self, *args: Any) -> Any:
        view = self._next_slice
        batch = super().next_batch(*args)
        if view is None or not isinstance(batch, DefaultRecordBatch):
            return batch
        return _FallbackBatch(batch, view)


def tolerate_header_keys() -> None:
    """Make every consumer of this process read records whose header keys are not UTF-8."""
    fetcher.MemoryRecords = _Records
