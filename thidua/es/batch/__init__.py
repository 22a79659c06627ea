"""Deciding a batch of records: one inbox query, streams loaded together, one append, one commit.

For a batch of Kafka records a command consumer:

1. reads each record (``intake.read_event``): malformed ones become refusals, types another
   service owns are passed over;
2. looks up every id in the inbox with one query (a redelivery, or a reused id);
3. decides the records in order, in memory. Streams come from the consumer's cache (valid
   while it owns its partitions) or are loaded, those every record of the batch is missing in
   one query per round (see :class:`thidua.es.decider.Missing`); a record sees the facts
   decided by the records before it;
4. keeps the read models of what it decided, then, in one statement (``es_commit_batch``),
   records the inbox and appends every fact and refusal, checking that no stream it read has
   moved (optimistic concurrency), and commits once. The append takes the schema's append
   lock, held until the commit: it comes last, so the lock is not held while the read models
   are written.

A handler in the older style (an ``async`` function given a :class:`UnitOfWork`, which may
query its service's own tables) runs in a savepoint of the batch's transaction, so a refusal
undoes only its record's writes; its appends are staged like a decider's.

The package's modules, one a step: ``reading`` (a record read, and whose it is), ``pure`` (a
pure decider's records decided in memory), ``rejection`` (a refusal as its fact) and
``decision`` (:class:`BatchDecision`, which runs them around the inbox, the append and the
commit).
"""

from thidua.es.admission import ingress_refusal
from thidua.es.batch.decision import BatchDecision
from thidua.es.batch.pure import MAX_LOAD_ROUNDS
from thidua.es.batch.reading import Outcome, Ownership, ReadBatch
from thidua.es.batch.rejection import rejection_event
from thidua.es.session import Around, Handler, StreamCache, UnitOfWork

__all__ = [
    "MAX_LOAD_ROUNDS",
    "Around",
    "BatchDecision",
    "Handler",
    "Outcome",
    "Ownership",
    "ReadBatch",
    "StreamCache",
    "UnitOfWork",
    "ingress_refusal",
    "rejection_event",
]
