package main

import (
	"testing"
	"time"
)

func TestCPUTimes(t *testing.T) {
	for _, c := range []struct {
		name        string
		stat        string
		busy, total uint64
		ok          bool
	}{
		{"idle and iowait are not busy; guest is not counted twice",
			"cpu  100 5 50 800 40 1 2 3 7 0\ncpu0 50 2 25 400 20 0 1 1 3 0\nintr 1\n", 161, 1001, true},
		{"an older kernel's shorter line", "cpu  10 0 10 80 0\n", 20, 100, true},
		{"no cpu line", "intr 1 2\n", 0, 0, false},
		{"garbled", "cpu  10 x 10 80 0\n", 0, 0, false},
	} {
		busy, total, ok := cpuTimes(c.stat)
		if busy != c.busy || total != c.total || ok != c.ok {
			t.Errorf("%s: got %d/%d %v, want %d/%d %v", c.name, busy, total, ok, c.busy, c.total, c.ok)
		}
	}
}

func TestBusyWindowFrom(t *testing.T) {
	for _, c := range []struct {
		env  string
		want time.Duration
		ok   bool
	}{
		{"", time.Second, true},
		{"100ms", 100 * time.Millisecond, true},
		{"0s", 0, false},
		{"soon", 0, false},
	} {
		got, err := busyWindowFrom(func(k string) string {
			if k == busyWindowEnv {
				return c.env
			}
			return ""
		})
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("%s=%q: got %v, %v; want %v, ok %v", busyWindowEnv, c.env, got, err, c.want, c.ok)
		}
	}
}
