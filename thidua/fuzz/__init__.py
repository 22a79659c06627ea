"""The fuzz run of Kafka records (issue 13, section 7).

Hostile records, generated from the committed JSON Schemas (hypothesis-jsonschema) and then
mutated, mixed with valid traffic and sent to departments' ingress topics of a system of its
own (registration and awards in this process, on topics, consumer groups and a database schema
of their own). Every record carries its precise expectation (``cases.Expect``): refused with
reasons from a given set, accepted (facts appear), ignored (an identical fact under a new id)
or a duplicate (the same id and content again). Afterwards every offset is matched to exactly
one outcome and compared (``accounting``).

- ``cases``: the world (departments, units), valid traffic, records out of order, replays;
- ``spoil``: valid events spoilt on the wire (bytes, headers, content types, sizes, NUL…);
- ``generate``: payloads and envelopes drawn from the committed schemas, and their mutations;
- ``run``: the system, the sending, the wait and the report;
- ``accounting``: what became of each offset;
- ``python -m thidua.fuzz`` / ``thidua fuzz --records N``: the command line.
"""
