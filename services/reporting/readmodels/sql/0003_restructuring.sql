-- Format 5 (issue 16, the 2025 restructuring): when a ministry, a province or a department was
-- established, and every dated change of one (renamed, merged into a successor, dissolved) or
-- of a unit or a campaign moved to a successor department (transferred), one row per event.
-- Queries read the mergers back as thidua.es.succession.Successions (services/reporting/
-- lifecycle.py); no counter, fact or line changes: each figure stays with the organisation
-- that recorded it, and a report "with predecessors" adds theirs.
UPDATE reporting_model SET format = 5;
ALTER TABLE reporting_ministries ADD COLUMN established_on date;
ALTER TABLE reporting_provinces ADD COLUMN established_on date;
ALTER TABLE reporting_departments ADD COLUMN established_on date;
CREATE TABLE reporting_lifecycle (
    event_id text COLLATE "C" PRIMARY KEY, kind text COLLATE "C" NOT NULL,
    code text COLLATE "C" NOT NULL, change text COLLATE "C" NOT NULL,
    effective_on date NOT NULL, into_code text COLLATE "C", from_code text COLLATE "C",
    name text, basis text);
CREATE INDEX reporting_lifecycle_code ON reporting_lifecycle (kind, code);
