package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// busyWindow is how long the harness watches the machine, itself idle,
// before each row's measurements, unless the environment variable
// busyWindowEnv sets another (a Go duration such as "50ms"): its tests
// shorten the wait, which is idle time, not measured time.
const busyWindow = time.Second

// busyWindowEnv names the environment variable that replaces busyWindow.
const busyWindowEnv = "GRIDSCORE_BENCH_BUSY_WINDOW"

// busyWindowFrom returns the window set by busyWindowEnv in getenv's
// environment, else busyWindow.
func busyWindowFrom(getenv func(string) string) (time.Duration, error) {
	v := getenv(busyWindowEnv)
	if v == "" {
		return busyWindow, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%s 应为正的时长（如 50ms）：%q", busyWindowEnv, v)
	}
	return d, nil
}

// busyWarn is the share of the machine's CPU that other processes may take
// before a row is flagged: the targets are ratios measured on two cores, and
// a process keeping one core busy (a message broker spinning, a build)
// doubles times that use both.
const busyWarn = 0.15

// machineBusy returns the share of the machine's CPU time (all cores) spent
// outside idle during d, while the harness itself waits: what other
// processes take from the measurement that follows. ok is false where
// /proc/stat cannot be read.
func machineBusy(ctx context.Context, d time.Duration) (share float64, ok bool) {
	before, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	select {
	case <-time.After(d):
	case <-ctx.Done():
		return 0, false
	}
	after, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	b0, t0, ok0 := cpuTimes(string(before))
	b1, t1, ok1 := cpuTimes(string(after))
	if !ok0 || !ok1 || t1 <= t0 {
		return 0, false
	}
	return float64(b1-b0) / float64(t1-t0), true
}

// cpuTimes returns the busy and total jiffies of the "cpu" line of
// /proc/stat: busy is everything but idle and iowait.
func cpuTimes(stat string) (busy, total uint64, ok bool) {
	for _, l := range strings.Split(stat, "\n") {
		f := strings.Fields(l)
		if len(f) < 5 || f[0] != "cpu" {
			continue
		}
		for i, v := range f[1:] {
			n, err := strconv.ParseUint(v, 10, 64)
			if err != nil {
				return 0, 0, false
			}
			if i >= 8 { // guest times are already counted in user and nice
				break
			}
			total += n
			if i != 3 && i != 4 { // idle, iowait
				busy += n
			}
		}
		return busy, total, true
	}
	return 0, 0, false
}

// busyText formats a row's machineBusy for the table.
func busyText(share float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}
