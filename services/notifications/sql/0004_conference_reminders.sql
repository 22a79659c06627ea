-- Issue 17, item 1: a conference's report (DOMAIN rule 25) is reminded 7 and 1 days before it
-- is due, to the organising department, unless it was received. The reminders of a conference
-- name it instead of a campaign.
CREATE TABLE conferences (
    conference_id    text PRIMARY KEY,
    department_code  text NOT NULL,
    event_id         text NOT NULL,  -- the ConferenceHeld (or ConferenceCorrected) due from
    kind             text NOT NULL,
    level            text NOT NULL,
    held_on          date NOT NULL,
    report_due       date NOT NULL,
    reported_on      date
);
ALTER TABLE reminders ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE reminders ADD COLUMN conference_id text;
CREATE INDEX reminders_of_conference ON reminders (conference_id) WHERE conference_id IS NOT NULL;
