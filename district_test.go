package gridscore_test

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestFiling: a town's filing status against the deadline, judged on a day.
func TestFiling(t *testing.T) {
	t.Parallel()
	oct := func(d int) gs.Date { return gs.NewDate(2023, time.October, d) }
	deadline := oct(25)
	tests := []struct {
		name  string
		st    gs.QuarterState
		today int // a day of October 2023 (37: 6 November)
		want  gs.FilingStatus
	}{
		{"open, the day before the deadline → not filed yet", gs.QuarterState{State: gs.StateOpen}, 24, gs.FilingDue},
		{"finalized, on the deadline → not filed yet, not late", gs.QuarterState{State: gs.StateFinalized}, 25, gs.FilingDue},
		{"finalized, the day after the deadline → late", gs.QuarterState{State: gs.StateFinalized}, 26, gs.FilingLate},
		{"filed on the deadline → filed", gs.QuarterState{State: gs.StateFiled, FiledAt: oct(25).Start().Add(10 * time.Hour)}, 37, gs.FilingDone},
		{"filed the day after → filed late", gs.QuarterState{State: gs.StateFiled, FiledAt: oct(26).Start().Add(10 * time.Hour)}, 37, gs.FilingDoneLate},
		{"reopened after filing → not filed, late", gs.QuarterState{State: gs.StateComputed}, 37, gs.FilingLate},
	}
	for _, tt := range tests {
		got := gs.TownQuarter{State: tt.st}.Filing(deadline, oct(tt.today))
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
		if gs.FilingStatusName[got] == "" {
			t.Errorf("%s: status %s has no Chinese name", tt.name, got)
		}
	}
}
