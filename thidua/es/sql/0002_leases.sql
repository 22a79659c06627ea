-- Leases elect one leader per job (the outbox relay, a dispatcher) among a service's
-- instances. Each taking-over draws a new epoch; a leader's writes check the epoch they hold,
-- so a leader that stalled past its lease (and was replaced) can no longer write.
CREATE TABLE leases (
    name        text        PRIMARY KEY,
    holder      text        NOT NULL,
    epoch       bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);

-- The epoch of the lease under which the checkpoint was last moved (only ever forward).
ALTER TABLE outbox_checkpoint ADD COLUMN epoch bigint NOT NULL DEFAULT 0;
