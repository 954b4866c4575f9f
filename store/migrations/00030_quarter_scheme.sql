-- The scheme a quarter's stored results were computed under (its id and
-- name), so that the filing, the result and the pay sheet of a finalized
-- quarter name that scheme after the configured one changes, and so that
-- voiding a deduction or upholding an appeal is refused, rather than
-- scored under other rules, while the configured scheme differs. NULL for
-- results stored before they were kept.

-- +goose Up
ALTER TABLE quarter_states ADD COLUMN scheme TEXT;
ALTER TABLE quarter_states ADD COLUMN scheme_name TEXT;

-- +goose Down
ALTER TABLE quarter_states DROP COLUMN scheme_name;
ALTER TABLE quarter_states DROP COLUMN scheme;
