-- A committed upload is kept (issue 12): its page shows what was imported,
-- when and by whom, instead of answering that the upload is gone. Its
-- files' contents are emptied at the commit; report_json then holds the
-- commit's report.

-- +goose Up
ALTER TABLE uploads ADD COLUMN committed_at BIGINT;
ALTER TABLE uploads ADD COLUMN committed_by TEXT;

-- +goose Down
ALTER TABLE uploads DROP COLUMN committed_by;
ALTER TABLE uploads DROP COLUMN committed_at;
