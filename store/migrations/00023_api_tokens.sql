-- The tokens of the JSON API (issue 16 item 1): one per integration (the
-- grid app, the platform), created by a town's administrator, scoped to
-- the town, to the kinds of records it may write (write_kinds, their
-- DATA.md names joined by commas) and to reading results (can_read). The
-- token itself is shown once and kept only as its SHA-256 (token_hash),
-- as sessions are. A revoked token stays listed (revoked_at, revoked_by);
-- a name is unique among the town's tokens that are not revoked.
-- Instants are unix seconds; last_used_at is 0 until the first use.

-- +goose Up
CREATE TABLE api_tokens (
    id           BIGINT   NOT NULL PRIMARY KEY,
    town         TEXT     NOT NULL,
    name         TEXT     NOT NULL,
    token_hash   TEXT     NOT NULL,
    write_kinds  TEXT     NOT NULL,
    can_read     SMALLINT NOT NULL,
    created_at   BIGINT   NOT NULL,
    created_by   TEXT     NOT NULL,
    last_used_at BIGINT   NOT NULL,
    revoked_at   BIGINT   NOT NULL,
    revoked_by   TEXT     NOT NULL
);
CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (town, name) WHERE revoked_at = 0;

-- +goose Down
DROP TABLE api_tokens;
