-- Accounts, their sessions and the audit log (issue 4).
-- Portable SQL for SQLite and PostgreSQL, as in 00001: instants BIGINT unix
-- seconds, flags SMALLINT 0/1, optional text nullable. Numeric ids are
-- plain BIGINT keys given by the store (the next after the largest), since
-- SQLite's rowid alias and PostgreSQL's identity columns have no common
-- spelling. A session is kept by the SHA-256 of its token, never the token.

-- +goose Up
CREATE TABLE users (
    id                   BIGINT   NOT NULL PRIMARY KEY,
    username             TEXT     NOT NULL,
    display_name         TEXT,
    role                 TEXT     NOT NULL,
    town                 TEXT,
    worker_id            TEXT,
    password_hash        TEXT     NOT NULL,
    disabled             SMALLINT NOT NULL,
    must_change_password SMALLINT NOT NULL,
    failed_logins        INTEGER  NOT NULL,
    locked_until         BIGINT,
    created_at           BIGINT   NOT NULL
);
CREATE UNIQUE INDEX users_username ON users (username);
-- A grid worker has at most one account (NULLs do not collide).
CREATE UNIQUE INDEX users_worker_id ON users (worker_id);

CREATE TABLE sessions (
    token_hash   TEXT   NOT NULL PRIMARY KEY,
    user_id      BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- Append-only: the store has no statement that updates or deletes a row.
CREATE TABLE audit_log (
    id       BIGINT NOT NULL PRIMARY KEY,
    at       BIGINT NOT NULL,
    username TEXT   NOT NULL,
    action   TEXT   NOT NULL,
    object   TEXT,
    detail   TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_username_at ON audit_log (username, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE sessions;
DROP TABLE users;
