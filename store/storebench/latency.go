package storebench

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Latencies are the times of single requests or computations, measured one
// by one inside a Go benchmark, whose percentiles are what a person waits.
type Latencies []time.Duration

// Percentile returns the p-th percentile (0 < p ≤ 100) by the nearest-rank
// method, or 0 when nothing was measured.
func (l Latencies) Percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	rank := int(p/100*float64(len(s))+0.999999) - 1
	return s[min(max(rank, 0), len(s)-1)]
}

// Reporter is the part of *testing.B that Report uses.
type Reporter interface {
	ReportMetric(n float64, unit string)
}

// Report reports the 50th, 95th and 99th percentiles in milliseconds, as
// p50-ms, p95-ms and p99-ms, each unit prefixed by prefix.
func (l Latencies) Report(r Reporter, prefix string) {
	for _, p := range []float64{50, 95, 99} {
		r.ReportMetric(float64(l.Percentile(p))/float64(time.Millisecond), prefix+"p"+strconv.Itoa(int(p))+"-ms")
	}
}

// Load1 returns the machine's load average over the last minute, from
// /proc/loadavg, or -1 where it cannot be read: benchmarks report it beside
// their times because the machine they run on is shared.
func Load1() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return -1
	}
	return v
}
