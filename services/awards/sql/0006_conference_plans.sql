-- Issue 17, item 1: a campaign's conference plan (DOMAIN rule 25), as CampaignLaunched states
-- it, so that ConferenceHeld and ConferenceCorrected are checked against it. Campaigns read
-- before this version have none here (their conferences are not checked against a plan).
ALTER TABLE rc_campaigns ADD COLUMN conference jsonb;
