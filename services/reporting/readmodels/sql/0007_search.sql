-- Format 7 (issue 18, search): people and units found by name without diacritics or case
-- ("nguyen thi hoa" finds "Nguyễn Thị Hoa", "dao" finds "Đào"). ``search_fold`` is the one
-- normal form of a name, PostgreSQL's own ``unaccent`` (created in ``public`` by the stack's
-- provisioning, thidua/dbroles.py, with ``pg_trgm``) with đ/Đ mapped to d (whatever the
-- dictionary says) and lower case, kept in a generated column (``search_name``: computed
-- once per write, not at every search); trigram GIN indexes over it answer LIKE. Column and
-- indexes are kept by the projection's own writes and made again by every rebuild.
UPDATE reporting_model SET format = 7;
CREATE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(translate(public.unaccent('public.unaccent'::regdictionary, $1), 'đĐ', 'dD'));
ALTER TABLE reporting_people
    ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(full_name)) STORED;
ALTER TABLE reporting_units
    ADD COLUMN search_name text GENERATED ALWAYS AS (search_fold(name)) STORED;
CREATE INDEX reporting_people_search
    ON reporting_people USING gin (search_name public.gin_trgm_ops);
CREATE INDEX reporting_units_search
    ON reporting_units USING gin (search_name public.gin_trgm_ops);
CREATE INDEX reporting_person_history_unit ON reporting_person_history (unit_id, person_id);
CREATE INDEX reporting_facts_unit ON reporting_facts (unit_id);
