-- The report of an upload's check, kept with the version of the records it
-- was checked against (data_version, 00008): opening the report again shows
-- it without reading the files again while the records are unchanged.

-- +goose Up
ALTER TABLE uploads ADD COLUMN report_json TEXT;
ALTER TABLE uploads ADD COLUMN report_version BIGINT;

-- +goose Down
ALTER TABLE uploads DROP COLUMN report_version;
ALTER TABLE uploads DROP COLUMN report_json;
