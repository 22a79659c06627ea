-- The reporting read model, format 3 (see readmodels/__init__.py). Dimensions, the state that
-- follows a registration, an initiative or a nomination across its events, facts with their
-- lines (one row per fact), and the pre-aggregated counters.

CREATE TABLE reporting_model (format integer NOT NULL);
INSERT INTO reporting_model VALUES (3);

CREATE TABLE reporting_ministries (
    ministry_id text PRIMARY KEY, name text NOT NULL, sector_code text NOT NULL);
CREATE TABLE reporting_provinces (province_id text PRIMARY KEY, name text NOT NULL);
CREATE TABLE reporting_departments (
    department_code text PRIMARY KEY, name text NOT NULL,
    province_id text NOT NULL, ministry_id text NOT NULL);
CREATE INDEX reporting_departments_province ON reporting_departments (province_id);
CREATE INDEX reporting_departments_ministry ON reporting_departments (ministry_id);
CREATE TABLE reporting_units (
    unit_id text PRIMARY KEY, department_code text NOT NULL, name text NOT NULL,
    kind text NOT NULL, parent_unit_id text, established_on date NOT NULL, ended_on date,
    headcount integer);
CREATE INDEX reporting_units_department ON reporting_units (department_code);
CREATE TABLE reporting_people (
    person_id text PRIMARY KEY, department_code text NOT NULL, full_name text NOT NULL,
    sex text NOT NULL, joined_on date NOT NULL, left_on date);
CREATE INDEX reporting_people_department ON reporting_people (department_code);
-- Dated changes of a person's unit and flags; a null column means "unchanged". ``seq`` orders
-- changes of the same date as they arrived.
CREATE TABLE reporting_person_history (
    person_id text NOT NULL, seq integer NOT NULL, effective_on date NOT NULL,
    unit_id text, is_leader boolean, is_direct_worker boolean,
    PRIMARY KEY (person_id, seq));
CREATE TABLE reporting_campaigns (
    campaign_id text PRIMARY KEY, department_code text NOT NULL, number text,
    title text NOT NULL, kind text NOT NULL, launching_level text NOT NULL, year integer NOT NULL,
    period_start date NOT NULL, period_end date NOT NULL, phases jsonb NOT NULL,
    emulation_targets jsonb NOT NULL, deadlines jsonb NOT NULL,
    closed_on date, cancelled boolean NOT NULL DEFAULT false);
CREATE INDEX reporting_campaigns_department ON reporting_campaigns (department_code, year);

CREATE TABLE reporting_registrations (
    campaign_id text NOT NULL, registrant_kind text NOT NULL, registrant_id text NOT NULL,
    event_id text NOT NULL, PRIMARY KEY (campaign_id, registrant_kind, registrant_id));
CREATE TABLE reporting_initiatives (
    initiative_id text PRIMARY KEY, department_code text NOT NULL, unit_id text NOT NULL,
    kind text NOT NULL, campaign_id text, submitted_on date NOT NULL);
CREATE TABLE reporting_nominations (
    nomination_id text PRIMARY KEY, department_code text NOT NULL, campaign_id text,
    year integer NOT NULL, title text NOT NULL, nominee_kind text NOT NULL,
    nominee_id text NOT NULL, unit_id text, status text NOT NULL, award_event_id text)
    WITH (fillfactor = 80);

-- Facts, lines, counters and staff changes compare their keys byte by byte (COLLATE "C"):
-- ids and codes, never sorted for a reader, and far cheaper to index than under a locale.

-- Facts, lines, counters and staff changes compare their text keys byte by byte (COLLATE
-- "C"): ids and codes, never shown sorted, and far cheaper to index than under a locale.

-- One row per counted event, frozen when it was applied.
CREATE TABLE reporting_facts (
    event_id text COLLATE "C" PRIMARY KEY, type text COLLATE "C" NOT NULL, kind text COLLATE "C" NOT NULL,
    effective_on date NOT NULL, department_code text COLLATE "C", unit_id text COLLATE "C", person_id text COLLATE "C",
    campaign_id text COLLATE "C", year integer, sign smallint NOT NULL, attrs jsonb NOT NULL);
CREATE INDEX reporting_facts_department ON reporting_facts (department_code);
CREATE INDEX reporting_facts_person ON reporting_facts (person_id);
CREATE INDEX reporting_facts_campaign ON reporting_facts (campaign_id);

-- What a fact adds, recomputed when a dimension it names changes: its placement (reporting
-- year, half-year of its date, campaign, phase; '' = none), its scopes (unit, department,
-- province, ministry; null where it has none) and its figures as parallel arrays: every scope
-- of the row gets every figure. The drill-down reads one scope's rows of one year; a unit as
-- of a date, its rows of a year or of a half-year.
CREATE TABLE reporting_fact_lines (
    event_id text COLLATE "C" PRIMARY KEY, year text COLLATE "C" NOT NULL, half text COLLATE "C" NOT NULL,
    campaign_id text COLLATE "C" NOT NULL, phase text COLLATE "C" NOT NULL, effective_on date NOT NULL,
    unit_id text COLLATE "C", department_code text COLLATE "C", province_id text COLLATE "C", ministry_id text COLLATE "C",
    figures text[] NOT NULL, keys text[] NOT NULL, counts integer[] NOT NULL,
    amounts bigint[] NOT NULL);
CREATE INDEX reporting_fact_lines_unit ON reporting_fact_lines (unit_id, year, effective_on);
CREATE INDEX reporting_fact_lines_unit_half
    ON reporting_fact_lines (unit_id, half, effective_on);
CREATE INDEX reporting_fact_lines_department
    ON reporting_fact_lines (department_code, year, effective_on);
CREATE INDEX reporting_fact_lines_department_dated
    ON reporting_fact_lines (department_code, effective_on);
CREATE INDEX reporting_fact_lines_province
    ON reporting_fact_lines (province_id, year, effective_on);
CREATE INDEX reporting_fact_lines_ministry
    ON reporting_fact_lines (ministry_id, year, effective_on);
CREATE INDEX reporting_fact_lines_campaign ON reporting_fact_lines (campaign_id, effective_on);

-- Counters are updated in place by every batch: pages keep room for the new row versions
-- (fillfactor), so updates stay on their page and leave the key index alone.
-- The sum of the lines per scope, period (the reporting year; the half-year of the date; the
-- campaign's phase), campaign ('' = none), figure and key. All campaigns = the sum over
-- campaign_id. Live figures read these.
CREATE TABLE reporting_counters (
    scope_kind text COLLATE "C" NOT NULL, scope_id text COLLATE "C" NOT NULL, period_kind text COLLATE "C" NOT NULL,
    period_id text COLLATE "C" NOT NULL, campaign_id text COLLATE "C" NOT NULL, figure text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL,
    count bigint NOT NULL, amount bigint NOT NULL,
    PRIMARY KEY (scope_kind, scope_id, period_kind, period_id, campaign_id, figure, key))
    WITH (fillfactor = 70);

-- The same sums per month of the effective date (effective_on = its first day), for
-- departments and all campaigns ('*'), per year and half-year: a department's figures as of a
-- date D sum a period's rows of the months before D's (one range of the key, whatever the
-- length of the history) and its lines from the first of D's month to D; a province's or a
-- ministry's, its departments'. A unit's, or one campaign's, are read from the lines.
CREATE TABLE reporting_dated_counters (
    scope_kind text COLLATE "C" NOT NULL, scope_id text COLLATE "C" NOT NULL, period_kind text COLLATE "C" NOT NULL,
    period_id text COLLATE "C" NOT NULL, effective_on date NOT NULL, campaign_id text COLLATE "C" NOT NULL,
    figure text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, count bigint NOT NULL, amount bigint NOT NULL,
    PRIMARY KEY (scope_kind, scope_id, period_kind, period_id, effective_on, campaign_id,
                 figure, key))
    WITH (fillfactor = 70);

-- Listed staff of each department as dated changes: a person adds one from the date they join
-- and takes it back from the date they leave; women likewise; a leader adds one to leaders
-- from the date their flag is set while listed. Staff on a date D sum the changes up to D.
CREATE TABLE reporting_staff_changes (
    department_code text COLLATE "C" NOT NULL, effective_on date NOT NULL,
    staff integer NOT NULL, women integer NOT NULL, leaders integer NOT NULL,
    PRIMARY KEY (department_code, effective_on));
