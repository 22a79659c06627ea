-- Corrections of registration's facts (issue 15): the read copy keeps a withdrawn initiative
-- or research topic (it no longer counts as evidence) and a lifted or annulled discipline; and
-- awards keeps which dossiers named which evidence, so that a withdrawal finds the pending
-- nominations it weakens and the awards decided on it.
ALTER TABLE rc_initiatives ADD COLUMN withdrawn_on date;
ALTER TABLE rc_research ADD COLUMN withdrawn_on date;
ALTER TABLE rc_disciplines ADD COLUMN lifted_on date,
    ADD COLUMN annulled boolean NOT NULL DEFAULT false;

CREATE TABLE aw_evidence (
    evidence_kind    text NOT NULL,  -- 'initiative' or 'research'
    evidence_id      text NOT NULL,
    nomination_id    text NOT NULL,
    PRIMARY KEY (evidence_kind, evidence_id, nomination_id)
);
INSERT INTO aw_evidence (evidence_kind, evidence_id, nomination_id)
SELECT DISTINCT k.kind, k.id, e.envelope -> 'data' ->> 'nomination_id'
FROM events e,
     LATERAL (
         SELECT 'initiative' AS kind, value AS id
         FROM jsonb_array_elements_text(e.envelope -> 'data' -> 'evidence' -> 'initiative_ids')
         UNION ALL
         SELECT 'research', value
         FROM jsonb_array_elements_text(e.envelope -> 'data' -> 'evidence' -> 'research_ids')
     ) AS k
WHERE e.event_type = 'vn.thidua.awards.NominationSubmitted.v1'
ON CONFLICT DO NOTHING;
