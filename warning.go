package gridscore

import (
	"fmt"
	"sort"
	"time"
)

// WarningRow is one warning of a result with the worker it concerns, as a
// town's list of warnings shows it (`gridscore warnings`, the warnings
// workbook): the list is read grid by grid, each grid's warnings by due.
type WarningRow struct {
	WorkerID string     `json:"worker_id"`
	Name     string     `json:"name"`
	Type     WorkerType `json:"type"`
	GridCode string     `json:"grid_code"`
	Warning
}

// WarningRows flattens the warnings of res's workers into rows sorted by
// grid, then due, then worker id, then rule and period (so that the order
// is the same on every run). Workers without warnings (not assessed, or
// nothing at risk, or as_of outside the quarter) give no row; the result
// is empty, not nil, when there is none.
func (res *Result) WarningRows() []WarningRow {
	rows := []WarningRow{}
	for i := range res.Workers {
		w := &res.Workers[i]
		if w.Warnings == nil {
			continue
		}
		for _, x := range *w.Warnings {
			rows = append(rows, WarningRow{WorkerID: w.WorkerID, Name: w.Name, Type: w.Type, GridCode: w.GridCode, Warning: x})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := &rows[i], &rows[j]
		switch {
		case a.GridCode != b.GridCode:
			return a.GridCode < b.GridCode
		case !a.Due.Equal(b.Due):
			return a.Due.Before(b.Due)
		case a.WorkerID != b.WorkerID:
			return a.WorkerID < b.WorkerID
		case a.Rule != b.Rule:
			return a.Rule < b.Rule
		default:
			return a.Period < b.Period
		}
	})
	return rows
}

// WarningsClosed says, in Chinese, why quarter q has no warnings as of
// asOf: "2023年第3季度已结束，没有预警。" at or after the quarter's end,
// "2023年第3季度尚未开始，没有预警。" before its start; "" while asOf is
// inside the quarter, when warnings are computed (RULES.md §9). A list of
// warnings prints this sentence rather than an empty table.
func WarningsClosed(q Quarter, asOf time.Time) string {
	name := fmt.Sprintf("%d年第%d季度", q.Year, q.Q)
	switch {
	case !asOf.Before(q.Last().End()):
		return name + "已结束，没有预警。"
	case asOf.Before(q.First().Start()):
		return name + "尚未开始，没有预警。"
	default:
		return ""
	}
}

// WorkerRisk is what one worker stands to lose: how many warnings and the
// points they put at risk, added up. The sum can exceed what the worker
// would really lose, since a category's score is floored at 0.
type WorkerRisk struct {
	WorkerID string `json:"worker_id"`
	Name     string `json:"name"`
	GridCode string `json:"grid_code"`
	Count    int    `json:"count"`
	Points   Points `json:"points"`
}

// RiskByWorker adds rows up by worker, most points at risk first (then by
// grid and worker id): the workers about to lose most come first.
func RiskByWorker(rows []WarningRow) []WorkerRisk {
	at := map[string]int{}
	out := []WorkerRisk{}
	for _, r := range rows {
		i, ok := at[r.WorkerID]
		if !ok {
			i = len(out)
			at[r.WorkerID] = i
			out = append(out, WorkerRisk{WorkerID: r.WorkerID, Name: r.Name, GridCode: r.GridCode})
		}
		out[i].Count++
		out[i].Points += r.Points
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		switch {
		case a.Points != b.Points:
			return a.Points > b.Points
		case a.GridCode != b.GridCode:
			return a.GridCode < b.GridCode
		default:
			return a.WorkerID < b.WorkerID
		}
	})
	return out
}
