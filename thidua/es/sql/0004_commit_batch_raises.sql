-- es_commit_batch raises (SQLSTATE TD001, the stream in DETAIL) when a stream it was asked
-- to check has moved, instead of returning it: the statement then undoes its own inbox rows,
-- so a batch whose only write is this statement can run it outside a transaction (no BEGIN
-- and COMMIT: two round trips fewer a batch). It still returns NULL when it wrote.
CREATE OR REPLACE FUNCTION es_commit_batch(
    inbox_ids text[], inbox_types text[], inbox_sources text[], inbox_digests text[],
    inbox_topics text[], inbox_partitions integer[], inbox_offsets bigint[], inbox_outcomes text[],
    read_ids text[], read_versions integer[],
    stream_ids text[], versions integer[], event_ids text[], event_types text[], envelopes jsonb[]
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    moved text;
BEGIN
    IF cardinality(inbox_ids) > 0 THEN
        INSERT INTO inbox (event_id, event_type, source, digest, topic, kafka_partition,
                           kafka_offset, outcome)
        SELECT * FROM unnest(inbox_ids, inbox_types, inbox_sources, inbox_digests, inbox_topics,
                             inbox_partitions, inbox_offsets, inbox_outcomes);
    END IF;
    IF coalesce(cardinality(read_ids), 0) = 0 AND coalesce(cardinality(stream_ids), 0) = 0 THEN
        RETURN NULL;
    END IF;
    -- The schema's append lock, held to the commit: positions are drawn in commit order. The
    -- notification, delivered at commit, wakes the schema's outbox relay.
    PERFORM pg_advisory_xact_lock(hashtext('append:' || current_schema())),
            pg_notify('appended:' || current_schema(), '');
    SELECT r.id INTO moved
    FROM unnest(read_ids, read_versions) WITH ORDINALITY AS r(id, version, n)
    WHERE coalesce((SELECT max(e.version) FROM events e WHERE e.stream_id = r.id), 0)
          <> r.version
    ORDER BY r.n
    LIMIT 1;
    IF moved IS NOT NULL THEN
        RAISE EXCEPTION 'stream % moved', moved
            USING ERRCODE = 'TD001', DETAIL = moved;
    END IF;
    IF cardinality(stream_ids) > 0 THEN
        INSERT INTO events (stream_id, version, event_id, event_type, envelope)
        SELECT * FROM unnest(stream_ids, versions, event_ids, event_types, envelopes);
    END IF;
    RETURN NULL;
END
$$;
