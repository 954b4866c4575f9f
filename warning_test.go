package gridscore_test

import (
	"slices"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// at is a moment of 2023 in CST.
func at(month time.Month, day, hour int) time.Time {
	return time.Date(2023, month, day, hour, 0, 0, 0, gs.CST)
}

// warningsResult is a town mid-quarter: two grids listed out of order, a
// worker with nothing at risk and one not assessed.
func warningsResult() *gs.Result {
	ws := func(xs ...gs.Warning) *[]gs.Warning { return &xs }
	return &gs.Result{Quarter: "2023Q3", AsOf: at(8, 15, 9), Workers: []gs.WorkerResult{
		{WorkerID: "W3", Name: "王五", GridCode: "G02", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleEventsQuota, Period: "2023-08", Points: 2800, Due: at(9, 1, 0)},
			gs.Warning{Rule: gs.RuleEventsYellow, Period: "2023-08-15", Points: 500, Due: at(8, 15, 14)})},
		{WorkerID: "W1", Name: "张三", GridCode: "G01", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleDisciplinePatrol, Period: "2023-08-15", Points: 600, Due: at(8, 16, 0)})},
		{WorkerID: "W2", Name: "李四", GridCode: "G01", Eligible: true, Warnings: ws(
			gs.Warning{Rule: gs.RuleDisciplineLogin, Period: "2023-08-15", Points: 300, Due: at(8, 16, 0)},
			gs.Warning{Rule: gs.RuleKeyVisits, Period: "2023-08", Points: 500, Due: at(8, 29, 0)})},
		{WorkerID: "W4", Name: "赵六", GridCode: "G01", Eligible: true, Warnings: ws()},
		{WorkerID: "W5", Name: "钱七", GridCode: "G03", Reason: "在岗未满6个月"},
	}}
}

// TestWarningRows: a town's warnings read grid by grid, each grid's by due,
// ties by worker; workers with nothing at risk give no row.
func TestWarningRows(t *testing.T) {
	t.Parallel()
	var got []string
	for _, r := range warningsResult().WarningRows() {
		got = append(got, r.GridCode+" "+r.WorkerID+" "+string(r.Rule))
	}
	want := []string{
		"G01 W1 discipline.patrol", // due 8-16 00:00, W1 before W2
		"G01 W2 discipline.login",
		"G01 W2 key.visits",    // due 8-29
		"G02 W3 events.yellow", // due 8-15 14:00, before the quota of the month
		"G02 W3 events.quota",
	}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n%v\nwant\n%v", got, want)
	}
	if rows := (&gs.Result{}).WarningRows(); rows == nil || len(rows) != 0 {
		t.Errorf("no warnings: %#v, want an empty list", rows)
	}
}

// TestRiskByWorker: the points at risk added up by worker, most first.
func TestRiskByWorker(t *testing.T) {
	t.Parallel()
	got := gs.RiskByWorker(warningsResult().WarningRows())
	want := []gs.WorkerRisk{
		{WorkerID: "W3", Name: "王五", GridCode: "G02", Count: 2, Points: 3300},
		{WorkerID: "W2", Name: "李四", GridCode: "G01", Count: 2, Points: 800},
		{WorkerID: "W1", Name: "张三", GridCode: "G01", Count: 1, Points: 600},
	}
	if !slices.Equal(got, want) {
		t.Errorf("risks %+v, want %+v", got, want)
	}
}

// TestWarningsClosed: only inside the quarter are there warnings; before
// and after it a sentence says why there are none.
func TestWarningsClosed(t *testing.T) {
	t.Parallel()
	q := gs.Quarter{Year: 2023, Q: 3}
	for _, c := range []struct {
		name string
		asOf time.Time
		want string
	}{
		{"the last second of June", time.Date(2023, 6, 30, 23, 59, 59, 0, gs.CST), "2023年第3季度尚未开始，没有预警。"},
		{"the first moment of July", at(7, 1, 0), ""},
		{"mid-August", at(8, 15, 9), ""},
		{"the last second of September", time.Date(2023, 9, 30, 23, 59, 59, 0, gs.CST), ""},
		{"midnight at the quarter's end", at(10, 1, 0), "2023年第3季度已结束，没有预警。"},
		{"the October morning the result is computed", at(10, 8, 9), "2023年第3季度已结束，没有预警。"},
	} {
		if got := gs.WarningsClosed(q, c.asOf); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
