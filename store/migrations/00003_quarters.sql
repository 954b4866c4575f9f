-- The quarter's life (RULES.md §8), per town: its state, the stored results
-- of the last computation (the snapshot pages show, frozen once finalized),
-- the deductions the center voided and the workers' appeals.
-- Portable SQL as in 00001 and 00002: instants BIGINT unix seconds, ids
-- BIGINT given by the store. A deduction is named by its worker, rule,
-- period and evidence ids joined with ',' (evidence_key).

-- +goose Up
CREATE TABLE quarter_states (
    town         TEXT   NOT NULL,
    quarter      TEXT   NOT NULL,
    state        TEXT   NOT NULL,
    as_of        BIGINT,
    computed_at  BIGINT,
    published_at BIGINT,
    finalized_at BIGINT,
    filed_at     BIGINT,
    updated_by   TEXT,
    PRIMARY KEY (town, quarter)
);

-- base_fen is the pay the total scales (RULES.md §7), kept so that a
-- voided deduction can change the pay without reading the records again.
CREATE TABLE result_snapshots (
    town        TEXT   NOT NULL,
    quarter     TEXT   NOT NULL,
    worker_id   TEXT   NOT NULL,
    result_json TEXT   NOT NULL,
    base_fen    BIGINT NOT NULL,
    PRIMARY KEY (town, quarter, worker_id)
);

CREATE TABLE voided_deductions (
    town         TEXT   NOT NULL,
    quarter      TEXT   NOT NULL,
    worker_id    TEXT   NOT NULL,
    rule         TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    evidence_key TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    voided_by    TEXT   NOT NULL,
    voided_at    BIGINT NOT NULL,
    PRIMARY KEY (town, quarter, worker_id, rule, period, evidence_key)
);

CREATE TABLE appeals (
    id           BIGINT NOT NULL PRIMARY KEY,
    town         TEXT   NOT NULL,
    quarter      TEXT   NOT NULL,
    worker_id    TEXT   NOT NULL,
    rule         TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    evidence_key TEXT   NOT NULL,
    reason       TEXT   NOT NULL,
    status       TEXT   NOT NULL,
    reply        TEXT,
    created_at   BIGINT NOT NULL,
    decided_at   BIGINT,
    decided_by   TEXT
);
CREATE INDEX appeals_town_quarter ON appeals (town, quarter, status);
CREATE INDEX appeals_worker ON appeals (worker_id, quarter);

-- +goose Down
DROP TABLE appeals;
DROP TABLE voided_deductions;
DROP TABLE result_snapshots;
DROP TABLE quarter_states;
