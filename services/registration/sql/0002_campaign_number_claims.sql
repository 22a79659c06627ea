-- Plan numbers are now claimed by a stream of the event store ("claim:campaign-number:…"),
-- appended with the launch, so the uniqueness check is the store's own version check. The
-- numbers already taken become claims (a copy of their campaign's CampaignLaunched under a
-- new id); the relay does not publish claim streams.
INSERT INTO events (stream_id, version, event_id, event_type, envelope)
SELECT 'claim:campaign-number:' || c.issuer || ':' || c.year || ':' || c.number, 1,
       u.id, e.event_type, jsonb_set(e.envelope, '{id}', to_jsonb(u.id))
FROM campaign_numbers c
JOIN events e ON e.stream_id = 'campaign:' || c.campaign_id AND e.version = 1
CROSS JOIN LATERAL (SELECT gen_random_uuid()::text AS id) u
ORDER BY c.issuer, c.year, c.number;

DROP TABLE campaign_numbers;
