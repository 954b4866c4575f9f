package store_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// sortCase is a list sorted by one column and the order the records must
// come in: by the column's value (empty values last in both directions),
// ties by the kind's key.
type sortCase struct {
	kind, col string
	desc      bool
	// keys returns the records' keys in the order read; want the keys of
	// the same records in the order expected.
	keys func(r *gs.Records) []string
	want func(r *gs.Records, desc bool) []string
}

// sortedKeys orders xs by value (empty last in either direction), then by
// key, and returns their keys.
func sortedKeys[T any](xs []T, desc bool, value func(T) (v string, empty bool), key func(T) string) []string {
	xs = slices.Clone(xs)
	slices.SortFunc(xs, func(a, b T) int {
		va, ea := value(a)
		vb, eb := value(b)
		if ea != eb {
			if ea {
				return 1
			}
			return -1
		}
		c := cmp.Compare(va, vb)
		if desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(key(a), key(b)))
	})
	return keysOf(xs, key)
}

// padded writes a number so that text order is number order.
func padded(n int64) string { return fmt.Sprintf("%020d", n) }

func instant(t time.Time) (string, bool) { return padded(t.Unix()), t.IsZero() }

// keysOf returns the keys of xs.
func keysOf[T any](xs []T, key func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = key(x)
	}
	return out
}

func eventKey(e gs.Event) string { return e.ID }

func eventKeys(r *gs.Records) []string { return keysOf(r.Events, eventKey) }

func eventCase(col string, desc bool, value func(gs.Event) (string, bool)) sortCase {
	return sortCase{kind: "events", col: col, desc: desc, keys: eventKeys, want: func(r *gs.Records, desc bool) []string {
		return sortedKeys(r.Events, desc, value, eventKey)
	}}
}

// sortCases sort lists by text, instants, dates, numbers and columns stored
// under another name than the file's, both ways.
var sortCases = []sortCase{
	eventCase("category", false, func(e gs.Event) (string, bool) { return e.Category, e.Category == "" }),
	eventCase("category", true, func(e gs.Event) (string, bool) { return e.Category, e.Category == "" }),
	eventCase("closed_at", true, func(e gs.Event) (string, bool) { return instant(e.ClosedAt) }),
	eventCase("reported_at", false, func(e gs.Event) (string, bool) { return instant(e.ReportedAt) }),
	eventCase("flow", true, func(e gs.Event) (string, bool) { return string(e.Flow), false }),
	eventCase("worker_id", false, func(e gs.Event) (string, bool) { return e.WorkerID, false }),
	{kind: "logins", col: "at", desc: true,
		keys: func(r *gs.Records) []string { return keysOf(r.Logins, loginKey) },
		want: func(r *gs.Records, desc bool) []string {
			return sortedKeys(r.Logins, desc, func(l gs.Login) (string, bool) { return instant(l.At) }, loginKey)
		}},
	{kind: "findings", col: "count", desc: true,
		keys: func(r *gs.Records) []string { return keysOf(r.Findings, findingKey) },
		want: func(r *gs.Records, desc bool) []string {
			return sortedKeys(r.Findings, desc, func(f gs.Finding) (string, bool) { return padded(int64(f.Count)), false },
				findingKey)
		}},
	{kind: "leaves", col: "to", desc: false,
		keys: func(r *gs.Records) []string { return keysOf(r.Leaves, leaveKey) },
		want: func(r *gs.Records, desc bool) []string {
			return sortedKeys(r.Leaves, desc, func(l gs.Leave) (string, bool) { return l.To.String(), false },
				leaveKey)
		}},
	{kind: "register", col: "name", desc: false,
		keys: func(r *gs.Records) []string { return keysOf(r.Register, personKey) },
		want: func(r *gs.Records, desc bool) []string {
			return sortedKeys(r.Register, desc, func(p gs.Person) (string, bool) { return p.Name, p.Name == "" },
				personKey)
		}},
}

func findingKey(f gs.Finding) string { return f.ID }
func leaveKey(l gs.Leave) string     { return l.WorkerID + "/" + l.From.String() }
func personKey(p gs.Person) string   { return p.PersonID }

// loginKey is a login's key as a text that sorts like the key's columns.
func loginKey(l gs.Login) string {
	return l.WorkerID + "\x00" + string(l.Channel) + "\x00" + padded(l.At.Unix())
}

// TestRecordsSorted: a list sorted by a column comes in the order of that
// column's values, empty values last, ties by the key, on both engines;
// its pages put together are the whole list, no record twice or missing;
// the download's reading (EachRecords) gives the same order.
func TestRecordsSorted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		town := demo.Town(1)
		town.Events[3].Category = "" // an empty value among the others
		mustImport(t, db, town)
		for _, c := range sortCases {
			name := c.kind + " by " + c.col
			if c.desc {
				name += " desc"
			}
			f := store.RecordFilter{Kind: c.kind, Sort: c.col, Desc: c.desc}
			all, err := db.Records(ctx, f)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got, want := c.keys(&all.Records), c.want(&all.Records, c.desc)
			if len(got) < 2 {
				t.Fatalf("%s: %d records, too few to tell an order", name, len(got))
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: order %v…, want %v…", name, got[:min(8, len(got))], want[:min(8, len(want))])
			}
			var paged []string
			for f.Offset, f.Limit = 0, len(got)/5+1; f.Offset < len(got); f.Offset += f.Limit {
				page, err := db.Records(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				paged = append(paged, c.keys(&page.Records)...)
			}
			if !slices.Equal(paged, got) {
				t.Errorf("%s: pages of a fifth put together differ from the whole list", name)
			}
			f.Offset, f.Limit = 0, 0
			var each []string
			err = db.EachRecords(ctx, f, 5, func(r *gs.Records) error {
				each = append(each, c.keys(r)...)
				return nil
			})
			if err != nil || !slices.Equal(each, got) {
				t.Errorf("%s: EachRecords gave %d records in another order (err %v)", name, len(each), err)
			}
		}
	})
}

// TestRecordsSortWhitelist: every column of every listed kind's file sorts
// its list; a name that is not one (a stored column's own name, SQL) is
// refused and never reaches the query.
func TestRecordsSortWhitelist(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords())
		for _, kind := range store.ListedKinds() {
			for _, col := range csvfile.Columns(kind) {
				for _, desc := range []bool{false, true} {
					if _, err := db.Records(ctx, store.RecordFilter{Kind: kind, Sort: col.Key, Desc: desc}); err != nil {
						t.Errorf("%s by %s (%s): %v", kind, col.Key, col.Title, err)
					}
				}
			}
		}
		for _, bad := range []struct{ kind, col string }{
			{"logins", "logged_at"}, {"findings", "occurrences"}, {"events", "event_id; DROP TABLE events"},
			{"events", "1"}, {"events", "name"}, {"calendar", "day"},
		} {
			_, err := db.Records(ctx, store.RecordFilter{Kind: bad.kind, Sort: bad.col})
			if gs.ErrorCode(err) != gs.EINVALID {
				t.Errorf("%s by %q: err %v, want invalid", bad.kind, bad.col, err)
			}
			err = db.EachRecords(ctx, store.RecordFilter{Kind: bad.kind, Sort: bad.col}, 10, func(*gs.Records) error { return nil })
			if gs.ErrorCode(err) != gs.EINVALID {
				t.Errorf("EachRecords %s by %q: err %v, want invalid", bad.kind, bad.col, err)
			}
		}
		if _, err := db.Records(ctx, store.RecordFilter{Kind: "events"}); err != nil {
			t.Errorf("events still there: %v", err)
		}
		for kind, want := range map[string]string{"events": "reported_at", "logins": "at", "leaves": "from", "calendar": "date", "attendance": ""} {
			if got := store.DefaultSort(kind); got != want {
				t.Errorf("DefaultSort(%s) = %q, want %q", kind, got, want)
			}
		}
	})
}

// TestEachRecordsStops: the reading hands out batches of the size asked
// for, stops at Limit, ends without an error on ErrStop and with fn's
// error otherwise.
func TestEachRecordsStops(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, demo.Town(1))
		var sizes []int
		err := db.EachRecords(ctx, store.RecordFilter{Kind: "events", WorkerID: "QS002", Limit: 25}, 10, func(r *gs.Records) error {
			sizes = append(sizes, len(r.Events))
			return nil
		})
		if err != nil || fmt.Sprint(sizes) != "[10 10 5]" {
			t.Errorf("25 events by 10: batches %v (err %v)", sizes, err)
		}
		calls := 0
		err = db.EachRecords(ctx, store.RecordFilter{Kind: "events"}, 10, func(*gs.Records) error {
			calls++
			return store.ErrStop
		})
		if err != nil || calls != 1 {
			t.Errorf("ErrStop: %d calls, err %v", calls, err)
		}
		mine := errors.New("disk full")
		err = db.EachRecords(ctx, store.RecordFilter{Kind: "events"}, 10, func(*gs.Records) error { return mine })
		if !errors.Is(err, mine) {
			t.Errorf("fn's error: got %v", err)
		}
	})
}

// TestAuditSorted: the whole log is read in the order asked for, ties
// newest first (by time: in the same direction), on both engines; an
// unknown column is refused.
func TestAuditSorted(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		for i, e := range []struct {
			min         int
			who, action string
		}{
			{0, "wang", "login"}, {1, "admin", "user_created"}, {2, "li", "login"},
			{2, "admin", "login"}, {3, "wang", "login_failed"},
		} {
			if err := db.AppendAudit(ctx, t0.Add(time.Duration(e.min)*time.Minute), e.who, e.action, "user:"+e.who, strconv.Itoa(i+1)); err != nil {
				t.Fatal(err)
			}
		}
		order := func(f gs.AuditFilter) string {
			var ids []string
			if err := db.EachAudit(ctx, f, func(e gs.AuditEntry) error {
				ids = append(ids, strconv.FormatInt(e.ID, 10))
				return nil
			}); err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			return fmt.Sprint(ids)
		}
		for _, c := range []struct {
			f    gs.AuditFilter
			want string
		}{
			{gs.AuditFilter{}, "[5 4 3 2 1]"},
			{gs.AuditFilter{Sort: gs.AuditSortAt}, "[1 2 3 4 5]"},
			{gs.AuditFilter{Sort: gs.AuditSortAt, Desc: true}, "[5 4 3 2 1]"},
			{gs.AuditFilter{Sort: gs.AuditSortUser}, "[4 2 3 5 1]"},
			{gs.AuditFilter{Sort: gs.AuditSortUser, Desc: true}, "[5 1 3 4 2]"},
			{gs.AuditFilter{Sort: gs.AuditSortAction}, "[4 3 1 5 2]"},
			{gs.AuditFilter{Sort: gs.AuditSortAction, Action: "login", Desc: true}, "[4 3 1]"},
		} {
			if got := order(c.f); got != c.want {
				t.Errorf("%+v: %s, want %s", c.f, got, c.want)
			}
		}
		if err := db.EachAudit(ctx, gs.AuditFilter{Sort: "username"}, func(gs.AuditEntry) error { return nil }); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("sorted by a column's own name: err %v, want invalid", err)
		}
		n := 0
		if err := db.EachAudit(ctx, gs.AuditFilter{}, func(gs.AuditEntry) error { n++; return store.ErrStop }); err != nil || n != 1 {
			t.Errorf("ErrStop: %d entries read, err %v", n, err)
		}
	})
}

// TestAuditOfTown: a town's reading of the log leaves out the other
// towns' logins and the entries their accounts made on anything but a
// quarter, a worker or an appeal, and keeps those the service must judge.
func TestAuditOfTown(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		for _, u := range []gs.User{
			{Username: "qs_admin", Role: gs.RoleTownAdmin, Town: "青山镇"},
			{Username: "bs_admin", Role: gs.RoleTownAdmin, Town: "白石镇"},
			{Username: "district", Role: gs.RoleDistrict},
		} {
			if err := db.CreateUser(ctx, &u, "hash"); err != nil {
				t.Fatal(err)
			}
		}
		for i, e := range []struct{ who, object string }{
			{"qs_admin", "user:qs_admin"},       // 1: the town's login
			{"bs_admin", "user:bs_admin"},       // 2: another town's login
			{"district", "user:qs_admin"},       // 3: on the town's account
			{"district", "quarter:白石镇/2023Q3"},  // 4: a quarter (the service judges)
			{"bs_admin", "upload:7"},            // 5: another town's import
			{"qs_admin", "upload:8"},            // 6: the town's import
			{"district", "worker:BS001/2023Q3"}, // 7: a worker (the service judges)
			{"nobody", "user:nobody"},           // 8: an unknown name
			{"district", "appeal:3"},            // 9: an appeal (the service judges)
		} {
			if err := db.AppendAudit(ctx, t0.Add(time.Duration(i)*time.Minute), e.who, "x", e.object, ""); err != nil {
				t.Fatal(err)
			}
		}
		var ids []string
		if err := db.EachAudit(ctx, gs.AuditFilter{Town: "青山镇", Sort: gs.AuditSortAt}, func(e gs.AuditEntry) error {
			ids = append(ids, strconv.FormatInt(e.ID, 10))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(ids); got != "[1 3 4 6 7 9]" {
			t.Errorf("the town's candidates: %s, want [1 3 4 6 7 9]", got)
		}
	})
}
