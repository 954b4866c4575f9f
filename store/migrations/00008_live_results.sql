-- Live results, shared by every server: the last result computed live for a
-- town's quarter, kept with the moment it is computed as of and the version
-- of the records it was computed from. Every change to the records (an
-- import, a record entered, edited or deleted by hand) raises the version,
-- so a stored live result is used only while the records it rests on are
-- unchanged.

-- +goose Up
CREATE TABLE data_version (
    id      SMALLINT NOT NULL PRIMARY KEY,
    version BIGINT   NOT NULL
);
INSERT INTO data_version (id, version) VALUES (1, 0);

CREATE TABLE live_results (
    town        TEXT   NOT NULL,
    quarter     TEXT   NOT NULL,
    as_of       BIGINT NOT NULL,
    version     BIGINT NOT NULL,
    scheme      TEXT   NOT NULL,
    result_json TEXT   NOT NULL,
    computed_at BIGINT NOT NULL,
    PRIMARY KEY (town, quarter)
);

-- +goose Down
DROP TABLE live_results;
DROP TABLE data_version;
