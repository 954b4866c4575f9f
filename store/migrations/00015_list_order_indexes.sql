-- The records lists (issue 12): a list is newest first, ties by the key,
-- both descending, so that one index serves the whole order and a deep page
-- walks the index instead of sorting every row (a district's events at
-- page 20,000 took 12 s). The date indexes gain the key; rosters, listed
-- by their date, get one.

-- +goose Up
DROP INDEX events_reported_at;
CREATE INDEX events_reported_at ON events (reported_at, event_id);
DROP INDEX logins_logged_at;
CREATE INDEX logins_logged_at ON logins (logged_at, worker_id, channel);
DROP INDEX patrols_started_at;
CREATE INDEX patrols_started_at ON patrols (started_at, patrol_id);
DROP INDEX register_entered_at;
CREATE INDEX register_entered_at ON register (entered_at, person_id);
CREATE INDEX rosters_listed_on ON rosters (listed_on, person_id);
DROP INDEX visits_visited_at;
CREATE INDEX visits_visited_at ON visits (visited_at, visit_id);
DROP INDEX ballots_cast_at;
CREATE INDEX ballots_cast_at ON ballots (cast_at, ballot_id);

-- +goose Down
DROP INDEX ballots_cast_at;
CREATE INDEX ballots_cast_at ON ballots (cast_at);
DROP INDEX visits_visited_at;
CREATE INDEX visits_visited_at ON visits (visited_at);
DROP INDEX rosters_listed_on;
DROP INDEX register_entered_at;
CREATE INDEX register_entered_at ON register (entered_at);
DROP INDEX patrols_started_at;
CREATE INDEX patrols_started_at ON patrols (started_at);
DROP INDEX logins_logged_at;
CREATE INDEX logins_logged_at ON logins (logged_at);
DROP INDEX events_reported_at;
CREATE INDEX events_reported_at ON events (reported_at);
