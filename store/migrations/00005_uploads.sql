-- Import files uploaded through the browser, staged until the person who
-- uploaded them commits or cancels the import (issue 4). They are kept in
-- the database, not in one server's memory or disk, so that any of several
-- servers sharing the database can show the report and commit. Portable SQL
-- as in 00001-00004: ids BIGINT given by the store, instants BIGINT unix
-- seconds; BYTEA is PostgreSQL's binary type, which SQLite stores as given.

-- +goose Up
CREATE TABLE uploads (
    id         BIGINT NOT NULL PRIMARY KEY,
    town       TEXT   NOT NULL,
    username   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    size_bytes BIGINT NOT NULL
);
CREATE INDEX uploads_created_at ON uploads (created_at);

-- One row per file, in the order uploaded (seq from 1).
CREATE TABLE upload_files (
    upload_id  BIGINT  NOT NULL,
    seq        INTEGER NOT NULL,
    name       TEXT    NOT NULL,
    size_bytes BIGINT  NOT NULL,
    content    BYTEA   NOT NULL,
    PRIMARY KEY (upload_id, seq)
);

-- +goose Down
DROP TABLE upload_files;
DROP TABLE uploads;
