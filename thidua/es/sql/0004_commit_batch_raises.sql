-- A stream that es_commit_batch found moved (its result) as an error: SQLSTATE TD001, the
-- stream in DETAIL. Called in the same statement (``SELECT es_stream_moved(es_commit_batch(…))``),
-- the error undoes that statement's inbox rows, so a batch whose only write is this statement
-- can run it outside a transaction (no BEGIN and COMMIT: two round trips fewer a batch).
CREATE FUNCTION es_stream_moved(moved text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    IF moved IS NOT NULL THEN
        RAISE EXCEPTION 'stream % moved', moved USING ERRCODE = 'TD001', DETAIL = moved;
    END IF;
    RETURN NULL;
END
$$;
