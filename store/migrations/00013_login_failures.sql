-- The login throttle (issue 13): failed logins are counted by the username
-- typed and the client address they came from, whether or not the username
-- is an account's, so that a stranger cannot lock an account out by typing
-- its name and nobody learns from the answers which usernames exist. One
-- row per (username, client); username '' counts a client's failures over
-- all usernames, client '' holds a username's lock after guessing from many
-- addresses. Instants are unix seconds, 0 for none. The counters beside each
-- account go: the lock of an account is its row with client ''.

-- +goose Up
CREATE TABLE login_failures (
    username      TEXT    NOT NULL,
    client        TEXT    NOT NULL,
    failures      INTEGER NOT NULL,
    last_at       BIGINT  NOT NULL,
    blocked_until BIGINT  NOT NULL,
    PRIMARY KEY (username, client)
);
CREATE INDEX login_failures_last_at ON login_failures (last_at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- +goose Down
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until BIGINT;
DROP TABLE login_failures;
