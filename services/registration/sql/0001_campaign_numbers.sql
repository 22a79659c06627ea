-- Plan numbers are unique per issuer and document year (DOMAIN rule 27). Kept in the same
-- transaction as the CampaignLaunched append, so it never disagrees with the event store.
CREATE TABLE campaign_numbers (
    issuer       text    NOT NULL,
    year         integer NOT NULL,
    number       text    NOT NULL,
    campaign_id  text    NOT NULL,
    PRIMARY KEY (issuer, year, number)
);
