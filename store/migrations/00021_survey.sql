-- The satisfaction survey gridscore runs itself (issue 15): a town's
-- campaigns, their one-time ballots, the paper tallies typed in, and what
-- each ballot of the survey came from. A ballot of any source is a row of
-- ballots like an imported one, so that RULES.md §6, the standing and the
-- warnings count it; survey_ballots only says where it came from.
--
-- survey_tokens holds a one-time ballot by the SHA-256 of its code, never
-- the code itself, and only whether it was used (state 0 unused, 1 used,
-- 2 ended by the campaign's close): not when, and not which ballot it
-- became, so that nobody who knows who was handed which sheet can find
-- that person's answer. Nothing about the voter is stored anywhere.
-- survey_guesses counts, by client address, codes that do not exist, to
-- stop scripted guessing (a voter's answer is never counted). Instants are
-- unix seconds, 0 for none.

-- +goose Up
CREATE TABLE survey_campaigns (
    id         BIGINT NOT NULL PRIMARY KEY,
    town       TEXT   NOT NULL,
    quarter    TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    opens_at   BIGINT NOT NULL,
    closes_at  BIGINT NOT NULL,
    closed_at  BIGINT NOT NULL,
    closed_by  TEXT   NOT NULL,
    created_by TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX survey_campaigns_town ON survey_campaigns (town, quarter);

CREATE TABLE survey_grids (
    campaign_id BIGINT  NOT NULL,
    grid_code   TEXT    NOT NULL,
    cadre       INTEGER NOT NULL,
    resident    INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, grid_code)
);

CREATE TABLE survey_tokens (
    token_hash  TEXT     NOT NULL PRIMARY KEY,
    campaign_id BIGINT   NOT NULL,
    batch       INTEGER  NOT NULL,
    grid_code   TEXT     NOT NULL,
    rater_group TEXT     NOT NULL,
    state       SMALLINT NOT NULL
);
CREATE INDEX survey_tokens_campaign ON survey_tokens (campaign_id, grid_code);

CREATE TABLE survey_tallies (
    id          BIGINT  NOT NULL PRIMARY KEY,
    campaign_id BIGINT  NOT NULL,
    worker_id   TEXT    NOT NULL,
    grid_code   TEXT    NOT NULL,
    rater_group TEXT    NOT NULL,
    satisfied   INTEGER NOT NULL,
    basic       INTEGER NOT NULL,
    unsatisfied INTEGER NOT NULL,
    note        TEXT    NOT NULL,
    entered_by  TEXT    NOT NULL,
    entered_at  BIGINT  NOT NULL
);
CREATE INDEX survey_tallies_campaign ON survey_tallies (campaign_id);

CREATE TABLE survey_ballots (
    ballot_id   TEXT   NOT NULL PRIMARY KEY,
    campaign_id BIGINT NOT NULL,
    grid_code   TEXT   NOT NULL,
    source      TEXT   NOT NULL,
    tally_id    BIGINT NOT NULL,
    comment     TEXT   NOT NULL
);
CREATE INDEX survey_ballots_campaign ON survey_ballots (campaign_id);

CREATE TABLE survey_guesses (
    client        TEXT    NOT NULL PRIMARY KEY,
    failures      INTEGER NOT NULL,
    first_at      BIGINT  NOT NULL,
    blocked_until BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE survey_guesses;
DROP TABLE survey_ballots;
DROP TABLE survey_tallies;
DROP TABLE survey_tokens;
DROP TABLE survey_grids;
DROP TABLE survey_campaigns;
