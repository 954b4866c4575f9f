-- Records versions by worker and grid (issue 14): a town's live result is
-- brought up to date by computing again only the workers whose results
-- rest on records changed since it was computed. A worker's result rests
-- on their own records (worker_versions), on their grid's row, workers,
-- register, rosters and visits (grid_versions), on their town's calendar
-- days (town_versions.whole) and on what every town rests on (the
-- district's calendar, an import too large to note what it touched:
-- data_version, see town_epoch). data_version.refs is the version of the
-- last change noted to grids, workers, meetings or calendar days (what a
-- town's workers are assessed with beside their records; a change to every
-- town counts too): a server keeps a town's such rows read while it is
-- unchanged. Each column holds the version (data_version) of the last
-- change to it; a row that is missing has not changed since this
-- migration. The live results kept before it are
-- dropped (the table is a cache): the changes they predate were noted by
-- town alone, so a worker's missing row would not tell them.

-- +goose Up
CREATE TABLE worker_versions (
    worker_id TEXT   NOT NULL PRIMARY KEY,
    version   BIGINT NOT NULL
);
CREATE TABLE grid_versions (
    grid_code TEXT   NOT NULL PRIMARY KEY,
    version   BIGINT NOT NULL
);
ALTER TABLE town_versions ADD COLUMN whole BIGINT NOT NULL DEFAULT 0;
ALTER TABLE data_version ADD COLUMN refs BIGINT NOT NULL DEFAULT 0;
DELETE FROM live_results;

-- +goose Down
ALTER TABLE data_version DROP COLUMN refs;
ALTER TABLE town_versions DROP COLUMN whole;
DROP TABLE grid_versions;
DROP TABLE worker_versions;
