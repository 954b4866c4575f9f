-- Staged upload files in parts (issue 13): a file is written and read one
-- part (at most 1 MB) at a time, so that a 200 MB upload is never held
-- whole in a server's memory, where six views of it took 3 GB. The parts
-- of the files staged before this migration are copied, each file as one
-- part; upload_files keeps each file's name and size (its content column
-- is no longer written).
--
-- check_until marks an upload whose report a server is working out, until
-- when (unix seconds, renewed while it works): the other views of the
-- upload wait for that report instead of reading the files again. Portable
-- SQL as in the migrations before it.

-- +goose Up
CREATE TABLE upload_parts (
    upload_id BIGINT  NOT NULL,
    seq       INTEGER NOT NULL,
    part      INTEGER NOT NULL,
    data      BYTEA   NOT NULL,
    PRIMARY KEY (upload_id, seq, part)
);
INSERT INTO upload_parts (upload_id, seq, part, data)
    SELECT upload_id, seq, 1, content FROM upload_files WHERE length(content) > 0;
ALTER TABLE uploads ADD COLUMN check_until BIGINT;

-- +goose Down
ALTER TABLE uploads DROP COLUMN check_until;
DROP TABLE upload_parts;
