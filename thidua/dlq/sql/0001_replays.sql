-- Each replay of a dead letter: claimed before it is published (the primary key makes two
-- replays of one dead letter conflict), confirmed with where the copy landed.
CREATE TABLE dlq_replays (
    dlq_topic text NOT NULL,
    dlq_partition integer NOT NULL,
    dlq_offset bigint NOT NULL,
    replay integer NOT NULL,
    event_id text,
    target_topic text NOT NULL,
    target_partition integer NOT NULL,
    target_offset bigint,
    operator text NOT NULL,
    claimed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    replayed_at timestamptz,
    PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset, replay)
);
