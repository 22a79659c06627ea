-- Dossiers ask whether their nominees are registered, by registrant (kind, id), without the
-- campaign for a dossier that names none. The primary key leads with the campaign, so that
-- lookup read the whole table: a hash of every registration, 280-560 ms a batch once the table
-- held 157,000 rows (spilling to disk). With this index each key is one probe (lookups.py).
CREATE INDEX rc_registrations_registrant ON rc_registrations (registrant_kind, registrant_id);
