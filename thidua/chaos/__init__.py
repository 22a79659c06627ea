"""The chaos run: the whole system on a stack of its own (three Kafka brokers, PostgreSQL, two
instances of every service under the supervisor) loads a province scenario while processes are
killed, stalled and restarted; afterwards it counts what came out.

``environment`` picks the run's state directory and ports, ``faults`` does the harm, ``checks``
counts (rollups, ingress offsets, event ids, DLQ, notifications), ``run`` puts them together
for ``thidua chaos`` and ``tests/chaos``.
"""
