-- Format 6 (issue 17, the provincial board): the day each dossier was received, so that its
-- decision counts its processing days (dossiers.processing_days, key title|days); the votes
-- (NominationVoted: votes, key title|reached or title|below, amount = yes share in per mille)
-- and the awards to direct workers (awards.direct_workers) are counters like the others.
UPDATE reporting_model SET format = 6;
ALTER TABLE reporting_nominations ADD COLUMN received_on date;
