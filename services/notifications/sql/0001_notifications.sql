-- Read copies of the directory and of the facts the rules need (kept by the consumers).
CREATE TABLE departments (
    department_code text PRIMARY KEY,
    name text NOT NULL,
    province_id text,
    ministry_id text
);
CREATE TABLE organisations (
    org_kind text NOT NULL,
    org_id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (org_kind, org_id)
);
CREATE TABLE units (
    unit_id text PRIMARY KEY,
    department_code text NOT NULL,
    name text NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX units_by_department ON units (department_code) WHERE active;
CREATE TABLE people (
    person_id text PRIMARY KEY,
    department_code text NOT NULL,
    unit_id text NOT NULL,
    full_name text NOT NULL,
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX people_by_department ON people (department_code) WHERE active;
CREATE TABLE contacts (
    org_kind text NOT NULL,
    org_id text NOT NULL,
    email text,
    webhook_url text,
    PRIMARY KEY (org_kind, org_id)
);
CREATE TABLE campaigns (
    campaign_id text PRIMARY KEY,
    department_code text NOT NULL,
    launch_event_id text NOT NULL,
    plan jsonb NOT NULL,
    closed boolean NOT NULL DEFAULT false
);
CREATE TABLE registrations (
    campaign_id text NOT NULL,
    registrant_kind text NOT NULL,  -- unit | person
    registrant_id text NOT NULL,
    unit_id text NOT NULL,
    PRIMARY KEY (campaign_id, registrant_kind, registrant_id)
);
CREATE TABLE initiatives (
    initiative_id text PRIMARY KEY,
    department_code text NOT NULL,
    unit_id text NOT NULL,
    title text NOT NULL,
    author_ids text[] NOT NULL DEFAULT '{}'
);
CREATE TABLE nominations (
    nomination_id text PRIMARY KEY,
    department_code text NOT NULL,
    campaign_id text,
    nominee_kind text NOT NULL,
    nominee_id text NOT NULL,
    unit_id text,
    title text NOT NULL
);

-- Explicit subscriptions (from SubscriptionCreated / SubscriptionCancelled in this store).
CREATE TABLE subscriptions (
    subscription_id text PRIMARY KEY,
    recipient_kind text NOT NULL,
    recipient_id text NOT NULL,
    channel text NOT NULL,
    address text NOT NULL,
    event_types text[] NOT NULL DEFAULT '{}',
    department_code text,
    active boolean NOT NULL DEFAULT true
);

-- Reminders scheduled from campaign deadlines; evaluated by the dispatcher when due.
CREATE TABLE reminders (
    reminder_id text PRIMARY KEY,
    campaign_id text NOT NULL,
    kind text NOT NULL,  -- registration | dossier
    deadline date NOT NULL,
    days_before integer NOT NULL,
    due_at timestamptz NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'done', 'expired', 'cancelled')),
    evaluated_at timestamptz
);
CREATE INDEX reminders_due ON reminders (due_at) WHERE status = 'pending';

-- One row per (cause, recipient, route): planning twice plans nothing new.
CREATE TABLE deliveries (
    delivery_id uuid PRIMARY KEY,
    cause_key text NOT NULL,
    causation_event_id text NOT NULL,
    correlation_id text,
    department text,
    recipient_kind text NOT NULL,
    recipient_id text NOT NULL,
    recipient_name text NOT NULL,
    route text NOT NULL,  -- contact | system | subscription:<id>
    subscription_id text,
    channel text,  -- null until resolved from the contact at the first attempt
    address text,
    template text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    data jsonb NOT NULL,
    status text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'sending', 'confirming', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error text,
    planned_at timestamptz NOT NULL,
    sent_at timestamptz,
    UNIQUE (cause_key, recipient_kind, recipient_id, route)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';

-- The in-app inbox (kênh thông báo trong hệ thống), read over HTTP.
CREATE TABLE inbox_messages (
    message_id uuid PRIMARY KEY,
    recipient_kind text NOT NULL,
    recipient_id text NOT NULL,
    template text NOT NULL,
    subject text NOT NULL,
    body text NOT NULL,
    data jsonb NOT NULL,
    delivered_at timestamptz NOT NULL,
    read_at timestamptz
);
CREATE INDEX inbox_by_recipient ON inbox_messages (recipient_kind, recipient_id, delivered_at);

-- "Nơi nhận" lines that matched no organisation, for the operators.
CREATE TABLE unresolved_recipients (
    campaign_id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (campaign_id, name)
);
