package web_test

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkExport5000 measures the lists' downloads on a district of
// 5,000 generated workers: every event of the quarter (about 850,000
// rows), sorted as the page lists them and by a column without an index,
// a town's events, and the workers. It reports the rows a second and the
// largest Go heap seen while the workbook was written (sampled every 10
// ms), which must not grow with the list.
// GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench Export5000 -benchtime 1x ./web/
func BenchmarkExport5000(b *testing.B) {
	d := newBenchDistrict(b)
	for _, c := range []struct{ name, path, user string }{
		{"events-district", "/export/records/events", "district"},
		{"events-district-by-category", "/export/records/events?sort=category&dir=desc", "district"},
		{"events-town", "/export/records/events", "admin"},
		{"workers-district", "/export/workers", "district"},
	} {
		b.Run(c.name, func(b *testing.B) {
			var peak atomic.Uint64
			done := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				var m runtime.MemStats
				for {
					runtime.ReadMemStats(&m)
					if m.HeapAlloc > peak.Load() {
						peak.Store(m.HeapAlloc)
					}
					select {
					case <-done:
						return
					case <-time.After(10 * time.Millisecond):
					}
				}
			}()
			var w discard
			for b.Loop() {
				w = discard{header: http.Header{}}
				req := httptest.NewRequest(http.MethodGet, c.path, nil)
				withSession(req, d.tokens[c.user])
				d.h.ServeHTTP(&w, req)
				if w.status != 0 && w.status != http.StatusOK {
					b.Fatalf("%s: status %d", c.path, w.status)
				}
			}
			close(done)
			wg.Wait()
			rows, _ := strconv.Atoi(w.header.Get("Content-Length"))
			b.ReportMetric(float64(rows)/(1<<20), "MB/file")
			b.ReportMetric(float64(peak.Load())/(1<<20), "MB-heap-peak")
		})
	}
}

// discard is a response writer that keeps the headers and the status
// and counts the body.
type discard struct {
	header http.Header
	status int
	n      int
}

func (w *discard) Header() http.Header    { return w.header }
func (w *discard) WriteHeader(status int) { w.status = status }
func (w *discard) Write(p []byte) (int, error) {
	w.n += len(p)
	return len(p), nil
}
