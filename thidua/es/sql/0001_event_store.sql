-- The event store: every fact a service accepted, in commit order.
-- (stream_id, version) is the optimistic-concurrency check; "position" is the global order.
-- Appends take an advisory transaction lock before drawing a position, so positions are
-- drawn in commit order and a reader never sees a later position before an earlier one.
CREATE TABLE events (
    position     bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    stream_id    text        NOT NULL,
    version      integer     NOT NULL CHECK (version >= 1),
    event_id     text        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    envelope     jsonb       NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (stream_id, version)
);

-- Inbox: ids of incoming events whose effect has been committed (idempotency).
CREATE TABLE inbox (
    event_id     text        PRIMARY KEY,
    event_type   text        NOT NULL,
    source       text        NOT NULL,
    digest       text        NOT NULL,
    topic        text        NOT NULL,
    kafka_partition integer  NOT NULL,
    kafka_offset bigint      NOT NULL,
    outcome      text        NOT NULL CHECK (outcome IN ('accepted', 'rejected', 'ignored')),
    received_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- How far the outbox relay has published the event store.
CREATE TABLE outbox_checkpoint (
    relay        text        PRIMARY KEY,
    position     bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- How far each projection has applied each topic partition (next offset to apply).
CREATE TABLE projection_checkpoints (
    projection   text    NOT NULL,
    topic        text    NOT NULL,
    kafka_partition integer NOT NULL,
    next_offset  bigint  NOT NULL,
    PRIMARY KEY (projection, topic, kafka_partition)
);
