-- Rule 2 (DOMAIN.md §5): a research topic registered after the plan's registration deadline is
-- not evidence for that year. A topic is registered when a unit's or a person's registration
-- pledges it (Registration.research_topics with its research_id); the earliest such date is
-- kept. Registrations folded before this migration pledged no topic awards kept: none is
-- backfilled (the read copy has no research pledges to recover).
CREATE TABLE rc_research_pledges (
    research_id      text PRIMARY KEY,
    registered_on    date NOT NULL
);
