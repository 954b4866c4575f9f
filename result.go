package gridscore

import (
	"sort"
	"time"
)

// Flags a worker's result can carry.
const (
	// FlagNoBallots: no satisfaction ballot in the quarter; the worker keeps
	// the full satisfaction score and the center sees the survey is missing.
	FlagNoBallots = "no_ballots"
	// FlagInterviewDue: the worker refused an assignment (discipline.disobey)
	// and an interview (约谈) is due.
	FlagInterviewDue = "interview_due"
)

// Result is the assessment of one quarter as of a moment (DATA.md §3).
type Result struct {
	Quarter string    `json:"quarter"`
	AsOf    time.Time `json:"as_of"`
	Scheme  string    `json:"scheme"`
	// SchemeName is the scheme's name as people read it (XX镇网格员管理考核办法),
	// empty when unknown (a result read back from storage): the workbooks'
	// titles show it, or Scheme when it is empty. Not part of the JSON of
	// DATA.md §3.
	SchemeName string         `json:"-"`
	Workers    []WorkerResult `json:"workers"`
	// Notes are remarks for the center about the computation itself, such as
	// a year computed without official holiday data. Not part of the JSON of
	// DATA.md §3: the command line prints them apart.
	Notes []string `json:"-"`
	// Settled says that the result is the same as of every later moment
	// (but for AsOf) while the records stay as they are: the quarter is
	// over and no event of it is still open. A kept result that is settled
	// serves every later moment without computing again. Not part of the
	// JSON of DATA.md §3.
	Settled bool `json:"-"`
	// SettledFrom is, for a settled result, the first moment as of which
	// the result is the same (but for AsOf): the end of the quarter's last
	// day, or the latest closing of an event the result judged closed after
	// it. A kept result that is settled serves every moment from it on,
	// earlier ones than its own included.
	SettledFrom time.Time `json:"-"`
}

// WorkerResult is one worker's assessment. Total, Rank and Categories are nil
// for a worker who is not eligible.
type WorkerResult struct {
	WorkerID   string          `json:"worker_id"`
	Name       string          `json:"name"`
	Type       WorkerType      `json:"type"`
	Town       string          `json:"town"`
	GridCode   string          `json:"grid_code"`
	Eligible   bool            `json:"eligible"`
	Reason     string          `json:"reason"`
	Total      *Points         `json:"total"`
	Rank       *int            `json:"rank"`
	Categories *CategoryScores `json:"categories"`
	Deductions []Deduction     `json:"deductions"`
	Flags      []string        `json:"flags"`
	Pay        Fen             `json:"pay_yuan"`
	// Warnings are the early warnings of RULES.md §9, ordered by due. They
	// are nil (and the JSON has no "warnings" key) when as_of is not inside
	// the quarter, so a final result stays as it always was, and for a
	// worker who is not assessed; for an assessed worker whose as_of is
	// inside the quarter they are present, possibly empty ([]).
	Warnings *[]Warning `json:"warnings,omitempty"`
}

// HasFlag reports whether the result carries flag f.
func (w *WorkerResult) HasFlag(f string) bool {
	for _, x := range w.Flags {
		if x == f {
			return true
		}
	}
	return false
}

// CategoryScores are the five category scores, each already floored at 0.
type CategoryScores struct {
	Info         Points `json:"info"`
	Events       Points `json:"events"`
	KeyWork      Points `json:"key_work"`
	Discipline   Points `json:"discipline"`
	Satisfaction Points `json:"satisfaction"`
}

// Get returns the score of category c.
func (c *CategoryScores) Get(id CategoryID) Points {
	switch id {
	case CatInfo:
		return c.Info
	case CatEvents:
		return c.Events
	case CatKeyWork:
		return c.KeyWork
	case CatDiscipline:
		return c.Discipline
	default:
		return c.Satisfaction
	}
}

// Deduction is one itemised deduction, before the category floor: the rule,
// the period it belongs to (a month 2023-07, a date 2023-07-03, or the
// quarter 2023Q3), how many occurrences, the points, a sentence a grid worker
// understands, and the ids of the records it rests on.
type Deduction struct {
	Rule     RuleID   `json:"rule"`
	Period   string   `json:"period"`
	Count    int      `json:"count"`
	Points   Points   `json:"points"`
	Detail   string   `json:"detail"`
	Evidence []string `json:"evidence"`
	// Item is what, within its period, a deduction that rests on no record
	// is about, so that two such deductions of one rule and period are told
	// apart (RefOf): the channel ("app", "pc") of a discipline.login
	// deduction; "" for every other. Not part of the JSON of DATA.md §3 (the
	// Detail names it); the store keeps it beside the result.
	Item string `json:"-"`
}

// Warning is an early warning (预警) of RULES.md §9: points not lost yet but
// lost at Due if nothing is done. Rule is the rule that will deduct, Period
// the period it belongs to (as a deduction's), Points the points at risk,
// Detail a sentence telling the worker what to do, Evidence the ids of the
// records or persons concerned. A warning is a forecast, never a deduction:
// it changes no score.
type Warning struct {
	Rule     RuleID    `json:"rule"`
	Period   string    `json:"period"`
	Points   Points    `json:"points"`
	Due      time.Time `json:"due"`
	Detail   string    `json:"detail"`
	Evidence []string  `json:"evidence"`
}

// SortWorkerResults puts results in the order of a quarter's result (DATA.md
// §3): by town, then by rank (ranked workers first), then by worker id.
func SortWorkerResults(ws []WorkerResult) {
	sort.SliceStable(ws, func(i, j int) bool {
		a, b := &ws[i], &ws[j]
		if a.Town != b.Town {
			return a.Town < b.Town
		}
		if (a.Rank == nil) != (b.Rank == nil) {
			return a.Rank != nil
		}
		if a.Rank != nil && *a.Rank != *b.Rank {
			return *a.Rank < *b.Rank
		}
		return a.WorkerID < b.WorkerID
	})
}
