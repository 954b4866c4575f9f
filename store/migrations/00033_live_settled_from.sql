-- A settled live result serves every moment from its settled_from on (the
-- end of the quarter's last day, or the latest closing of an event it
-- judged closed), earlier moments than its own as_of included: a result an
-- import computed as of its own moment serves an assessment as of a week
-- after the quarter. Kept rows are settled from their own moment, as
-- before.

-- +goose Up
ALTER TABLE live_results ADD COLUMN settled_from BIGINT NOT NULL DEFAULT 0;
UPDATE live_results SET settled_from = as_of;

-- +goose Down
ALTER TABLE live_results DROP COLUMN settled_from;
