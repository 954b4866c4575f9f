-- One table per record kind of DATA.md §1, keyed by the kind's key.
-- Portable SQL for SQLite and PostgreSQL (and engines compatible with it):
-- dates are TEXT 'YYYY-MM-DD', instants BIGINT unix seconds, money BIGINT
-- fen, flags SMALLINT 0/1; NULL means "no value". Optional text columns are
-- nullable, since some engines store '' as NULL. References between tables
-- are checked in Go, where a bad row can be named precisely.

-- +goose Up
CREATE TABLE grids (
    grid_code TEXT NOT NULL PRIMARY KEY,
    grid_name TEXT NOT NULL,
    community TEXT,
    town      TEXT NOT NULL
);

CREATE TABLE workers (
    worker_id               TEXT     NOT NULL PRIMARY KEY,
    name                    TEXT     NOT NULL,
    worker_type             TEXT     NOT NULL,
    stationed               SMALLINT NOT NULL,
    grid_code               TEXT     NOT NULL,
    hired_on                TEXT     NOT NULL,
    left_on                 TEXT,
    phone                   TEXT,
    monthly_performance_fen BIGINT,
    quarterly_subsidy_fen   BIGINT
);
CREATE INDEX workers_grid_code ON workers (grid_code);

CREATE TABLE events (
    event_id    TEXT     NOT NULL PRIMARY KEY,
    worker_id   TEXT     NOT NULL,
    flow        TEXT     NOT NULL,
    severity    TEXT     NOT NULL,
    category    TEXT,
    occurred_at BIGINT,
    reported_at BIGINT   NOT NULL,
    deadline    BIGINT,
    closed_at   BIGINT,
    card        TEXT,
    irregular   SMALLINT NOT NULL
);
CREATE INDEX events_worker_reported_at ON events (worker_id, reported_at);
CREATE INDEX events_reported_at ON events (reported_at);
CREATE INDEX events_deadline ON events (deadline);

CREATE TABLE logins (
    worker_id TEXT   NOT NULL,
    channel   TEXT   NOT NULL,
    logged_at BIGINT NOT NULL,
    PRIMARY KEY (worker_id, channel, logged_at)
);
CREATE INDEX logins_logged_at ON logins (logged_at);

CREATE TABLE patrols (
    patrol_id  TEXT   NOT NULL PRIMARY KEY,
    worker_id  TEXT   NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at   BIGINT,
    distance_m BIGINT NOT NULL
);
CREATE INDEX patrols_started_at ON patrols (started_at);
CREATE INDEX patrols_worker_started_at ON patrols (worker_id, started_at);

CREATE TABLE leaves (
    worker_id TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT NOT NULL,
    reason    TEXT,
    PRIMARY KEY (worker_id, from_date)
);

CREATE TABLE register (
    person_id  TEXT   NOT NULL PRIMARY KEY,
    category   TEXT   NOT NULL,
    grid_code  TEXT   NOT NULL,
    entered_at BIGINT NOT NULL,
    left_at    BIGINT,
    name       TEXT,
    id_number  TEXT
);
CREATE INDEX register_grid_code ON register (grid_code);

CREATE TABLE rosters (
    person_id  TEXT NOT NULL,
    category   TEXT NOT NULL,
    grid_code  TEXT NOT NULL,
    listed_on  TEXT NOT NULL,
    department TEXT,
    PRIMARY KEY (person_id, listed_on)
);

CREATE TABLE visits (
    visit_id   TEXT   NOT NULL PRIMARY KEY,
    person_id  TEXT   NOT NULL,
    worker_id  TEXT   NOT NULL,
    visited_at BIGINT NOT NULL,
    note       TEXT
);
CREATE INDEX visits_visited_at ON visits (visited_at);
CREATE INDEX visits_person_visited_at ON visits (person_id, visited_at);

CREATE TABLE meetings (
    meeting_id TEXT NOT NULL PRIMARY KEY,
    held_on    TEXT NOT NULL,
    title      TEXT NOT NULL,
    kind       TEXT
);

CREATE TABLE attendance (
    meeting_id TEXT NOT NULL,
    worker_id  TEXT NOT NULL,
    status     TEXT NOT NULL,
    PRIMARY KEY (meeting_id, worker_id)
);
CREATE INDEX attendance_worker_id ON attendance (worker_id);

CREATE TABLE findings (
    finding_id  TEXT    NOT NULL PRIMARY KEY,
    worker_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    occurred_on TEXT    NOT NULL,
    occurrences INTEGER NOT NULL,
    note        TEXT,
    evidence    TEXT
);
CREATE INDEX findings_occurred_on ON findings (occurred_on);
CREATE INDEX findings_worker_occurred_on ON findings (worker_id, occurred_on);

CREATE TABLE quiz (
    quiz_id       TEXT    NOT NULL PRIMARY KEY,
    worker_id     TEXT    NOT NULL,
    taken_on      TEXT    NOT NULL,
    wrong_answers INTEGER NOT NULL
);
CREATE INDEX quiz_taken_on ON quiz (taken_on);

CREATE TABLE ballots (
    ballot_id   TEXT   NOT NULL PRIMARY KEY,
    worker_id   TEXT   NOT NULL,
    rater_group TEXT   NOT NULL,
    rating      TEXT   NOT NULL,
    cast_at     BIGINT NOT NULL
);
CREATE INDEX ballots_cast_at ON ballots (cast_at);
CREATE INDEX ballots_worker_cast_at ON ballots (worker_id, cast_at);

CREATE TABLE calendar (
    day  TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT
);

-- +goose Down
DROP TABLE calendar;
DROP TABLE ballots;
DROP TABLE quiz;
DROP TABLE findings;
DROP TABLE attendance;
DROP TABLE meetings;
DROP TABLE visits;
DROP TABLE rosters;
DROP TABLE register;
DROP TABLE leaves;
DROP TABLE patrols;
DROP TABLE logins;
DROP TABLE events;
DROP TABLE workers;
DROP TABLE grids;
