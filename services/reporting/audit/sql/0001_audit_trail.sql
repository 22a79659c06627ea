-- The audit trail (nhật ký): every fact of every service's events topic and every refusal,
-- once per event id, with the subjects it concerns. Append-only: a row never changes, so the
-- trail depends only on the set of events read (a rebuild gives the same rows).

CREATE TABLE audit_events (
    event_id text PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('fact', 'refusal')),
    type text NOT NULL,
    occurred_at timestamptz NOT NULL,
    source text NOT NULL,            -- the envelope's CloudEvents source (the deciding service)
    producer text,                   -- who sent it: a refusal's refused producer, else source
    department text,                 -- the department it concerns (a refusal: the sender's)
    decided_by text,                 -- the service that decided (accepted or refused)
    causation_id text,
    correlation_id text,
    cloud_subject text,
    original_id text,                -- a refusal: the refused event's id
    original_type text,
    codes text[] NOT NULL DEFAULT '{}',
    reasons jsonb,                   -- a refusal: [{code, message, field}], in Vietnamese
    summary text NOT NULL,
    data jsonb NOT NULL,
    topic text NOT NULL COLLATE "C",
    kafka_partition integer NOT NULL,
    kafka_offset bigint NOT NULL);
CREATE INDEX audit_events_causation ON audit_events (causation_id) WHERE causation_id IS NOT NULL;
CREATE INDEX audit_events_original ON audit_events (original_id) WHERE original_id IS NOT NULL;

CREATE TABLE audit_subjects (
    subject_kind text NOT NULL COLLATE "C",
    subject_id text NOT NULL COLLATE "C",
    event_id text NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, event_id));

-- Where a department sits (from DepartmentRegistered), to scope a subject by its department's
-- province and ministry like the rollups; the latest registration wins whatever the order read.
CREATE TABLE audit_departments (
    department_code text PRIMARY KEY,
    province_id text NOT NULL,
    ministry_id text NOT NULL,
    registered_at timestamptz NOT NULL,
    event_id text NOT NULL);
