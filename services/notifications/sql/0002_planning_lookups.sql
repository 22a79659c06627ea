-- Lookups of the planning decisions, asked once per batch for every key it needs.

-- Subscriptions by the event types they name (GIN); those naming no type or a 'prefix*'
-- pattern are few, and have an index of their own.
CREATE FUNCTION wants_broadly(event_types text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN cardinality(event_types) = 0
        OR EXISTS (SELECT 1 FROM unnest(event_types) AS p(pattern) WHERE p.pattern LIKE '%*');
CREATE INDEX subscriptions_by_type ON subscriptions USING gin (event_types) WHERE active;
CREATE INDEX subscriptions_broad ON subscriptions (subscription_id)
    WHERE active AND wants_broadly(event_types);

-- Open campaigns of a department (a unit established late is told of them).
CREATE INDEX campaigns_open_by_department ON campaigns (department_code) WHERE NOT closed;
