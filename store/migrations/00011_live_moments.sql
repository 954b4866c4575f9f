-- Live results by moment (issue 12): a town's quarter keeps the results of
-- its last few moments, so that the next five-minute moment can be computed
-- ahead while pages still show the current one, and a result that is
-- settled (the quarter over, no event of it still open) serves every later
-- moment. The table is a cache: its rows are dropped, not converted.

-- +goose Up
DROP TABLE live_results;
CREATE TABLE live_results (
    town        TEXT     NOT NULL,
    quarter     TEXT     NOT NULL,
    as_of       BIGINT   NOT NULL,
    version     BIGINT   NOT NULL,
    scheme      TEXT     NOT NULL,
    settled     SMALLINT NOT NULL,
    result_json TEXT     NOT NULL,
    computed_at BIGINT   NOT NULL,
    PRIMARY KEY (town, quarter, as_of)
);

-- +goose Down
DROP TABLE live_results;
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
