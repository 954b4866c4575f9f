package gridscore

import "time"

// TownQuarter is one town's quarter as the district's overview lists it:
// its state (RULES.md §8), when it reached that state, and how many of its
// workers are in post on a day of the quarter.
type TownQuarter struct {
	State QuarterState
	// ChangedAt is when the quarter reached its state; zero for a quarter
	// nobody computed.
	ChangedAt time.Time
	Workers   int
}

// Final reports whether the quarter's results are final: finalized (定稿)
// or filed (报备). Every other state's numbers are provisional: a live
// standing while open, a computed snapshot that voids, appeals or a new
// computation may still change.
func (q *QuarterState) Final() bool {
	return q.State == StateFinalized || q.State == StateFiled
}

// FilingStatus is where a town stands with filing (报备) a quarter against
// the district's deadline.
type FilingStatus string

// The filing statuses.
const (
	FilingDone     FilingStatus = "filed"      // filed by the deadline
	FilingDoneLate FilingStatus = "filed_late" // filed after the deadline
	FilingDue      FilingStatus = "due"        // not filed, the deadline not passed
	FilingLate     FilingStatus = "late"       // not filed, the deadline passed
)

// Filing returns where the town stands with filing its quarter on day
// today, against deadline, the last day to file (Scheme.FilingWorkdays).
func (t TownQuarter) Filing(deadline, today Date) FilingStatus {
	if t.State.State == StateFiled && !t.State.FiledAt.IsZero() {
		if DateOf(t.State.FiledAt) > deadline {
			return FilingDoneLate
		}
		return FilingDone
	}
	if today > deadline {
		return FilingLate
	}
	return FilingDue
}

// Late reports whether the status is one the district should chase.
func (f FilingStatus) Late() bool { return f == FilingLate || f == FilingDoneLate }
