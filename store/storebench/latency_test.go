package storebench_test

import (
	"testing"
	"time"

	"github.com/gridscore/gridscore/store/storebench"
)

func TestPercentileIsNearestRank(t *testing.T) {
	var l storebench.Latencies
	for i := 1; i <= 200; i++ {
		l = append(l, time.Duration(201-i)*time.Millisecond) // unsorted: 200 ms down to 1 ms
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{
		{50, 100 * time.Millisecond},
		{95, 190 * time.Millisecond},
		{99, 198 * time.Millisecond},
		{100, 200 * time.Millisecond},
	} {
		if got := l.Percentile(c.p); got != c.want {
			t.Errorf("p%v of 1..200 ms = %v, want %v", c.p, got, c.want)
		}
	}
	if got := storebench.Latencies(nil).Percentile(95); got != 0 {
		t.Errorf("p95 of nothing = %v, want 0", got)
	}
}
