-- Mappings of other systems' export files (issue 16 item 2): how a file
-- whose headers and values are not DATA.md's is read as records of one
-- kind, saved by a town's center under a name (town '' is the district's,
-- which every town may use). header_set recognises a file by its headers
-- whatever their order (gridscore.HeaderSet), so that one town has one
-- mapping per set of headers; columns is the mapping's columns as JSON
-- (gridscore.MappedColumn). Instants unix seconds.

-- +goose Up
CREATE TABLE import_mappings (
    town       TEXT   NOT NULL,
    name       TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    header_set TEXT   NOT NULL,
    columns    TEXT   NOT NULL,
    saved_at   BIGINT NOT NULL,
    saved_by   TEXT   NOT NULL,
    PRIMARY KEY (town, name)
);
CREATE UNIQUE INDEX import_mappings_header_set ON import_mappings (town, header_set);

-- +goose Down
DROP TABLE import_mappings;
