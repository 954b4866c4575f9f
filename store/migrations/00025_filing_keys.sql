-- Signed filings (issue 16 item 4). A town's server signs the filing
-- package of a finalized quarter with the town's Ed25519 key (town_keys,
-- made on first use); the district's server registers each town's public
-- key (filing_keys) and keeps the packages it imported after checking
-- their signature (filings). Keys are base64 text; instants unix seconds.

-- +goose Up
CREATE TABLE town_keys (
    town        TEXT   NOT NULL PRIMARY KEY,
    public_key  TEXT   NOT NULL,
    private_key TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE TABLE filing_keys (
    town          TEXT   NOT NULL PRIMARY KEY,
    public_key    TEXT   NOT NULL,
    registered_at BIGINT NOT NULL,
    registered_by TEXT   NOT NULL
);
CREATE TABLE filings (
    town         TEXT   NOT NULL,
    quarter      TEXT   NOT NULL,
    finalized_at BIGINT NOT NULL,
    signed_at    BIGINT NOT NULL,
    workers      INTEGER NOT NULL,
    assessed     INTEGER NOT NULL,
    total_sum    BIGINT NOT NULL,
    pay_sum      BIGINT NOT NULL,
    imported_at  BIGINT NOT NULL,
    imported_by  TEXT   NOT NULL,
    package      BYTEA  NOT NULL,
    PRIMARY KEY (town, quarter)
);

-- +goose Down
DROP TABLE filings;
DROP TABLE filing_keys;
DROP TABLE town_keys;
