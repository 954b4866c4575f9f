-- Records versions by town (issue 14): a change made by hand to one
-- worker's records (a leave, a finding, a quiz, an attendance) makes only
-- the live results of that worker's town outdated, not every town's. Any
-- other change (an import, grids, workers, the register, rosters, visits,
-- meetings, the calendar) still outdates every town: it raises
-- data_version alone, as before. town_epoch keeps the version of the last
-- such change before the run of town changes that followed it (epoch) and
-- the version of the last town change (last_town_bump); town_versions the
-- version of each town's last own change (store.DB.TownVersion).

-- +goose Up
CREATE TABLE town_epoch (
    id             SMALLINT NOT NULL PRIMARY KEY,
    epoch          BIGINT   NOT NULL,
    last_town_bump BIGINT   NOT NULL
);
INSERT INTO town_epoch (id, epoch, last_town_bump) VALUES (1, 0, -1);
CREATE TABLE town_versions (
    town    TEXT   NOT NULL PRIMARY KEY,
    version BIGINT NOT NULL
);

-- +goose Down
DROP TABLE town_versions;
DROP TABLE town_epoch;
