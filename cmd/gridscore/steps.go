package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// stepsEnv names the environment variable through which the benchmark
// harness asks a child command to time its steps: it holds the Unix time in
// nanoseconds at which the harness started the process, so that the first
// step (启动) is the process's start, before main.
const stepsEnv = "GRIDSCORE_STEPS"

// stepsPrefix begins the line on stderr that gives a command's steps.
const stepsPrefix = "各步耗时（毫秒）："

// step is one timed step of a command.
type step struct {
	name string
	d    time.Duration
}

// stepClock times the steps of a command when the harness asks for it
// (stepsEnv); otherwise it does nothing.
type stepClock struct {
	last  time.Time
	steps []step
}

// newStepClock returns the clock of a command run with environment getenv:
// nil (which times nothing) unless stepsEnv holds a start time.
func newStepClock(getenv func(string) string) *stepClock {
	ns, err := strconv.ParseInt(getenv(stepsEnv), 10, 64)
	if err != nil || ns <= 0 {
		return nil
	}
	return &stepClock{last: time.Unix(0, ns)}
}

// mark ends the step called name now.
func (c *stepClock) mark(name string) {
	if c == nil {
		return
	}
	now := time.Now()
	c.steps = append(c.steps, step{name, now.Sub(c.last)})
	c.last = now
}

// report writes the steps on one line of w: stepsPrefix, then name=ms
// pairs.
func (c *stepClock) report(w io.Writer) {
	if c == nil || len(c.steps) == 0 {
		return
	}
	var b strings.Builder
	b.WriteString(stepsPrefix)
	for i, s := range c.steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s=%.1f", s.name, millis(s.d))
	}
	fmt.Fprintln(w, b.String())
}

// parseSteps returns the steps a child reported on stderr, nil when it
// reported none.
func parseSteps(stderr string) []step {
	for _, line := range strings.Split(stderr, "\n") {
		rest, ok := strings.CutPrefix(line, stepsPrefix)
		if !ok {
			continue
		}
		var steps []step
		for _, f := range strings.Fields(rest) {
			name, ms, ok := strings.Cut(f, "=")
			v, err := strconv.ParseFloat(ms, 64)
			if !ok || err != nil {
				return nil
			}
			steps = append(steps, step{name, time.Duration(v * float64(time.Millisecond))})
		}
		return steps
	}
	return nil
}

// medianSteps returns, for runs that reported the same steps, each step's
// median over the runs (nil when no run reported steps or they differ).
func medianSteps(runs [][]step) []step {
	if len(runs) == 0 || len(runs[0]) == 0 {
		return nil
	}
	sameNames := func(a, b step) bool { return a.name == b.name }
	for _, r := range runs[1:] {
		if !slices.EqualFunc(r, runs[0], sameNames) {
			return nil
		}
	}
	out := slices.Clone(runs[0])
	for i := range out {
		ds := make([]time.Duration, len(runs))
		for j, r := range runs {
			ds[j] = r[i].d
		}
		out[i].d = median(ds)
	}
	return out
}

// stepsText is steps as "启动 26.1 · 打开 20.3 · …" (milliseconds), or "—".
func stepsText(steps []step) string {
	if len(steps) == 0 {
		return "—"
	}
	parts := make([]string, len(steps))
	for i, s := range steps {
		parts[i] = fmt.Sprintf("%s %.1f", s.name, millis(s.d))
	}
	return strings.Join(parts, " · ")
}

// millis is d in milliseconds, to the microsecond.
func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
