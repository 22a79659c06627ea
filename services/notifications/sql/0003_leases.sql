-- Fenced leases of background leaders (the dispatcher): the epoch is checked by every write.
CREATE TABLE leases (
    name text PRIMARY KEY,
    holder text NOT NULL,
    epoch bigint NOT NULL,
    expires_at timestamptz NOT NULL
);
