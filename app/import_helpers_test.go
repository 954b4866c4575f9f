package app_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// town describes generated import files: grids, one worker per grid, and
// events, logins and patrols spread over the workers in the third quarter
// of 2023, written part by part into dir with a csvfile.DirWriter.
type town struct {
	workers, events, logins, patrols int
}

const genPart = 50_000

// cst returns a time of 2023Q3 in CST from a row number, to the second.
func cst(i int) time.Time {
	return time.Date(2023, 7, 1, 8, 0, 0, 0, gs.CST).Add(time.Duration(i%(90*24*3600/7)) * 7 * time.Second)
}

// write writes the town's files into dir.
func (tw town) write(tb testing.TB, dir string) {
	tb.Helper()
	w, err := csvfile.NewDirWriter(dir, csvfile.UTF8)
	if err != nil {
		tb.Fatal(err)
	}
	org := &gs.Records{}
	for i := range tw.workers {
		code := fmt.Sprintf("G%05d", i)
		org.Grids = append(org.Grids, gs.Grid{Code: code, Name: "第" + strconv.Itoa(i) + "网格", Community: "青山社区", Town: "青山镇"})
		org.Workers = append(org.Workers, gs.Worker{ID: workerID(i), Name: "网格员" + strconv.Itoa(i), Type: gs.FullTime,
			GridCode: code, HiredOn: gs.NewDate(2020, 3, 1)})
	}
	if err := w.Append(org); err != nil {
		tb.Fatal(err)
	}
	for start := 0; start < max(tw.events, tw.logins, tw.patrols); start += genPart {
		part := &gs.Records{}
		for i := start; i < min(start+genPart, tw.events); i++ {
			at := cst(i)
			e := gs.Event{ID: fmt.Sprintf("E%09d", i), WorkerID: workerID(i % tw.workers), Flow: gs.FlowSelfHandled,
				Severity: gs.SeverityGeneral, Category: "治安", OccurredAt: at.Add(-time.Hour), ReportedAt: at}
			if i%3 == 0 {
				e.Flow, e.Deadline, e.ClosedAt = gs.FlowReported, at.Add(48*time.Hour), at.Add(30*time.Hour)
			}
			part.Events = append(part.Events, e)
		}
		for i := start; i < min(start+genPart, tw.logins); i++ {
			part.Logins = append(part.Logins, gs.Login{WorkerID: workerID(i % tw.workers), Channel: gs.ChannelApp, At: cst(i)})
		}
		for i := start; i < min(start+genPart, tw.patrols); i++ {
			part.Patrols = append(part.Patrols, gs.Patrol{ID: fmt.Sprintf("P%09d", i), WorkerID: workerID(i % tw.workers),
				StartedAt: cst(i), EndedAt: cst(i).Add(2 * time.Hour), DistanceM: int64(1000 + i%5000)})
		}
		if err := w.Append(part); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
}

func workerID(i int) string { return fmt.Sprintf("W%05d", i) }

// rows returns the number of rows of the town.
func (tw town) rows() int { return 2*tw.workers + tw.events + tw.logins + tw.patrols }

// mustOpen opens a fresh, migrated store at target, closed when the test
// ends.
func mustOpen(tb testing.TB, target string) *store.DB {
	tb.Helper()
	db, err := store.OpenAndMigrate(context.Background(), target)
	if err != nil {
		tb.Fatalf("open %s: %v", target, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// memPeak samples the Go heap while a measured step runs, and reads the
// process's peak resident memory, reset at the start where Linux allows.
type memPeak struct {
	stop chan struct{}
	wg   sync.WaitGroup
	heap uint64
}

func startMemPeak() *memPeak {
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) // resets VmHWM
	m := &memPeak{stop: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			m.heap = max(m.heap, ms.HeapInuse)
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

// done returns the peak heap in use and the peak RSS (0 if unknown), in MB.
func (m *memPeak) done() (heapMB, rssMB float64) {
	close(m.stop)
	m.wg.Wait()
	return float64(m.heap) / (1 << 20), float64(peakRSS()) / (1 << 20)
}

// peakRSS reads VmHWM from /proc/self/status, in bytes.
func peakRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
