"""The event-sourcing kernel every service is built on."""

from thidua.es.records import tolerate_header_keys

# Every Kafka consumer of a process that uses the kernel (service subscriptions, rebuilds, the
# DLQ tools, projections' catch-up reads) must read a record whose header key is not UTF-8
# instead of stalling its partition (see thidua.es.records).
tolerate_header_keys()
