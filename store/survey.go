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
// hand to a worker's records (bumpTowns).

// The states of a one-time ballot (survey_tokens.state).
const (
	TokenUnused = 0
	TokenUsed   = 1
	TokenEnded  = 2
)

// CreateCampaign stores a new campaign and its grids, sets c.ID, and
// appends the audit entries audit returns for the new id, in one
// transaction. The caller validates c.
func (db *DB) CreateCampaign(ctx context.Context, c *gs.Campaign, audit func(id int64) []gs.AuditEntry) error {
	op := "create campaign"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
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
	for i := range out {
		if out[i].Grids, err = db.campaignGrids(ctx, db.read, out[i].ID); err != nil {
			return nil, db.wrap(op, err)
		}
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
	if c.Grids, err = db.campaignGrids(ctx, db.read, id); err != nil {
		return nil, db.wrap("campaign", err)
	}
	return &c, nil
}

func (db *DB) campaignGrids(ctx context.Context, q queryer, id int64) ([]gs.CampaignGrid, error) {
	rows, err := q.QueryContext(ctx, `SELECT grid_code, cadre, resident FROM survey_grids
		WHERE campaign_id = $1 ORDER BY grid_code`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []gs.CampaignGrid
	for rows.Next() {
		var g gs.CampaignGrid
		if err := rows.Scan(&g.GridCode, &g.Cadre, &g.Resident); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// CloseCampaign closes campaign id at at, by by, ending every ballot of it
// not yet used, and appends the entries audit gives for the number ended;
// it returns that number.
// A campaign closed already is ECONFLICT, and nothing changes.
func (db *DB) CloseCampaign(ctx context.Context, id int64, at time.Time, by string, audit func(ended int64) []gs.AuditEntry) (int64, error) {
	op := "close campaign"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE survey_campaigns SET closed_at = $2, closed_by = $3
		WHERE id = $1 AND closed_at = 0`, id, at.Unix(), by)
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
	for _, t := range toks {
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_tokens (token_hash, campaign_id, batch, grid_code, rater_group, state)
			VALUES ($1, $2, $3, $4, $5, $6)`, t.Hash, id, batch, t.GridCode, string(t.Group), TokenUnused); err != nil {
			return 0, db.wrap(op, err)
		}
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
	if err != nil && err != ErrUnknownToken {
		return nil, db.wrap("ballot", err)
	}
	return t, err
}

func readToken(ctx context.Context, q queryer, hash string, now time.Time) (*BallotToken, error) {
	var t BallotToken
	c := &t.Campaign
	var opens, closes, closed int64
	err := q.QueryRowContext(ctx, `SELECT t.grid_code, COALESCE(g.grid_name, ''), t.rater_group, t.state,
			c.id, c.town, c.title, c.opens_at, c.closes_at, c.closed_at
		FROM survey_tokens t JOIN survey_campaigns c ON c.id = t.campaign_id
		LEFT JOIN grids g ON g.grid_code = t.grid_code
		WHERE t.token_hash = $1`, hash).Scan(&t.GridCode, &t.GridName, &t.Group, &t.State,
		&c.ID, &c.Town, &c.Title, &opens, &closes, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrUnknownToken
	}
	if err != nil {
		return nil, err
	}
	c.OpensAt, c.ClosesAt = unixCST(opens), unixCST(closes)
	if closed != 0 {
		c.ClosedAt = unixCST(closed)
	}
	day := gs.DateOf(now).String()
	err = q.QueryRowContext(ctx, `SELECT worker_id, name FROM workers
		WHERE grid_code = $1 AND hired_on <= $2 AND (left_on IS NULL OR left_on >= $2)
		ORDER BY worker_id LIMIT 1`, t.GridCode, day).Scan(&t.WorkerID, &t.WorkerName)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
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
	if err == ErrUnknownToken {
		return nil, err
	}
	if err != nil {
		return nil, db.wrap(op, err)
	}
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
	if err := surveyChanged(ctx, tx, t.Campaign.Town); err != nil {
		return nil, db.wrap(op, err)
	}
	return t, db.wrap(op, tx.Commit())
}

// writeSurveyBallots writes ballots into ballots, the table the engine
// reads, each with its row of survey_ballots.
func writeSurveyBallots(ctx context.Context, tx *sql.Tx, campaign int64, grid string, src gs.BallotSource, tally int64, bs []gs.Ballot, comment string) error {
	for _, b := range bs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO ballots (ballot_id, worker_id, rater_group, rating, cast_at)
			VALUES ($1, $2, $3, $4, $5)`, b.ID, b.WorkerID, string(b.RaterGroup), string(b.Rating), b.CastAt.Unix()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO survey_ballots (ballot_id, campaign_id, grid_code, source, tally_id, comment)
			VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, campaign, grid, string(src), tally, comment); err != nil {
			return err
		}
	}
	return nil
}

// surveyChanged outdates the live results of town, whose workers' ballots
// changed in tx.
func surveyChanged(ctx context.Context, tx *sql.Tx, town string) error {
	return bumpTowns(ctx, tx, []string{town})
}

// SaveTally stores a tally of paper ballots, sets t.ID, and writes its
// ballots bs (one per ballot counted, for t's worker) as ballots of the
// paper source, outdating town's live results; audit gives the entries
// appended for the new id. All or nothing.
func (db *DB) SaveTally(ctx context.Context, t *gs.Tally, town string, bs []gs.Ballot, audit func(id int64) []gs.AuditEntry) error {
	op := "save tally"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := db.nextID(ctx, tx, "survey_tallies")
	if err != nil {
		return db.wrap(op, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_tallies (id, campaign_id, worker_id, grid_code, rater_group,
		satisfied, basic, unsatisfied, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		id, t.CampaignID, t.WorkerID, t.GridCode, string(t.Group), t.Counts[0], t.Counts[1], t.Counts[2], t.Note, t.EnteredBy, t.EnteredAt.Unix())
	if err != nil {
		return db.wrap(op, err)
	}
	if err := writeSurveyBallots(ctx, tx, t.CampaignID, t.GridCode, gs.SourcePaper, id, bs, ""); err != nil {
		return db.wrap(op, err)
	}
	if err := surveyChanged(ctx, tx, town); err != nil {
		return db.wrap(op, err)
	}
	if err := db.appendAudit(ctx, tx, audit(id)); err != nil {
		return db.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return db.wrap(op, err)
	}
	t.ID = id
	return nil
}

// DeleteTally deletes tally id of campaign with its ballots, outdating
// town's live results, and appends audit; ENOTFOUND when the campaign has
// no such tally.
func (db *DB) DeleteTally(ctx context.Context, campaign, id int64, town string, audit ...gs.AuditEntry) error {
	op := "delete tally"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM survey_tallies WHERE id = $1 AND campaign_id = $2`, id, campaign)
	if err != nil {
		return db.wrap(op, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return db.wrap(op, err)
	} else if n == 0 {
		return gs.Errorf(gs.ENOTFOUND, "没有这条纸质评价记录，可能已被删除。")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ballots WHERE ballot_id IN
		(SELECT ballot_id FROM survey_ballots WHERE tally_id = $1 AND source = $2)`, id, string(gs.SourcePaper)); err != nil {
		return db.wrap(op, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_ballots WHERE tally_id = $1 AND source = $2`, id, string(gs.SourcePaper)); err != nil {
		return db.wrap(op, err)
	}
	if err := surveyChanged(ctx, tx, town); err != nil {
		return db.wrap(op, err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap(op, err)
	}
	return db.wrap(op, tx.Commit())
}

// Tallies lists the paper tallies of campaign id, in the order entered.
func (db *DB) Tallies(ctx context.Context, campaign int64) ([]gs.Tally, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, campaign_id, worker_id, grid_code, rater_group,
		satisfied, basic, unsatisfied, note, entered_by, entered_at FROM survey_tallies
		WHERE campaign_id = $1 ORDER BY id`, campaign)
	if err != nil {
		return nil, db.wrap("tallies", err)
	}
	defer rows.Close()
	var out []gs.Tally
	for rows.Next() {
		var t gs.Tally
		var at int64
		if err := rows.Scan(&t.ID, &t.CampaignID, &t.WorkerID, &t.GridCode, &t.Group,
			&t.Counts[0], &t.Counts[1], &t.Counts[2], &t.Note, &t.EnteredBy, &at); err != nil {
			return nil, db.wrap("tallies", err)
		}
		t.EnteredAt = unixCST(at)
		out = append(out, t)
	}
	return out, db.wrap("tallies", rows.Err())
}

// BallotFilter chooses the ballots BallotCounts counts: cast in From ≤ t <
// To, of the workers of Town, of one worker, of one campaign (zero fields
// do not filter).
type BallotFilter struct {
	Town       string
	WorkerID   string
	CampaignID int64
	From, To   time.Time
}

// BallotCount is how many ballots of a worker have a rater group, a
// rating and a source; GridCode and CampaignID are the survey's grid and
// campaign ("" and 0 for imported ballots).
type BallotCount struct {
	WorkerID   string
	GridCode   string
	CampaignID int64
	Group      gs.RaterGroup
	Rating     gs.Rating
	Source     gs.BallotSource
	N          int
}

// BallotCounts counts the stored ballots f chooses, whatever their
// source: a ballot without a row of survey_ballots was imported.
func (db *DB) BallotCounts(ctx context.Context, f BallotFilter) ([]BallotCount, error) {
	var c conds
	from := "ballots b LEFT JOIN survey_ballots s ON s.ballot_id = b.ballot_id"
	if f.Town != "" {
		from += " JOIN workers w ON w.worker_id = b.worker_id JOIN grids g ON g.grid_code = w.grid_code"
		c.add("g.town = ?", f.Town)
	}
	if f.WorkerID != "" {
		c.add("b.worker_id = ?", f.WorkerID)
	}
	if f.CampaignID != 0 {
		c.add("s.campaign_id = ?", f.CampaignID)
	}
	if !f.From.IsZero() {
		c.add("b.cast_at >= ?", f.From.Unix())
	}
	if !f.To.IsZero() {
		c.add("b.cast_at < ?", f.To.Unix())
	}
	cols := "b.worker_id, COALESCE(s.grid_code, ''), COALESCE(s.campaign_id, 0), b.rater_group, b.rating, COALESCE(s.source, '" + string(gs.SourceImport) + "')"
	rows, err := db.read.QueryContext(ctx, "SELECT "+cols+", COUNT(*) FROM "+from+c.where()+
		" GROUP BY "+cols+" ORDER BY 1, 2, 3, 4, 5, 6", c.args...)
	if err != nil {
		return nil, db.wrap("ballot counts", err)
	}
	defer rows.Close()
	var out []BallotCount
	for rows.Next() {
		var b BallotCount
		if err := rows.Scan(&b.WorkerID, &b.GridCode, &b.CampaignID, &b.Group, &b.Rating, &b.Source, &b.N); err != nil {
			return nil, db.wrap("ballot counts", err)
		}
		out = append(out, b)
	}
	return out, db.wrap("ballot counts", rows.Err())
}

// Comment is a voter's comment as the center reads it: about which
// worker, from which rater group, with which rating. Nothing tells when
// it was written or by whom.
type Comment struct {
	WorkerID string
	GridCode string
	Group    gs.RaterGroup
	Rating   gs.Rating
	Text     string
}

// Comments lists the comments of campaign id by grid, rater group, rating
// and text, not in the order written.
func (db *DB) Comments(ctx context.Context, campaign int64) ([]Comment, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT b.worker_id, s.grid_code, b.rater_group, b.rating, s.comment
		FROM survey_ballots s JOIN ballots b ON b.ballot_id = s.ballot_id
		WHERE s.campaign_id = $1 AND s.comment <> ''
		ORDER BY s.grid_code, b.rater_group, b.rating, s.comment`, campaign)
	if err != nil {
		return nil, db.wrap("comments", err)
	}
	defer rows.Close()
	var out []Comment
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.WorkerID, &c.GridCode, &c.Group, &c.Rating, &c.Text); err != nil {
			return nil, db.wrap("comments", err)
		}
		out = append(out, c)
	}
	return out, db.wrap("comments", rows.Err())
}

// GuessLimits are the rules of the throttle on codes that do not exist:
// past Free such codes from one client within Window, the client waits
// Block before any code is looked at again.
type GuessLimits struct {
	Window time.Duration
	Free   int
	Block  time.Duration
}

// GuessWait returns until when client must wait before a code is looked
// at (the zero time: it need not).
func (db *DB) GuessWait(ctx context.Context, client string, now time.Time) (time.Time, error) {
	var until int64
	err := db.read.QueryRowContext(ctx, `SELECT blocked_until FROM survey_guesses WHERE client = $1`, client).Scan(&until)
	if errors.Is(err, sql.ErrNoRows) || err == nil && until <= now.Unix() {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, db.wrap("guess wait", err)
	}
	return unixCST(until), nil
}

// GuessFailed counts a code that does not exist from client at now, and
// returns until when the client must wait (the zero time: it need not).
func (db *DB) GuessFailed(ctx context.Context, client string, now time.Time, l GuessLimits) (time.Time, error) {
	op := "guess failed"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return time.Time{}, err
	}
	defer tx.Rollback()
	t := now.Unix()
	// The clients whose count is over and who need not wait are forgotten
	// on the way: the table holds only clients that guessed lately.
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_guesses WHERE first_at < $1 AND blocked_until <= $2`,
		t-int64(l.Window/time.Second), t); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	// One statement, so that failures counted at the same moment on
	// several servers all count.
	_, err = tx.ExecContext(ctx, `INSERT INTO survey_guesses (client, failures, first_at, blocked_until) VALUES ($1, 1, $2, 0)
		ON CONFLICT (client) DO UPDATE SET
		failures = CASE WHEN survey_guesses.first_at < $3 THEN 1 ELSE survey_guesses.failures + 1 END,
		first_at = CASE WHEN survey_guesses.first_at < $3 THEN $2 ELSE survey_guesses.first_at END`,
		client, t, t-int64(l.Window/time.Second))
	if err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	var failures int
	var until int64
	if err := tx.QueryRowContext(ctx, `SELECT failures, blocked_until FROM survey_guesses WHERE client = $1`, client).Scan(&failures, &until); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	if failures > l.Free && until <= t {
		until = now.Add(l.Block).Unix()
		if _, err := tx.ExecContext(ctx, `UPDATE survey_guesses SET blocked_until = $2, failures = 0, first_at = $3 WHERE client = $1`,
			client, until, t); err != nil {
			return time.Time{}, db.wrap(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return time.Time{}, db.wrap(op, err)
	}
	if until <= t {
		return time.Time{}, nil
	}
	return unixCST(until), nil
}

// Audit appends entries to the audit log inside the import's transaction:
// they are kept if and only if the import is committed.
func (it *ImportTx) Audit(ctx context.Context, entries ...gs.AuditEntry) error {
	return it.db.wrap("import audit", it.db.appendAudit(ctx, it.tx, entries))
}

// SurveyWorkers lists the workers of town's grids with the days they
// were in post, by worker id: who a grid's ballots are about on a day.
func (db *DB) SurveyWorkers(ctx context.Context, town string) ([]gs.TownWorker, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT w.worker_id, w.name, w.grid_code, w.hired_on, w.left_on, g.town
		FROM workers w JOIN grids g ON g.grid_code = w.grid_code WHERE g.town = $1 ORDER BY w.worker_id`, town)
	if err != nil {
		return nil, db.wrap("survey workers", err)
	}
	defer rows.Close()
	var out []gs.TownWorker
	for rows.Next() {
		var w gs.TownWorker
		if err := rows.Scan(&w.ID, &w.Name, &w.GridCode, dateDest{&w.HiredOn}, dateDest{&w.LeftOn}, &w.Town); err != nil {
			return nil, db.wrap("survey workers", err)
		}
		out = append(out, w)
	}
	return out, db.wrap("survey workers", rows.Err())
}
