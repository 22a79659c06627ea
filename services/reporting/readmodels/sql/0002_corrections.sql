-- Format 4 (issue 15, corrections and withdrawals): the facts counted now for each entity a
-- correction or a withdrawal may reverse (a rating, an initiative, research, a discipline, an
-- exemplary model, a conference), and a person's details before their corrections (staff as
-- of an earlier date keep them).
UPDATE reporting_model SET format = 4;
ALTER TABLE reporting_people ADD COLUMN earlier jsonb NOT NULL DEFAULT '[]';
CREATE TABLE reporting_counted (
    entity text COLLATE "C" PRIMARY KEY, event_ids jsonb NOT NULL);
