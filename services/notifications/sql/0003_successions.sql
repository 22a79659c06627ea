-- The 2025 restructuring (issue 16): the departments' mergers, so that what concerns a
-- merged-away department's dossiers is told to its successor (units, people and campaigns
-- transferred to the successor change department in their own tables).
CREATE TABLE department_mergers (
    department_code       text PRIMARY KEY,
    into_department_code  text NOT NULL,
    effective_on          date NOT NULL
);
