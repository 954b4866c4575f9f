package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
)

// countingConnector opens connections of drv to dsn that count the
// statements sent through them: every query and every Exec is prepared
// first when a connection offers nothing else.
type countingConnector struct {
	drv   driver.Driver
	dsn   string
	stmts *atomic.Int64
}

func (c countingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return countingConn{conn, c.stmts}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.drv }

type countingConn struct {
	driver.Conn
	stmts *atomic.Int64
}

func (c countingConn) Prepare(query string) (driver.Stmt, error) {
	c.stmts.Add(1)
	return c.Conn.Prepare(query)
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

// countingStore opens a fresh store of backend holding the demo town and
// returns it with the count of statements it sends: its pools are
// replaced by pools of counting connections to the same database.
func countingStore(t *testing.T, be storetest.Backend) (*DB, *atomic.Int64) {
	t.Helper()
	ctx := context.Background()
	target := be.Target(t)
	db, err := Open(ctx, target, WithMigrate())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	stmts := &atomic.Int64{}
	if isPostgresURL(target) {
		pool := sql.OpenDB(countingConnector{stdlib.GetDefaultDriver(), target, stmts})
		db = &DB{dialect: postgresDialect, read: pool, write: pool}
	} else {
		dsn := target + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
		write := sql.OpenDB(countingConnector{&sqlite.Driver{}, dsn + "&_txlock=immediate", stmts})
		write.SetMaxOpenConns(1)
		db = &DB{dialect: sqliteDialect, read: sql.OpenDB(countingConnector{&sqlite.Driver{}, dsn, stmts}), write: write}
	}
	t.Cleanup(func() { db.Close() })
	return db, stmts
}

// surveyAt is the moment of the survey's tests, in the demo quarter.
var surveyAt = time.Date(2023, 9, 20, 10, 0, 0, 0, gs.CST)

// testCampaign stores a campaign over QS-13 open around surveyAt.
func testCampaign(t *testing.T, db *DB) int64 {
	t.Helper()
	c := &gs.Campaign{Town: demo.TownName, Quarter: demo.Quarter(), Title: "测评",
		OpensAt: surveyAt.AddDate(0, 0, -2), ClosesAt: surveyAt.AddDate(0, 0, 10), CreatedBy: "staff", CreatedAt: surveyAt,
		Grids: []gs.CampaignGrid{{GridCode: "QS-13", Cadre: 1, Resident: 1}}}
	if err := db.CreateCampaign(context.Background(), c, anyState, func(int64) []gs.AuditEntry { return nil }); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestSurveyWritesAFewStatements: printing n one-time ballots and typing
// in a tally of n paper ballots send a few multi-row statements however
// large n (at most maxInsertRows rows each), not one or two a ballot,
// so that PostgreSQL's lock on the table is held briefly; every row is
// written. A batch with one row that cannot be written writes nothing,
// not even its first statements.
func TestSurveyWritesAFewStatements(t *testing.T) {
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, stmts := countingStore(t, be)
			id := testCampaign(t, db)
			audit := gs.AuditEntry{At: surveyAt, Username: "staff", Action: gs.AuditSurveyPrinted, Object: "survey"}
			tokens := func(prefix string, n int) []NewToken {
				out := make([]NewToken, n)
				for i := range out {
					out[i] = NewToken{Hash: fmt.Sprintf("%s%06d", prefix, i), GridCode: "QS-13", Group: gs.RaterGroups[i%2]}
				}
				return out
			}
			ballots := func(prefix string, n int) []gs.Ballot {
				out := make([]gs.Ballot, n)
				for i := range out {
					out[i] = gs.Ballot{ID: fmt.Sprintf("%s%06d", prefix, i), WorkerID: "QS013", RaterGroup: gs.RaterCadre,
						Rating: gs.Ratings[i%3], CastAt: gs.DateOf(surveyAt).Start()}
				}
				return out
			}
			tally := func(n int) *gs.Tally {
				return &gs.Tally{CampaignID: id, WorkerID: "QS013", GridCode: "QS-13", Group: gs.RaterCadre,
					Counts: [3]int{n, 0, 0}, EnteredBy: "staff", EnteredAt: surveyAt}
			}
			noAudit := func(int64) []gs.AuditEntry { return []gs.AuditEntry{audit} }
			// statements returns how many statements fn sent.
			statements := func(fn func() error) int64 {
				t.Helper()
				before := stmts.Load()
				if err := fn(); err != nil {
					t.Fatal(err)
				}
				return stmts.Load() - before
			}
			const n = 1001 // three statements a table, of at most 500 rows
			cases := []struct {
				name  string
				write func(prefix string, n int) error
				more  int64 // statements of n rows beyond those of 1
			}{
				{"issue tokens", func(p string, n int) error {
					_, err := db.IssueTokens(ctx, id, tokens(p, n), surveyAt, audit)
					return err
				}, 2},
				{"save tally", func(p string, n int) error { return db.SaveTally(ctx, tally(n), ballots(p, n), anyState, noAudit) }, 2 * 2},
			}
			for _, tc := range cases {
				one := statements(func() error { return tc.write(tc.name+"-one-", 1) })
				many := statements(func() error { return tc.write(tc.name+"-many-", n) })
				if many-one != tc.more {
					t.Errorf("%s: %d rows take %d statements, 1 row %d; want %d more", tc.name, n, many, one, tc.more)
				}
			}
			issued, err := db.TokenCounts(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			counted, err := db.BallotCounts(ctx, BallotFilter{CampaignID: id})
			if err != nil {
				t.Fatal(err)
			}
			if got := sumTokens(issued) + sumBallots(counted); got != 2*(n+1) {
				t.Errorf("%d one-time ballots and paper ballots stored, want %d", got, 2*(n+1))
			}

			// All or nothing: the last row clashes with the first of an
			// earlier batch, in the third statement.
			bad := tokens("issue tokens-many-", n)
			for i := range bad[:n-1] {
				bad[i].Hash = fmt.Sprintf("new-%06d", i)
			}
			if _, err := db.IssueTokens(ctx, id, bad, surveyAt, audit); gs.ErrorCode(err) != gs.ECONFLICT {
				t.Errorf("a batch of tokens with a hash stored: %v, want a conflict", err)
			}
			badBallots := ballots("save tally-new-", n)
			badBallots[n-1].ID = "save tally-many-000000"
			if err := db.SaveTally(ctx, tally(n), badBallots, anyState, noAudit); gs.ErrorCode(err) != gs.ECONFLICT {
				t.Errorf("a tally with a ballot id stored: %v, want a conflict", err)
			}
			for table, want := range map[string]int{"survey_tokens": n + 1, "survey_ballots": n + 1, "ballots": n + 1 + len(demo.Town(1).Ballots),
				"survey_tallies": 2, "audit_log": 4} {
				var got int
				if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&got); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s holds %d rows after the failed writes, want %d", table, got, want)
				}
			}
			var news int
			if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM survey_tokens WHERE token_hash LIKE 'new-%'").Scan(&news); err != nil || news != 0 {
				t.Errorf("%d tokens of the failed batch stored (%v)", news, err)
			}
		})
	}
}

func sumTokens(cs []TokenCount) int {
	n := 0
	for _, c := range cs {
		n += c.N
	}
	return n
}

func sumBallots(cs []BallotCount) int {
	n := 0
	for _, c := range cs {
		n += c.N
	}
	return n
}

// TestInsertRowsStaysUnderTheParameterLimits: a table of many columns
// gets fewer rows a statement, so that no statement binds more than
// maxBatchParams parameters (SQLite refuses more than 32766).
func TestInsertRowsStaysUnderTheParameterLimits(t *testing.T) {
	cases := []struct {
		cols, rows int
		wantStmts  int
		wantMost   int // parameters of the largest statement
	}{
		{6, 1, 1, 6},
		{6, 500, 1, 3000},
		{6, 501, 2, 3000},
		{5, 2001, 5, 2500},
		{40, 1000, 3, 400 * 40},
		{40, 401, 2, 400 * 40},
	}
	for _, tc := range cases {
		cols := make([]string, tc.cols)
		for i := range cols {
			cols[i] = fmt.Sprintf("c%d", i)
		}
		rows := make([][]any, tc.rows)
		for i := range rows {
			rows[i] = make([]any, tc.cols)
		}
		var rec recordingExecer
		if err := insertRows(context.Background(), &rec, "t", cols, rows); err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, n := range rec.params {
			total += n
		}
		if len(rec.params) != tc.wantStmts || slices.Max(rec.params) != tc.wantMost || total != tc.cols*tc.rows {
			t.Errorf("%d rows of %d columns: statements of %v parameters, want %d statements of at most %d, %d in all",
				tc.rows, tc.cols, rec.params, tc.wantStmts, tc.wantMost, tc.cols*tc.rows)
		}
	}
}

// recordingExecer records the parameters of each statement sent.
type recordingExecer struct {
	params []int
}

func (r *recordingExecer) ExecContext(_ context.Context, query string, args ...any) (sql.Result, error) {
	if got := strings.Count(query, "$"); got != len(args) {
		return nil, fmt.Errorf("%d placeholders for %d arguments", got, len(args))
	}
	r.params = append(r.params, len(args))
	return driver.RowsAffected(0), nil
}

// anyState is a quarter-state check that refuses nothing.
func anyState(gs.QuarterState) error { return nil }
