"""Benchmarks that print figures: raw Kafka and PostgreSQL baselines, the event store against the
``eventsourcing`` library's PostgreSQL recorder. Run with ``python -m thidua.bench``."""
