-- Format 9 (issue 18, the search's speed): each name's folded words as an array (``search_words``,
-- generated like ``search_name``) with a GIN index, and the vocabulary of every word a name
-- has held (``reporting_search_words``, kept by statement triggers on the two tables of
-- names; a word is never taken out: the arrays decide, the vocabulary only widens a query
-- word to the name words that contain it). A query word ``w`` matches a name when one of its
-- words contains ``w`` (``words && ARRAY(vocabulary LIKE '%w%')``): the same names as
-- ``search_name LIKE '%w%'`` (a query word has no space), answered by exact posting lists
-- instead of the trigram lists of common trigrams ("ong", "ngu") and their rechecks. The
-- names' trigram indexes of format 7 answer no query any more: dropped (``search_name`` stays,
-- the ranking's word similarity reads it). ``fastupdate = off``: a name's few words go into
-- the index at once, not into a pending list that every search would read through (200,000
-- people copied in at once made a full-name search 15 times slower until a vacuum).
-- ``greatest``: a model made at format 10 before this migration existed (0010 was merged
-- first) gets it applied at the next start and stays at 10, complete.
UPDATE reporting_model SET format = greatest(format, 9);
CREATE TABLE reporting_search_words (word text PRIMARY KEY);
CREATE INDEX reporting_search_words_trgm
    ON reporting_search_words USING gin (word public.gin_trgm_ops) WITH (fastupdate = off);
ALTER TABLE reporting_people
    ADD COLUMN search_words text[]
        GENERATED ALWAYS AS (string_to_array(search_fold(full_name), ' ')) STORED;
ALTER TABLE reporting_units
    ADD COLUMN search_words text[]
        GENERATED ALWAYS AS (string_to_array(search_fold(name), ' ')) STORED;
DROP INDEX reporting_people_search;
DROP INDEX reporting_units_search;
CREATE INDEX reporting_people_search_words ON reporting_people USING gin (search_words)
    WITH (fastupdate = off);
CREATE INDEX reporting_units_search_words ON reporting_units USING gin (search_words)
    WITH (fastupdate = off);
CREATE FUNCTION search_words_seen() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO reporting_search_words
        SELECT DISTINCT unnest(search_words) FROM named ORDER BY 1 ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_people_words_inserted AFTER INSERT ON reporting_people
    REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION search_words_seen();
CREATE TRIGGER reporting_people_words_updated AFTER UPDATE ON reporting_people
    REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION search_words_seen();
CREATE TRIGGER reporting_units_words_inserted AFTER INSERT ON reporting_units
    REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION search_words_seen();
CREATE TRIGGER reporting_units_words_updated AFTER UPDATE ON reporting_units
    REFERENCING NEW TABLE AS named FOR EACH STATEMENT EXECUTE FUNCTION search_words_seen();
INSERT INTO reporting_search_words
    SELECT unnest(search_words) FROM reporting_people
    UNION SELECT unnest(search_words) FROM reporting_units
    ON CONFLICT DO NOTHING;
-- The person's and the unit's pages: a unit's facts by kind (a unit's ratings and discipline
-- no longer read through its thousands of award, dossier and registration facts), and the
-- registrations and initiatives of one registrant or unit without a scan of the table.
DROP INDEX reporting_facts_unit;
CREATE INDEX reporting_facts_unit ON reporting_facts (unit_id, kind);
CREATE INDEX reporting_registrations_registrant
    ON reporting_registrations (registrant_id, registrant_kind);
CREATE INDEX reporting_initiatives_unit ON reporting_initiatives (unit_id);
