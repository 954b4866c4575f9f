-- An API token is valid until expires_at (unix seconds), chosen when it is
-- created (3, 6, 12 or 24 months), so that a secret forgotten in an
-- integration does not authorize writes forever; 0 for the tokens created
-- before, which stay valid until revoked.

-- +goose Up
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE api_tokens DROP COLUMN expires_at;
