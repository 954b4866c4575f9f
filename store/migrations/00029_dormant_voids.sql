-- A void whose deduction a later computation no longer has (the records
-- it rested on changed after a reopen) is dormant: it is kept, and applies
-- again should the deduction come back, but it changes nothing meanwhile,
-- so the worker's page says so and the filing leaves it out. dormant_since
-- is when a computation first found it so (Unix seconds), NULL while the
-- void is in effect.

-- +goose Up
ALTER TABLE voided_deductions ADD COLUMN dormant_since BIGINT;

-- +goose Down
ALTER TABLE voided_deductions DROP COLUMN dormant_since;
