package gridscore

import (
	"strings"
	"time"
)

// State is where a town's quarter is in its life (RULES.md §8).
type State string

// The states of a quarter, in order.
const (
	StateOpen      State = "open"
	StateComputed  State = "computed"
	StatePublished State = "published"
	StateFinalized State = "finalized"
	StateFiled     State = "filed"
)

// QuarterState is the state of one town's quarter and when it reached each
// step; a zero time is a step not reached. A quarter nobody computed is
// open.
type QuarterState struct {
	Town        string
	Quarter     string
	State       State
	AsOf        time.Time
	ComputedAt  time.Time
	PublishedAt time.Time
	FinalizedAt time.Time
	FiledAt     time.Time
	UpdatedBy   string
}

// HasSnapshot reports whether the quarter has stored results, which pages
// show instead of computing live.
func (q *QuarterState) HasSnapshot() bool { return q.State != StateOpen && q.State != "" }

// DeductionRef names one deduction of a worker's quarter: its rule, its
// period and the records it rests on.
type DeductionRef struct {
	WorkerID    string
	Rule        RuleID
	Period      string
	EvidenceKey string
}

// RefOf names deduction d of worker workerID.
func RefOf(workerID string, d Deduction) DeductionRef {
	return DeductionRef{WorkerID: workerID, Rule: d.Rule, Period: d.Period, EvidenceKey: strings.Join(d.Evidence, ",")}
}

// Voided is a deduction the center voided (or an upheld appeal voided):
// it no longer counts.
type Voided struct {
	DeductionRef
	Reason string
	By     string
	At     time.Time
}

// AppealStatus is where an appeal stands.
type AppealStatus string

// The statuses of an appeal.
const (
	AppealPending  AppealStatus = "pending"
	AppealUpheld   AppealStatus = "upheld"
	AppealRejected AppealStatus = "rejected"
)

// Appeal is a grid worker's appeal (申诉) against one deduction of a
// published quarter.
type Appeal struct {
	ID      int64
	Town    string
	Quarter string
	DeductionRef
	Reason    string
	Status    AppealStatus
	Reply     string
	CreatedAt time.Time
	DecidedAt time.Time
	DecidedBy string
}
