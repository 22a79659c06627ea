"""The message FastStream hands a subscription for a batch is freed when the batch is done,
by reference counting: the decoder's "body" was the message itself, which FastStream keeps on
the message, and each batch (its records, their header tuples) waited for the cyclic
collector, which then walked them on the path to the rollup."""

from __future__ import annotations

import gc
import weakref

from tests.unit.test_record_span import _record
from thidua.es.subscribe import _Holder, _raw


async def test_a_decoded_batch_is_freed_without_the_cyclic_collector() -> None:
    parse, decode = _raw(_Holder())
    records = (_record(("traceparent", b"00-x")), _record())
    gc.collect()
    gc.disable()
    try:
        message = await parse(records)
        message.set_decoder(decode)
        body = await message.decode()  # FastStream's way: decoded once, kept on the message
        assert body.raw_message == records  # the handler reads the message through it
        freed = weakref.ref(message)
        del message, body
        assert freed() is None
    finally:
        gc.enable()
