package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The satisfaction survey's campaigns, one-time ballots and paper tallies
// (migration 00021). A ballot answered or counted is written into ballots,
// the table the engine reads, with a row of survey_ballots saying where it
// came from; the towns' live results are outdated like after a change by
// hand to a worker's records (surveyChanged).

// The states of a one-time ballot (survey_tokens.state).
const (
	TokenUnused = 0
	TokenUsed   = 1
	TokenEnded  = 2
)

// CreateCampaign stores a new campaign and its grids, sets c.ID, and
// appends the audit entries audit returns for the new id, in one
// transaction. The caller validates c.
func (db *DB) CreateCampaign(ctx context.Context, c *gs.Campaign, check func(gs.QuarterState) error, audit func(id int64) []gs.AuditEntry) error {
	op := "create campaign"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := db.quarterShared(ctx, tx, c.Town, c.Quarter.String())
	if err != nil {
		return db.wrap(op, err)
	}
	if err := check(st); err != nil {
		return err
	}
	id, err := db.nextID(ctx, tx, "survey_campaigns")
	if err != nil {
		return db.wrap(op, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_campaigns
		(id, town, quarter, title, opens_at, closes_at, closed_at, closed_by, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, 0, '', $7, $8)`,
		id, c.Town, c.Quarter.String(), c.Title, c.OpensAt.Unix(), c.ClosesAt.Unix(), c.CreatedBy, c.CreatedAt.Unix())
	if err != nil {
		return db.wrap(op, err)
	}
	for _, g := range c.Grids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_grids (campaign_id, grid_code, cadre, resident)
			VALUES ($1, $2, $3, $4)`, id, g.GridCode, g.Cadre, g.Resident); err != nil {
			return db.wrap(op, err)
		}
	}
	if err := db.appendAudit(ctx, tx, audit(id)); err != nil {
		return db.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap(op, err)
	}
	c.ID = id
	return nil
}

const campaignCols = "id, town, quarter, title, opens_at, closes_at, closed_at, closed_by, created_by, created_at"

// scanCampaign reads a row of campaignCols.
func scanCampaign(sc interface{ Scan(...any) error }, c *gs.Campaign) error {
	var q string
	var opens, closes, closed, created int64
	if err := sc.Scan(&c.ID, &c.Town, &q, &c.Title, &opens, &closes, &closed, &c.ClosedBy, &c.CreatedBy, &created); err != nil {
		return err
	}
	quarter, err := gs.ParseQuarter(q)
	if err != nil {
		return err
	}
	c.Quarter, c.OpensAt, c.ClosesAt, c.CreatedAt = quarter, unixCST(opens), unixCST(closes), unixCST(created)
	if closed != 0 {
		c.ClosedAt = unixCST(closed)
	}
	return nil
}

// Campaigns lists the campaigns of town ("" every town's), newest first,
// each with its grids.
func (db *DB) Campaigns(ctx context.Context, town string) ([]gs.Campaign, error) {
	op := "campaigns"
	query, args := "SELECT "+campaignCols+" FROM survey_campaigns", []any{}
	if town != "" {
		query, args = query+" WHERE town = $1", append(args, town)
	}
	rows, err := db.read.QueryContext(ctx, query+" ORDER BY id DESC", args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	defer rows.Close()
	var out []gs.Campaign
	for rows.Next() {
		var c gs.Campaign
		if err := scanCampaign(rows, &c); err != nil {
			return nil, db.wrap(op, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, db.wrap(op, err)
	}
	cond, args := "", []any{}
	if town != "" {
		cond, args = "campaign_id IN (SELECT id FROM survey_campaigns WHERE town = $1)", []any{town}
	}
	grids, err := campaignGrids(ctx, db.read, cond, args...)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	for i := range out {
		out[i].Grids = grids[out[i].ID]
	}
	return out, nil
}

// Campaign returns a campaign with its grids; ENOTFOUND when there is
// none.
func (db *DB) Campaign(ctx context.Context, id int64) (*gs.Campaign, error) {
	var c gs.Campaign
	err := scanCampaign(db.read.QueryRowContext(ctx, "SELECT "+campaignCols+" FROM survey_campaigns WHERE id = $1", id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, gs.Errorf(gs.ENOTFOUND, "没有这次满意度评价。")
	}
	if err != nil {
		return nil, db.wrap("campaign", err)
	}
	grids, err := campaignGrids(ctx, db.read, "campaign_id = $1", id)
	if err != nil {
		return nil, db.wrap("campaign", err)
	}
	c.Grids = grids[id]
	return &c, nil
}

// campaignGrids returns the grids of the campaigns whose rows of
// survey_grids satisfy cond ("" all), by campaign id, in one query: a list
// of campaigns reads its grids at once, not campaign by campaign.
func campaignGrids(ctx context.Context, q queryer, cond string, args ...any) (map[int64][]gs.CampaignGrid, error) {
	query := "SELECT campaign_id, grid_code, cadre, resident FROM survey_grids"
	if cond != "" {
		query += " WHERE " + cond
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY campaign_id, grid_code", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]gs.CampaignGrid{}
	for rows.Next() {
		var id int64
		var g gs.CampaignGrid
		if err := rows.Scan(&id, &g.GridCode, &g.Cadre, &g.Resident); err != nil {
			return nil, err
		}
		out[id] = append(out[id], g)
	}
	return out, rows.Err()
}

// CloseCampaign closes campaign id at at, by by, ending every ballot of it
// not yet used, and appends the entries audit gives for the number ended;
// it returns that number.
// A campaign closed already, or whose end (closes_at) is at or before at,
// is ECONFLICT, and nothing changes: it ended on its own, and is not
// closed early again.
func (db *DB) CloseCampaign(ctx context.Context, id int64, at time.Time, by string, audit func(ended int64) []gs.AuditEntry) (int64, error) {
	op := "close campaign"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE survey_campaigns SET closed_at = $2, closed_by = $3
		WHERE id = $1 AND closed_at = 0 AND closes_at > $2`, id, at.Unix(), by)
	if err != nil {
		return 0, db.wrap(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return 0, db.wrap(op, err)
	} else if n == 0 {
		return 0, gs.Errorf(gs.ECONFLICT, "这次满意度评价已经结束。")
	}
	res, err = tx.ExecContext(ctx, `UPDATE survey_tokens SET state = $2 WHERE campaign_id = $1 AND state = $3`,
		id, TokenEnded, TokenUnused)
	if err != nil {
		return 0, db.wrap(op, err)
	}
	ended, err := res.RowsAffected()
	if err != nil {
		return 0, db.wrap(op, err)
	}
	if err := db.appendAudit(ctx, tx, audit(ended)); err != nil {
		return 0, db.wrap(op, err)
	}
	return ended, db.wrap(op, tx.Commit())
}

// NewToken is a one-time ballot to store: the hash of its code, its grid
// and its rater group.
type NewToken struct {
	Hash     string
	GridCode string
	Group    gs.RaterGroup
}

// IssueTokens stores one-time ballots of campaign id as one batch, unless
// the campaign has ended at now (ECONFLICT), and appends audit; it returns
// the batch's number within the campaign.
func (db *DB) IssueTokens(ctx context.Context, id int64, toks []NewToken, now time.Time, audit ...gs.AuditEntry) (int, error) {
	op := "issue ballots"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if db.dialect == postgresDialect { // one batch number at a time
		if _, err := tx.ExecContext(ctx, "LOCK TABLE survey_tokens IN EXCLUSIVE MODE"); err != nil {
			return 0, db.wrap(op, err)
		}
	}
	var closed, closes int64
	err = tx.QueryRowContext(ctx, `SELECT closed_at, closes_at FROM survey_campaigns WHERE id = $1`, id).Scan(&closed, &closes)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, gs.Errorf(gs.ENOTFOUND, "没有这次满意度评价。")
	}
	if err != nil {
		return 0, db.wrap(op, err)
	}
	if closed != 0 || now.Unix() >= closes {
		return 0, gs.Errorf(gs.ECONFLICT, "这次满意度评价已经结束，不能再印制评价票。")
	}
	var batch int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(batch), 0) + 1 FROM survey_tokens WHERE campaign_id = $1`, id).Scan(&batch); err != nil {
		return 0, db.wrap(op, err)
	}
	rows := make([][]any, len(toks))
	for i, t := range toks {
		rows[i] = []any{t.Hash, id, batch, t.GridCode, string(t.Group), TokenUnused}
	}
	if err := insertRows(ctx, tx, "survey_tokens", []string{"token_hash", "campaign_id", "batch", "grid_code", "rater_group", "state"}, rows); err != nil {
		return 0, db.wrap(op, err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return 0, db.wrap(op, err)
	}
	return batch, db.wrap(op, tx.Commit())
}

// TokenCount is how many one-time ballots of a grid and rater group are
// in a state.
type TokenCount struct {
	GridCode string
	Group    gs.RaterGroup
	State    int
	N        int
}

// TokenCounts counts the one-time ballots of campaign id by grid, rater
// group and state.
func (db *DB) TokenCounts(ctx context.Context, id int64) ([]TokenCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT grid_code, rater_group, state, COUNT(*) FROM survey_tokens
		WHERE campaign_id = $1 GROUP BY grid_code, rater_group, state ORDER BY grid_code, rater_group, state`, id)
	if err != nil {
		return nil, db.wrap("ballot counts", err)
	}
	defer rows.Close()
	var out []TokenCount
	for rows.Next() {
		var c TokenCount
		if err := rows.Scan(&c.GridCode, &c.Group, &c.State, &c.N); err != nil {
			return nil, db.wrap("ballot counts", err)
		}
		out = append(out, c)
	}
	return out, db.wrap("ballot counts", rows.Err())
}

// BallotToken is what a one-time ballot stands for, as its page shows it:
// the campaign, the grid and rater group it is bound to, its state, and
// the worker in post in the grid on the day it is looked at ("" when none).
type BallotToken struct {
	Campaign   gs.Campaign // without its grids
	GridCode   string
	GridName   string
	Group      gs.RaterGroup
	State      int
	WorkerID   string
	WorkerName string
	// InPost is how many workers the grid has in post on the day: more
	// than one is a fault of the records (RULES.md §0), and the ballot
	// cannot tell whom it is about (the service refuses it).
	InPost int
	// QuarterState is the state of the campaign's town's quarter
	// (RULES.md §8): once computed, the survey is over.
	QuarterState gs.State
}

// ErrUnknownToken is the answer for a code that is no ballot's.
var ErrUnknownToken = gs.Errorf(gs.ENOTFOUND, "没有这个评价码。")

// ErrTokenUsed is the answer for a ballot already answered, also when
// another answer of it came first at the same moment.
var ErrTokenUsed = gs.Errorf(gs.ECONFLICT, "这张评价票已经使用过。")

// Token returns the one-time ballot whose code hashes to hash, as of now;
// ErrUnknownToken when there is none.
func (db *DB) Token(ctx context.Context, hash string, now time.Time) (*BallotToken, error) {
	t, err := readToken(ctx, db.read, hash, now)
	var refused *gs.Error
	if errors.As(err, &refused) {
		return nil, err
	}
	if err != nil {
		return nil, db.wrap("ballot", err)
	}
	st, err := scanState(ctx, db.read, t.Campaign.Town, t.Campaign.Quarter.String(), "")
	if err != nil {
		return nil, db.wrap("ballot", err)
	}
	t.QuarterState = st.State
	return t, nil
}

// readToken reads the one-time ballot whose code hashes to hash, as of
// now, but for its quarter's state, which its callers read each in their
// own way (CastBallot under a lock, in its transaction).
func readToken(ctx context.Context, q queryer, hash string, now time.Time) (*BallotToken, error) {
	var t BallotToken
	c := &t.Campaign
	var opens, closes, closed int64
	var quarter string
	err := q.QueryRowContext(ctx, `SELECT t.grid_code, COALESCE(g.grid_name, ''), t.rater_group, t.state,
			c.id, c.town, c.quarter, c.title, c.opens_at, c.closes_at, c.closed_at
		FROM survey_tokens t JOIN survey_campaigns c ON c.id = t.campaign_id
		LEFT JOIN grids g ON g.grid_code = t.grid_code
		WHERE t.token_hash = $1`, hash).Scan(&t.GridCode, &t.GridName, &t.Group, &t.State,
		&c.ID, &c.Town, &quarter, &c.Title, &opens, &closes, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrUnknownToken
	}
	if err != nil {
		return nil, err
	}
	if c.Quarter, err = gs.ParseQuarter(quarter); err != nil {
		return nil, err
	}
	c.OpensAt, c.ClosesAt = unixCST(opens), unixCST(closes)
	if closed != 0 {
		c.ClosedAt = unixCST(closed)
	}
	day := gs.DateOf(now).String()
	rows, err := q.QueryContext(ctx, `SELECT worker_id, name FROM workers
		WHERE grid_code = $1 AND hired_on <= $2 AND (left_on IS NULL OR left_on >= $2)
		ORDER BY worker_id`, t.GridCode, day)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		t.InPost++
		if t.InPost > 1 {
			continue // the first, by id, stays named; InPost tells the rest
		}
		if err := rows.Scan(&t.WorkerID, &t.WorkerName); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return &t, nil
}

// CastBallot answers the one-time ballot whose code hashes to hash at now,
// all or nothing: check judges the ballot as read (its campaign open, a
// worker in post) and refuses it with an error; then the ballot is marked
// used — only if it was unused, so that of many answers of one ballot at
// the same moment, on any server, exactly one counts and the others get
// ErrTokenUsed — and b is stored with the worker and rater group of the
// ballot, with comment, as a ballot of the QR source. b holds nothing but
// its id, rating and cast_at: the store keeps nothing about the voter, and
// not when the ballot was used.
func (db *DB) CastBallot(ctx context.Context, hash string, now time.Time, check func(*BallotToken) error, b gs.Ballot, comment string) (*BallotToken, error) {
	op := "cast ballot"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	t, err := readToken(ctx, tx, hash, now)
	var refused *gs.Error // an unknown code, several workers in post
	if errors.As(err, &refused) {
		return nil, err
	}
	if err != nil {
		return nil, db.wrap(op, err)
	}
	st, err := db.quarterShared(ctx, tx, t.Campaign.Town, t.Campaign.Quarter.String())
	if err != nil {
		return nil, db.wrap(op, err)
	}
	t.QuarterState = st.State
	if err := check(t); err != nil {
		return t, err
	}
	res, err := tx.ExecContext(ctx, `UPDATE survey_tokens SET state = $2 WHERE token_hash = $1 AND state = $3`,
		hash, TokenUsed, TokenUnused)
	if err != nil {
		return nil, db.wrap(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, db.wrap(op, err)
	} else if n == 0 {
		t.State = TokenUsed
		return t, ErrTokenUsed
	}
	b.WorkerID, b.RaterGroup = t.WorkerID, t.Group
	if err := writeSurveyBallots(ctx, tx, t.Campaign.ID, t.GridCode, gs.SourceQR, 0, []gs.Ballot{b}, comment); err != nil {
		return nil, db.wrap(op, err)
	}
	if err := surveyChanged(ctx, tx, t.WorkerID); err != nil {
		return nil, db.wrap(op, err)
	}
	return t, db.wrap(op, tx.Commit())
}

// writeSurveyBallots writes ballots into ballots, the table the engine
// reads, each with its row of survey_ballots: a few multi-row statements
// (insertRows), not two a ballot.
func writeSurveyBallots(ctx context.Context, tx execer, campaign int64, grid string, src gs.BallotSource, tally int64, bs []gs.Ballot, comment string) error {
	ballots := tableNamed("ballots") // the rows below are in its columns' order
	rows, survey := make([][]any, len(bs)), make([][]any, len(bs))
	for i, b := range bs {
		rows[i] = []any{b.ID, b.WorkerID, string(b.RaterGroup), string(b.Rating), timeValue(b.CastAt)}
		survey[i] = []any{b.ID, campaign, grid, string(src), tally, comment}
	}
	if err := insertRows(ctx, tx, ballots.name, ballots.cols, rows); err != nil {
		return err
	}
	return insertRows(ctx, tx, "survey_ballots", []string{"ballot_id", "campaign_id", "grid_code", "source", "tally_id", "comment"}, survey)
}

// surveyChanged outdates the live results of the workers whose ballots
// changed in tx (and so their towns' ranks), as a change of their records
// does: the rest of the town is not computed again.
func surveyChanged(ctx context.Context, tx *sql.Tx, workers ...string) error {
	c := &concerns{}
	for _, w := range workers {
		c.add(roleWorker, w)
	}
	if err := c.resolve(ctx, tx); err != nil {
		return err
	}
	return c.bump(ctx, tx)
}

// HasSurveyBallots reports whether the store holds any ballot a survey
// brought.
func (db *DB) HasSurveyBallots(ctx context.Context) (bool, error) {
	var some bool
	err := db.read.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM survey_ballots)").Scan(&some)
	return some, db.wrap("survey ballots", err)
}

// SurveyBallot is a ballot a survey brought (a row of survey_ballots): its
// source and, when its row of ballots is stored, that row (Stored).
type SurveyBallot struct {
	gs.Ballot
	Source gs.BallotSource
	Stored bool
}

// SurveyBallots returns, of ids, those of ballots a survey brought
// (answered on a phone or counted on paper), by id: what an import or a
// push must not change. One query per chunk of ids (eachIn), on the
// primary keys.
func (db *DB) SurveyBallots(ctx context.Context, ids []string) (map[string]SurveyBallot, error) {
	out := map[string]SurveyBallot{}
	err := eachIn(ids, func(in string, args []any) error {
		rows, err := db.read.QueryContext(ctx, `SELECT s.ballot_id, s.source, b.ballot_id, b.worker_id, b.rater_group, b.rating, b.cast_at
			FROM survey_ballots s LEFT JOIN ballots b ON b.ballot_id = s.ballot_id
			WHERE s.ballot_id IN (`+in+`)`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sb SurveyBallot
			var stored, worker, group, rating sql.NullString
			if err := rows.Scan(&sb.ID, &sb.Source, &stored, &worker, &group, &rating, timeDest{&sb.CastAt}); err != nil {
				return err
			}
			sb.Stored, sb.WorkerID, sb.RaterGroup, sb.Rating = stored.Valid, worker.String, gs.RaterGroup(group.String), gs.Rating(rating.String)
			out[sb.ID] = sb
		}
		return rows.Err()
	})
	if err != nil {
		return nil, db.wrap("survey ballots", err)
	}
	return out, nil
}
