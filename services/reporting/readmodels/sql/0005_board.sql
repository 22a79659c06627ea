-- Format 6 (issue 17, the provincial board): the day each dossier was received, so that its
-- decision counts its processing days (dossiers.processing_days, key title|days); the votes
-- (NominationVoted: votes, key title|reached or title|below, amount = yes share in per mille)
-- and the awards to direct workers (awards.direct_workers) are counters like the others.
UPDATE reporting_model SET format = 6;
ALTER TABLE reporting_nominations ADD COLUMN received_on date;
-- The emulation blocs and the boards' yearly rankings (BlocFormed, BlocRanked): the province's
-- rollup lists its blocs' rankings with the leader and whether the leader got the flag.
CREATE TABLE reporting_blocs (bloc_id text PRIMARY KEY, name text NOT NULL, members jsonb NOT NULL);
CREATE TABLE reporting_bloc_rankings (
    bloc_id text NOT NULL, year integer NOT NULL, ranked_on date NOT NULL,
    ranking jsonb NOT NULL, leader_id text NOT NULL, PRIMARY KEY (bloc_id, year));
