package store

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// The items of deductions (gs.Deduction.Item, a login deduction's channel)
// are left out of the JSON of DATA.md §3, yet tell apart the deductions a
// void or an appeal names: stored results keep them, and the voids and
// appeals name them in their evidence key.

// loginDay is a worker's result with the two login deductions of one day,
// one a channel.
func loginDay(id string) gs.WorkerResult {
	total := gs.Points(9400)
	return gs.WorkerResult{WorkerID: id, Name: "王芳", Town: "青山镇", Eligible: true, Total: &total, Flags: []string{},
		Deductions: []gs.Deduction{
			{Rule: gs.RuleDisciplineLogin, Period: "2023-07-04", Count: 1, Points: 300, Detail: "7月4日（工作日）未登录网格E通", Evidence: []string{}, Item: "app"},
			{Rule: gs.RuleDisciplineLogin, Period: "2023-07-04", Count: 1, Points: 300, Detail: "7月4日（工作日）未登录PC端", Evidence: []string{}, Item: "pc"},
			{Rule: gs.RuleDisciplineMeeting, Period: "2023-09-04", Count: 1, Points: 300, Detail: "缺席例会", Evidence: []string{"HY1"}},
		}}
}

// items returns the items of w's deductions, in order.
func items(w gs.WorkerResult) []string {
	var out []string
	for _, d := range w.Deductions {
		out = append(out, d.Item)
	}
	return out
}

// forEachStore runs test on a fresh, migrated store of each engine, as a
// subtest named after it.
func forEachStore(t *testing.T, test func(t *testing.T, ctx context.Context, db *DB)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := Open(ctx, b.Target(t), WithMigrate())
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			test(t, ctx, db)
		})
	}
}

// openAtVersion opens a fresh store of engine b migrated up to version and
// no further, with the migrations' provider to go on.
func openAtVersion(t *testing.T, b storetest.Backend, version int64) (*DB, *goose.Provider) {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, b.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, err := db.provider()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	return db, p
}

// TestResultItemsRoundTrip: a snapshot (read as the quarter's and as the
// worker's history) and a live result give back their deductions' items;
// the JSON of DATA.md §3 still has no item.
func TestResultItemsRoundTrip(t *testing.T) {
	want := []string{"app", "pc", ""}
	forEachStore(t, func(t *testing.T, ctx context.Context, db *DB) {
		w := loginDay("QS001")
		if js, _ := json.Marshal(w); strings.Contains(string(js), "item") {
			t.Fatalf("the JSON of DATA.md §3 names the item: %s", js)
		}
		err := db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *QuarterTx) error {
			if err := qt.SaveSnapshot([]SnapshotRow{{Result: w, Base: 60000}}); err != nil {
				return err
			}
			return qt.SetState(gs.QuarterState{State: gs.StateComputed, AsOf: time.Now(), ComputedAt: time.Now()})
		})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := db.Snapshot(ctx, "青山镇", "2023Q3")
		if err != nil || len(snap) != 1 {
			t.Fatalf("snapshot = %+v, %v", snap, err)
		}
		if got := items(snap[0].Result); !slices.Equal(got, want) {
			t.Errorf("snapshot items = %q, want %q", got, want)
		}
		if snap[0].Result.Name != "王芳" || *snap[0].Result.Total != 9400 || snap[0].Result.Deductions[2].Evidence[0] != "HY1" {
			t.Errorf("snapshot read back = %+v", snap[0].Result)
		}
		hist, err := db.WorkerQuarters(ctx, "QS001")
		if err != nil || len(hist) != 1 {
			t.Fatalf("worker quarters = %+v, %v", hist, err)
		}
		if got := items(hist[0].Result); !slices.Equal(got, want) {
			t.Errorf("history items = %q, want %q", got, want)
		}

		at := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
		key := LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at, Version: 1, Scheme: "s"}
		res := &gs.Result{Quarter: "2023Q3", AsOf: at, Scheme: "s", Workers: []gs.WorkerResult{w}, Notes: []string{"注"}}
		if err := db.SaveLiveResult(ctx, key, res, at); err != nil {
			t.Fatal(err)
		}
		live, err := db.LiveResult(ctx, key)
		if err != nil || live == nil || len(live.Workers) != 1 {
			t.Fatalf("live result = %+v, %v", live, err)
		}
		if got := items(live.Workers[0]); !slices.Equal(got, want) {
			t.Errorf("live items = %q, want %q", got, want)
		}
		if live.Quarter != "2023Q3" || live.Workers[0].Name != "王芳" || !slices.Equal(live.Notes, []string{"注"}) {
			t.Errorf("live result read back = %+v", live)
		}
	})
}

// TestResultsStoredBeforeItems: results stored in the JSON of DATA.md §3,
// as before items were kept, read back whole, each login deduction with
// the channel its detail names (legacyItem), so that voids migrated to one
// per channel still tell them apart.
func TestResultsStoredBeforeItems(t *testing.T) {
	forEachStore(t, func(t *testing.T, ctx context.Context, db *DB) {
		w := loginDay("QS001")
		old, err := json.Marshal(w) // the old form: the result as DATA.md §3 writes it
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `INSERT INTO result_snapshots (town, quarter, worker_id, result_json, base_fen)
				VALUES ('青山镇', '2023Q3', 'QS001', $1, 60000)`, string(old)); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
		oldLive, err := json.Marshal(map[string]any{"result": gs.Result{Quarter: "2023Q3", AsOf: at, Scheme: "s",
			Workers: []gs.WorkerResult{w}}, "notes": []string{}, "settled": false})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.write.ExecContext(ctx, `INSERT INTO live_results (town, quarter, as_of, version, scheme, settled, result_json, computed_at)
				VALUES ('青山镇', '2023Q3', $1, 1, 's', 0, $2, $1)`, at.Unix(), string(oldLive)); err != nil {
			t.Fatal(err)
		}
		snap, err := db.Snapshot(ctx, "青山镇", "2023Q3")
		if err != nil || len(snap) != 1 {
			t.Fatalf("snapshot = %+v, %v", snap, err)
		}
		live, err := db.LiveResult(ctx, LiveKey{Town: "青山镇", Quarter: "2023Q3", AsOf: at, Version: 1, Scheme: "s"})
		if err != nil || live == nil || len(live.Workers) != 1 {
			t.Fatalf("live result = %+v, %v", live, err)
		}
		for what, got := range map[string]gs.WorkerResult{"snapshot": snap[0].Result, "live": live.Workers[0]} {
			if it := items(got); !slices.Equal(it, []string{"app", "pc", ""}) {
				t.Errorf("%s items = %q, want the channels the details name", what, it)
			}
			if len(got.Deductions) != 3 || got.Deductions[1].Detail != w.Deductions[1].Detail || *got.Total != 9400 {
				t.Errorf("%s read back = %+v", what, got)
			}
		}
	})
}

// TestVoidsAndAppealsNameTheItem: voiding the pc login deduction of a day
// voids that one only; an appeal names its item; both read back with it,
// and other deductions resting on no record keep the key "-".
func TestVoidsAndAppealsNameTheItem(t *testing.T) {
	forEachStore(t, func(t *testing.T, ctx context.Context, db *DB) {
		w := loginDay("QS001")
		pc := gs.RefOf("QS001", w.Deductions[1])
		bare := gs.DeductionRef{WorkerID: "QS001", Rule: gs.RuleDisciplineDisobey, Period: "2023-08-01"}
		now := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
		err := db.InQuarter(ctx, "青山镇", "2023Q3", func(qt *QuarterTx) error {
			for _, ref := range []gs.DeductionRef{pc, bare} {
				if err := qt.Void(gs.Voided{DeductionRef: ref, Reason: "停机", By: "staff", At: now}); err != nil {
					return err
				}
			}
			return qt.CreateAppeal(&gs.Appeal{DeductionRef: gs.RefOf("QS001", w.Deductions[0]), Reason: "理由",
				Status: gs.AppealPending, CreatedAt: now})
		})
		if err != nil {
			t.Fatal(err)
		}
		vs, err := db.Voided(ctx, "青山镇", "2023Q3")
		if err != nil || len(vs) != 2 {
			t.Fatalf("voided = %+v, %v", vs, err)
		}
		got := []gs.DeductionRef{vs[0].DeductionRef, vs[1].DeductionRef}
		if want := []gs.DeductionRef{pc, bare}; !slices.Contains(got, want[0]) || !slices.Contains(got, want[1]) {
			t.Errorf("voided refs = %+v, want %+v", got, want)
		}
		as, err := db.Appeals(ctx, gs.AppealFilter{WorkerID: "QS001"})
		if err != nil || len(as) != 1 || as[0].DeductionRef != gs.RefOf("QS001", w.Deductions[0]) {
			t.Fatalf("appeals = %+v, %v", as, err)
		}
		keys := columnValues(t, db, `SELECT evidence_key FROM voided_deductions UNION ALL SELECT evidence_key FROM appeals`)
		if want := []string{"-", "-app", "-pc"}; !slices.Equal(keys, want) {
			t.Errorf("stored evidence keys = %q, want %q", keys, want)
		}
	})
}

// TestMigrateLoginVoids: a void of a login deduction stored before 00028
// (key "-", both channels of its day) voids both channels after it, an
// appeal is the app channel's, and the other rules' keys stay; migrating
// down gives back the one key of the day.
func TestMigrateLoginVoids(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, p := openAtVersion(t, b, 27)
			for _, q := range []string{
				`INSERT INTO voided_deductions (town, quarter, worker_id, rule, period, evidence_key, reason, voided_by, voided_at)
					VALUES ('青山镇', '2023Q3', 'QS001', 'discipline.login', '2023-07-04', '-', '停机', 'staff', 1696726800)`,
				`INSERT INTO voided_deductions (town, quarter, worker_id, rule, period, evidence_key, reason, voided_by, voided_at)
					VALUES ('青山镇', '2023Q3', 'QS001', 'discipline.disobey', '2023-08-01', '-', '误记', 'staff', 1696726800)`,
				`INSERT INTO appeals (id, town, quarter, worker_id, rule, period, evidence_key, reason, status, created_at)
					VALUES (1, '青山镇', '2023Q3', 'QS001', 'discipline.login', '2023-07-05', '-', '理由', 'pending', 1696726800)`,
			} {
				if _, err := db.write.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			vs, err := db.Voided(ctx, "青山镇", "2023Q3")
			if err != nil {
				t.Fatal(err)
			}
			w := loginDay("QS001")
			for _, d := range w.Deductions[:2] {
				ref := gs.RefOf("QS001", d)
				if !slices.ContainsFunc(vs, func(v gs.Voided) bool { return v.DeductionRef == ref && v.Reason == "停机" }) {
					t.Errorf("the %s login deduction of the day is not voided after migrating: %+v", d.Item, vs)
				}
			}
			bare := gs.DeductionRef{WorkerID: "QS001", Rule: gs.RuleDisciplineDisobey, Period: "2023-08-01"}
			if len(vs) != 3 || !slices.ContainsFunc(vs, func(v gs.Voided) bool { return v.DeductionRef == bare }) {
				t.Errorf("voided after migrating = %+v, want the two channels and the other rule's", vs)
			}
			as, err := db.Appeals(ctx, gs.AppealFilter{WorkerID: "QS001"})
			if err != nil || len(as) != 1 || as[0].Item != "app" || as[0].EvidenceKey != "" {
				t.Errorf("appeals after migrating = %+v, %v; want the app channel's", as, err)
			}

			if _, err := p.DownTo(ctx, 27); err != nil {
				t.Fatal(err)
			}
			keys := columnValues(t, db, `SELECT rule || ' ' || evidence_key FROM voided_deductions UNION ALL SELECT rule || ' ' || evidence_key FROM appeals`)
			if want := []string{"discipline.disobey -", "discipline.login -", "discipline.login -"}; !slices.Equal(keys, want) {
				t.Errorf("keys after migrating down = %q, want %q", keys, want)
			}
		})
	}
}

// columnValues returns the text values query selects, sorted.
func columnValues(t *testing.T, db *DB, query string) []string {
	t.Helper()
	rows, err := db.write.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
