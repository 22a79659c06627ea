-- Awards decides from streams (see services/awards/streams.py): what a later decision must see
-- of awards' own facts (a nominee's titles, a department's count of LĐTT and CSTĐCS in a year,
-- an initiative's use, a nomination's ballots) moves from tables written by the handlers into
-- "claim:" streams of the event store (kept, not published), built here from the facts already
-- recorded. aw_nominations and aw_titles stay, as read models kept from the facts.

ALTER TABLE aw_nominations ADD COLUMN achievement text;
UPDATE aw_nominations n SET achievement = s.envelope -> 'data' ->> 'achievement'
FROM (
    SELECT DISTINCT ON (stream_id) stream_id, envelope FROM events
    WHERE event_type = 'vn.thidua.awards.NominationSubmitted.v1'
    ORDER BY stream_id, version DESC
) AS s
WHERE s.stream_id = 'nomination:' || n.nomination_id;
UPDATE aw_titles t SET achievement = n.achievement
FROM aw_nominations n WHERE n.nomination_id = t.nomination_id;

INSERT INTO events (stream_id, version, event_id, event_type, envelope)
SELECT c.stream_id,
       row_number() OVER (PARTITION BY c.stream_id ORDER BY c.position, c.part),
       c.id, c.event_type,
       jsonb_set(jsonb_set(c.envelope, '{id}', to_jsonb(c.id)), '{subject}', to_jsonb(c.stream_id))
FROM (
    -- a nominee's titles: every approval and revocation
    SELECT 'claim:titles:' || n.nominee_id AS stream_id, e.position, 0 AS part,
           gen_random_uuid()::text AS id, e.event_type, e.envelope
    FROM events e JOIN aw_nominations n ON e.stream_id = 'nomination:' || n.nomination_id
    WHERE e.event_type IN ('vn.thidua.awards.NominationApproved.v1',
                           'vn.thidua.awards.AwardRevoked.v1')
    UNION ALL
    -- a department's LĐTT and CSTĐCS of a year
    SELECT 'claim:quota:' || n.department_code || ':' || n.year || ':' || n.title, e.position, 1,
           gen_random_uuid()::text, e.event_type, e.envelope
    FROM events e JOIN aw_nominations n ON e.stream_id = 'nomination:' || n.nomination_id
    WHERE n.title IN ('LDTT', 'CSTDCS')
      AND e.event_type IN ('vn.thidua.awards.NominationApproved.v1',
                           'vn.thidua.awards.AwardRevoked.v1')
    UNION ALL
    -- initiatives in use: the approval of the award that uses each
    SELECT 'claim:initiative-use:' || u.initiative_id, e.position, 2,
           gen_random_uuid()::text, e.event_type, e.envelope
    FROM aw_initiative_uses u
    JOIN events e ON e.stream_id = 'nomination:' || u.nomination_id
                 AND e.event_type = 'vn.thidua.awards.NominationApproved.v1'
    UNION ALL
    -- ballots: the session's vote with this nomination's result alone
    SELECT 'claim:ballots:' || b.nomination_id, e.position, 3,
           gen_random_uuid()::text, e.event_type,
           jsonb_set(e.envelope, '{data,results}',
                     jsonb_build_array(jsonb_build_object('nomination_id', b.nomination_id,
                                                          'yes_votes', b.yes_votes)))
    FROM aw_ballots b
    JOIN events e ON e.stream_id = 'council:' || b.session_id AND e.version = 1
) AS c;

DROP TABLE aw_ballots;
DROP TABLE aw_initiative_uses;
