-- A nomination's row is written when its dossier arrives and updated as it moves (voted,
-- approved or rejected, returned). Pages filled to the brim left no room for a row's new
-- version beside the old: 99% of the updates were not HOT, each wrote the row to another page
-- and a new entry in both indexes (the primary key and the nominee's). Pages written from now
-- on keep half their room for the updates (neither status nor case_id is indexed, so an
-- update in place touches no index): 97% HOT in a scenario, a third of the WAL per update.
ALTER TABLE aw_nominations SET (fillfactor = 50);
