package store

import (
	"slices"
	"testing"
)

// Every table is read, by exactly one entry of kinds: a table added without
// its entry would be stored but never assessed.
func TestKindsReadEveryTableOnce(t *testing.T) {
	t.Parallel()
	var read []string
	for i, k := range kinds {
		read = append(read, k.name)
		if k.scan == nil || k.sort == nil {
			t.Errorf("kind %s: no scanner or no order", k.name)
		}
		if k.chunk == withPrevious && (i == 0 || kinds[i-1].chunk == readOnce) {
			t.Errorf("kind %s is read with the kind before it, which has no chunk task", k.name)
		}
		if k.heavy && k.fast == nil {
			t.Errorf("kind %s is heavy without a fast read, which LoadTown reads it by", k.name)
		}
		if k.fast != nil && (k.chunk != ownTask || k.window.whole()) {
			t.Errorf("kind %s: a fast read needs a task of its own and a window", k.name)
		}
	}
	slices.Sort(read)
	want := Kinds()
	slices.Sort(want)
	if !slices.Equal(read, want) {
		t.Errorf("kinds read %v, tables %v", read, want)
	}
}

// The windows are written as the planner needs them: the heavy kinds'
// columns hidden from time indexes, dates compared inclusively.
func TestKindWindowConditions(t *testing.T) {
	t.Parallel()
	w := window{lo: 10, hi: 20, firstDay: "2023-07-01", last: "2023-09-30"}
	for _, tc := range []struct {
		kind, cond string
		args       []any
	}{
		{"events", "(+reported_at >= $1 AND +reported_at < $2) OR (+deadline >= $1 AND +deadline < $2)", []any{int64(10), int64(20)}},
		{"logins", "+logged_at >= $1 AND +logged_at < $2", []any{int64(10), int64(20)}},
		{"visits", "visited_at >= $1 AND visited_at < $2", []any{int64(10), int64(20)}},
		{"findings", "occurred_on >= $1 AND occurred_on <= $2", []any{"2023-07-01", "2023-09-30"}},
		{"grids", "", nil},
	} {
		cond, args := kindNamed(tc.kind).loadCond(w)
		if cond != tc.cond || !slices.Equal(args, tc.args) {
			t.Errorf("%s: %q %v, want %q %v", tc.kind, cond, args, tc.cond, tc.args)
		}
	}
}
