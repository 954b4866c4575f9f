package main

import (
	"bytes"
	"strconv"
	"testing"
	"time"
)

// TestStepClock: a command times its steps only when the harness asks
// (stepsEnv), and the harness reads back what it reported.
func TestStepClock(t *testing.T) {
	var buf bytes.Buffer
	off := newStepClock(func(string) string { return "" })
	off.mark("启动")
	off.report(&buf)
	if buf.Len() != 0 || off != nil {
		t.Errorf("a clock nobody asked for reported %q", buf.String())
	}

	start := time.Now().Add(-30 * time.Millisecond)
	on := newStepClock(func(k string) string {
		if k == stepsEnv {
			return strconv.FormatInt(start.UnixNano(), 10)
		}
		return ""
	})
	on.mark("启动")
	time.Sleep(5 * time.Millisecond)
	on.mark("读取")
	buf.WriteString("注意：别的话\n")
	on.report(&buf)
	got := parseSteps(buf.String())
	if len(got) != 2 || got[0].name != "启动" || got[1].name != "读取" {
		t.Fatalf("steps read back %v from %q", got, buf.String())
	}
	if got[0].d < 30*time.Millisecond || got[1].d < 5*time.Millisecond {
		t.Errorf("steps %v: the first should count from the process's start (30 ms ago), the second the 5 ms slept", got)
	}
	if parseSteps("注意：没有\n") != nil {
		t.Errorf("steps read from output that reports none")
	}
}

func TestMedianSteps(t *testing.T) {
	ms := func(name string, v int) step { return step{name, time.Duration(v) * time.Millisecond} }
	got := medianSteps([][]step{
		{ms("启动", 30), ms("读取", 60)},
		{ms("启动", 20), ms("读取", 90)},
		{ms("启动", 25), ms("读取", 70)},
	})
	if stepsText(got) != "启动 25.0 · 读取 70.0" {
		t.Errorf("medians %s, want 启动 25.0 · 读取 70.0", stepsText(got))
	}
	if got := medianSteps([][]step{{ms("启动", 30)}, {ms("打开", 30)}}); got != nil {
		t.Errorf("runs with other steps gave medians %v, want none", got)
	}
	if stepsText(nil) != "—" {
		t.Errorf("no steps shown as %q", stepsText(nil))
	}
}
