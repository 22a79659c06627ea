-- The awards service's tables, beside the runtime's event store (same schema).

-- Read copy of the registration service's facts (learned from thidua.registration.events only).
CREATE TABLE rc_units (
    unit_id          text PRIMARY KEY,
    department_code  text NOT NULL,
    name             text NOT NULL,
    kind             text NOT NULL,
    dissolved_on     date
);
CREATE TABLE rc_people (
    person_id        text PRIMARY KEY,
    department_code  text NOT NULL,
    unit_id          text NOT NULL,
    full_name        text NOT NULL,
    sex              text NOT NULL,
    is_leader        boolean NOT NULL DEFAULT false,
    joined_on        date NOT NULL,
    left_on          date
);
CREATE INDEX rc_people_unit ON rc_people (unit_id);
CREATE TABLE rc_campaigns (
    campaign_id           text PRIMARY KEY,
    department_code       text NOT NULL,
    year                  integer NOT NULL,
    kind                  text NOT NULL,
    period_start          date NOT NULL,
    period_end            date NOT NULL,
    registration_deadline date,
    dossier_deadline      date,
    closed_on             date
);
CREATE TABLE rc_registrations (
    campaign_id      text NOT NULL,
    registrant_kind  text NOT NULL,
    registrant_id    text NOT NULL,
    department_code  text NOT NULL,
    registered_on    date NOT NULL,
    withdrawn_on     date,
    titles           text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (campaign_id, registrant_kind, registrant_id)
);
CREATE TABLE rc_initiatives (
    initiative_id    text PRIMARY KEY,
    department_code  text NOT NULL,
    unit_id          text NOT NULL,
    campaign_id      text,
    author_ids       text[] NOT NULL DEFAULT '{}',
    author_names     text[] NOT NULL DEFAULT '{}',
    submitted_on     date,
    recognized_level text,
    recognized_on    date,
    rejected_on      date
);
CREATE TABLE rc_research (
    research_id      text PRIMARY KEY,
    department_code  text NOT NULL,
    unit_id          text NOT NULL,
    author_ids       text[] NOT NULL DEFAULT '{}',
    author_names     text[] NOT NULL DEFAULT '{}',
    level            text NOT NULL,
    accepted_on      date NOT NULL
);
CREATE TABLE rc_ratings (
    subject_kind     text NOT NULL,
    subject_id       text NOT NULL,
    year             integer NOT NULL,
    rating           text NOT NULL,
    PRIMARY KEY (subject_kind, subject_id, year)
);
CREATE TABLE rc_disciplines (
    person_id        text NOT NULL,
    unit_id          text NOT NULL,
    level            text NOT NULL,
    imposed_on       date NOT NULL,
    PRIMARY KEY (person_id, imposed_on, level)
);
CREATE TABLE rc_cases (
    case_id          text PRIMARY KEY,
    kind             text NOT NULL,
    subject_kind     text NOT NULL,
    subject_id       text NOT NULL,
    opened_on        date NOT NULL,
    closed_on        date
);
CREATE INDEX rc_cases_subject ON rc_cases (subject_id) WHERE closed_on IS NULL;
CREATE TABLE rc_bloc_leaders (
    bloc_id          text NOT NULL,
    year             integer NOT NULL,
    member_kind      text NOT NULL,
    member_id        text NOT NULL,
    PRIMARY KEY (bloc_id, year)
);

-- The awards service's own state, kept with the events that change it (same transaction).
CREATE TABLE aw_nominations (
    nomination_id    text PRIMARY KEY,
    department_code  text NOT NULL,
    year             integer NOT NULL,
    title            text NOT NULL,
    nominee_kind     text NOT NULL,
    nominee_id       text NOT NULL,
    status           text NOT NULL,
    case_id          text
);
CREATE INDEX aw_nominations_nominee ON aw_nominations (nominee_id);
CREATE TABLE aw_ballots (
    nomination_id    text NOT NULL,
    session_id       text NOT NULL,
    council_level    text NOT NULL,
    members_total    integer NOT NULL,
    members_present  integer NOT NULL,
    yes_votes        integer NOT NULL,
    session_on       date NOT NULL,
    PRIMARY KEY (nomination_id, session_id)
);
CREATE TABLE aw_titles (
    nomination_id    text PRIMARY KEY,
    department_code  text NOT NULL,
    nominee_kind     text NOT NULL,
    nominee_id       text NOT NULL,
    year             integer NOT NULL,
    title            text NOT NULL,
    method           text NOT NULL,
    achievement      text,
    decision_id      text NOT NULL,
    decision_date    date NOT NULL,
    cash_vnd         bigint NOT NULL,
    revoked_on       date
);
CREATE INDEX aw_titles_nominee ON aw_titles (nominee_id);
CREATE INDEX aw_titles_quota ON aw_titles (department_code, year, title) WHERE revoked_on IS NULL;
CREATE TABLE aw_initiative_uses (
    initiative_id    text PRIMARY KEY,
    nomination_id    text NOT NULL
);
