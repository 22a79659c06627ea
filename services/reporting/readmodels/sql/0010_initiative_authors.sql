-- Format 10 (issue 18 item 1, a person's own initiatives): an initiative keeps its title and
-- its authors as submitted or last corrected (``authors``: [{"person_id", "full_name"}], an
-- author outside the directory without person_id), so a person's page lists the initiatives
-- they wrote; the GIN index answers ``authors @> '[{"person_id": …}]'``. Rows written before
-- are outdated with the format: a rebuild fills them (format 9 is another branch's).
UPDATE reporting_model SET format = 10;
ALTER TABLE reporting_initiatives
    ADD COLUMN title text,
    ADD COLUMN authors jsonb NOT NULL DEFAULT '[]';
CREATE INDEX reporting_initiatives_authors
    ON reporting_initiatives USING gin (authors jsonb_path_ops);
