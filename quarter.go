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
	// Scheme and SchemeName are the id and name of the scheme the stored
	// results were computed under; empty while none are stored, and for
	// results stored before the scheme was kept with them.
	Scheme, SchemeName string
}

// HasSnapshot reports whether the quarter has stored results, which pages
// show instead of computing live.
func (q *QuarterState) HasSnapshot() bool { return q.State != StateOpen && q.State != "" }

// DeductionRef names one deduction of a worker's quarter: its rule, its
// period, the records it rests on and, for one that rests on no record, its
// item (Deduction.Item: a login deduction's channel).
type DeductionRef struct {
	WorkerID    string
	Rule        RuleID
	Period      string
	EvidenceKey string
	Item        string
}

// RefOf names deduction d of worker workerID.
func RefOf(workerID string, d Deduction) DeductionRef {
	return DeductionRef{WorkerID: workerID, Rule: d.Rule, Period: d.Period, EvidenceKey: strings.Join(d.Evidence, ","), Item: d.Item}
}

// Key is what names r's deduction from one computation to the next: r
// itself, or for a rule that deducts at most once per worker, period and
// item (OnePerPeriod) r without its evidence, which lists the period's
// records and so changes when one of them comes in after a reopen while
// the deduction stays the same one. A void or an appeal applies to the
// deduction whose Key is its own.
func (r DeductionRef) Key() DeductionRef {
	if OnePerPeriod(r.Rule) {
		r.EvidenceKey = ""
	}
	return r
}

// OnePerPeriod reports whether rule deducts at most once per worker,
// period and item, on evidence that lists every record of the period it
// rests on (a month's events, its late events, the persons lacking visits,
// a day's patrols) rather than the one record it is about.
func OnePerPeriod(rule RuleID) bool {
	switch rule {
	case RuleEventsQuota, RuleEventsBatch, RuleKeyVisits, RuleDisciplinePatrol:
		return true
	}
	return false
}

// PeriodName is the period of the deduction r names as people read it: the
// period, then the item when it has one (2023-07-03 PC端 for a login
// deduction), so that a void or an appeal listed apart from the deduction's
// sentence still tells which one it is.
func (r DeductionRef) PeriodName() string {
	return PeriodName(r.Period, r.Item)
}

// PeriodName is a deduction's period and item (Deduction.Item) as people
// read them: the period alone when the item is "", else followed by the
// item's Chinese name (a channel's, ChannelName).
func PeriodName(period, item string) string {
	if item == "" {
		return period
	}
	return period + " " + NameOr(ChannelName, Channel(item))
}

// Voided is a deduction the center voided (or an upheld appeal voided):
// it no longer counts.
type Voided struct {
	DeductionRef
	Reason string
	By     string
	At     time.Time
	// DormantSince is set while the quarter's last computation had no
	// deduction of the void's Key (its records changed after a reopen):
	// the void then changes nothing, and applies again should the
	// deduction come back. Zero while the void is in effect.
	DormantSince time.Time
}

// InEffect returns the voids of vs that are not dormant.
func InEffect(vs []Voided) []Voided {
	var out []Voided
	for _, v := range vs {
		if v.DormantSince.IsZero() {
			out = append(out, v)
		}
	}
	return out
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
