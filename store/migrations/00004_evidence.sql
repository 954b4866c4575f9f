-- Evidence (佐证) attached to a finding entered by hand: a photo or a PDF,
-- kept in the database itself so that several servers share it and a backup
-- of the database holds it. Portable SQL as in 00001-00003: ids BIGINT given
-- by the store, instants BIGINT unix seconds; BYTEA is PostgreSQL's binary
-- type, which SQLite stores as given (a blob).

-- +goose Up
CREATE TABLE evidence (
    id           BIGINT NOT NULL PRIMARY KEY,
    finding_id   TEXT   NOT NULL,
    name         TEXT   NOT NULL,
    content_type TEXT   NOT NULL,
    size_bytes   BIGINT NOT NULL,
    content      BYTEA  NOT NULL,
    uploaded_by  TEXT   NOT NULL,
    uploaded_at  BIGINT NOT NULL
);
CREATE INDEX evidence_finding_id ON evidence (finding_id);

-- The lists of records filter by worker and order by date: the kinds that
-- had no index for it get one.
CREATE INDEX leaves_from_date ON leaves (from_date);
CREATE INDEX quiz_worker_taken_on ON quiz (worker_id, taken_on);
CREATE INDEX meetings_held_on ON meetings (held_on);
CREATE INDEX register_entered_at ON register (entered_at);
CREATE INDEX rosters_grid_code ON rosters (grid_code, listed_on);

-- +goose Down
DROP INDEX rosters_grid_code;
DROP INDEX register_entered_at;
DROP INDEX meetings_held_on;
DROP INDEX quiz_worker_taken_on;
DROP INDEX leaves_from_date;
DROP TABLE evidence;
