-- The 2025 restructuring (issue 16): the read copy keeps the departments' names (for the
-- refusals that name a successor), their mergers, and the units and campaigns transferred to a
-- successor (a unit's department on a day; rc_units, rc_people and rc_campaigns keep the
-- current one). A department registered before this version has no name here until renamed:
-- a refusal then cites its code.
CREATE TABLE rc_departments (
    department_code  text PRIMARY KEY,
    name             text NOT NULL
);
CREATE TABLE rc_department_mergers (
    department_code       text PRIMARY KEY,
    into_department_code  text NOT NULL,
    effective_on          date NOT NULL,
    legal_basis           text
);
CREATE TABLE rc_transfers (
    subject_kind          text NOT NULL,  -- 'collective' (a unit) or 'campaign'
    subject_id            text NOT NULL,
    effective_on          date NOT NULL,
    from_department_code  text NOT NULL,
    to_department_code    text NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, effective_on)
);
