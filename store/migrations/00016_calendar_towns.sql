-- Calendar days and meetings belong to a town (issue 13): DATA.md §1 gives
-- both an optional town, empty for the district's. A calendar day's key
-- becomes its date and town, so that the district and each town may set
-- the same date; a town's own day wins over the district's (RULES.md §0).
--
-- Every stored calendar day held for every town: it becomes the
-- district's (town ''), so that every assessment stays as it was. A stored
-- meeting whose recorded attendance is all of one town's workers becomes
-- that town's (only that town could change it before); any other meeting
-- becomes the district's. A meeting's town does not change any result.
--
-- SQLite cannot change a primary key in place, so the calendar is rebuilt;
-- the same statements serve PostgreSQL.

-- +goose Up
CREATE TABLE calendar_towns (
    day  TEXT NOT NULL,
    town TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (day, town)
);
INSERT INTO calendar_towns (day, town, kind, name) SELECT day, '', kind, name FROM calendar;
DROP TABLE calendar;
ALTER TABLE calendar_towns RENAME TO calendar;

ALTER TABLE meetings ADD COLUMN town TEXT NOT NULL DEFAULT '';
UPDATE meetings SET town = (
    SELECT MIN(COALESCE(g.town, '')) FROM attendance a
      LEFT JOIN workers w ON w.worker_id = a.worker_id
      LEFT JOIN grids g ON g.grid_code = w.grid_code
     WHERE a.meeting_id = meetings.meeting_id)
 WHERE meeting_id IN (
    SELECT a.meeting_id FROM attendance a
      LEFT JOIN workers w ON w.worker_id = a.worker_id
      LEFT JOIN grids g ON g.grid_code = w.grid_code
     GROUP BY a.meeting_id
    HAVING COUNT(DISTINCT COALESCE(g.town, '')) = 1);

-- +goose Down
-- A town's day of a date the district (or another town) also set is lost:
-- one day per date is all the old table holds. The district's is kept.
CREATE TABLE calendar_dates (
    day  TEXT NOT NULL PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT
);
INSERT INTO calendar_dates (day, kind, name)
SELECT c.day, c.kind, c.name FROM calendar c
 WHERE c.town = (SELECT MIN(o.town) FROM calendar o WHERE o.day = c.day);
DROP TABLE calendar;
ALTER TABLE calendar_dates RENAME TO calendar;

ALTER TABLE meetings DROP COLUMN town;
