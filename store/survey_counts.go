package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The survey's paper tallies, its counts of ballots and comments, and
// who its ballots are about (see survey.go).

// SaveTally stores a tally of paper ballots, sets t.ID, and writes its
// ballots bs (one per ballot counted, for t's worker) as ballots of the
// paper source, outdating the worker's live result; audit gives the entries
// appended for the new id. All or nothing.
func (db *DB) SaveTally(ctx context.Context, t *gs.Tally, bs []gs.Ballot, check func(gs.QuarterState) error, audit func(id int64) []gs.AuditEntry) error {
	op := "save tally"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.tallyCheck(ctx, tx, t.CampaignID, check); err != nil {
		return err
	}
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
	if err := surveyChanged(ctx, tx, t.WorkerID); err != nil {
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
// the worker's live result, and appends audit; ENOTFOUND when the campaign has
// no such tally.
func (db *DB) DeleteTally(ctx context.Context, campaign, id int64, check func(gs.QuarterState) error, audit ...gs.AuditEntry) error {
	op := "delete tally"
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := db.tallyCheck(ctx, tx, campaign, check); err != nil {
		return err
	}
	var worker string
	err = tx.QueryRowContext(ctx, `DELETE FROM survey_tallies WHERE id = $1 AND campaign_id = $2 RETURNING worker_id`, id, campaign).Scan(&worker)
	if errors.Is(err, sql.ErrNoRows) {
		return gs.Errorf(gs.ENOTFOUND, "没有这条纸质评价记录，可能已被删除。")
	}
	if err != nil {
		return db.wrap(op, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM ballots WHERE ballot_id IN
		(SELECT ballot_id FROM survey_ballots WHERE tally_id = $1 AND source = $2)`, id, string(gs.SourcePaper)); err != nil {
		return db.wrap(op, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM survey_ballots WHERE tally_id = $1 AND source = $2`, id, string(gs.SourcePaper)); err != nil {
		return db.wrap(op, err)
	}
	if err := surveyChanged(ctx, tx, worker); err != nil {
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

// CampaignTotal is how many one-time ballots a campaign issued, and how
// many ballots it brought (answered on phones and counted on paper).
type CampaignTotal struct {
	Issued, Answered int
}

// CampaignTotals returns the totals of the campaigns of town ("" every
// town's) by campaign id, a campaign without ballots absent: one grouped
// query for the ballots issued and one for those brought, however many
// campaigns a list shows.
func (db *DB) CampaignTotals(ctx context.Context, town string) (map[int64]CampaignTotal, error) {
	op := "campaign totals"
	join, args := "", []any{}
	if town != "" {
		join, args = " JOIN survey_campaigns c ON c.id = x.campaign_id WHERE c.town = $1", []any{town}
	}
	out := map[int64]CampaignTotal{}
	count := func(from string, add func(t *CampaignTotal, n int)) error {
		rows, err := db.read.QueryContext(ctx, "SELECT x.campaign_id, COUNT(*) FROM "+from+join+" GROUP BY x.campaign_id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			t := out[id]
			add(&t, n)
			out[id] = t
		}
		return rows.Err()
	}
	if err := count("survey_tokens x", func(t *CampaignTotal, n int) { t.Issued = n }); err != nil {
		return nil, db.wrap(op, err)
	}
	// As BallotCounts of one campaign counts: its ballots with their row of
	// survey_ballots.
	if err := count("survey_ballots x JOIN ballots b ON b.ballot_id = x.ballot_id", func(t *CampaignTotal, n int) { t.Answered = n }); err != nil {
		return nil, db.wrap(op, err)
	}
	return out, nil
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

// tallyCheck locks the state of the quarter of campaign (quarterShared)
// in tx and passes it to check, whose refusal it returns.
func (db *DB) tallyCheck(ctx context.Context, tx *sql.Tx, campaign int64, check func(gs.QuarterState) error) error {
	var town, q string
	err := tx.QueryRowContext(ctx, `SELECT town, quarter FROM survey_campaigns WHERE id = $1`, campaign).Scan(&town, &q)
	if errors.Is(err, sql.ErrNoRows) {
		return gs.Errorf(gs.ENOTFOUND, "没有这次满意度评价。")
	}
	if err != nil {
		return db.wrap("tally: quarter state", err)
	}
	st, err := db.quarterShared(ctx, tx, town, q)
	if err != nil {
		return db.wrap("tally: quarter state", err)
	}
	return check(st)
}
