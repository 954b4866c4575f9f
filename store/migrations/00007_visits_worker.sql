-- A town's visits are those of its persons or by its workers: with this
-- index both halves are read through an index, not by a scan of the
-- quarter's visits of every town.

-- +goose Up
CREATE INDEX visits_worker_visited_at ON visits (worker_id, visited_at);

-- +goose Down
DROP INDEX visits_worker_visited_at;
