-- Plan numbers are now claimed by a stream of the event store ("claim:campaign-number:…"),
-- appended with the launch, so the uniqueness check is the store's own version check. The
-- numbers already taken become claims (a copy of their campaign's CampaignLaunched under a
-- new id); the relay does not publish claim streams.
INSERT INTO events (stream_id, version, event_id, event_type, envelope)
SELECT claim.stream_id, 1, claim.id, claim.event_type,
       jsonb_set(claim.envelope, '{id}', to_jsonb(claim.id))
FROM (
    SELECT 'claim:campaign-number:' || c.issuer || ':' || c.year || ':' || c.number
               AS stream_id,
           gen_random_uuid()::text AS id,  -- volatile: drawn for each row
           e.event_type, e.envelope
    FROM campaign_numbers c
    JOIN events e ON e.stream_id = 'campaign:' || c.campaign_id AND e.version = 1
    ORDER BY c.issuer, c.year, c.number
) AS claim;

DROP TABLE campaign_numbers;
