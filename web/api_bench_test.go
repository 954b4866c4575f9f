package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/web"
)

// BenchmarkAPIPush5000 times one request of the API on the district of
// 5,000 generated workers (about 850,000 events): 10,000 new events of one
// worker (the most a request takes), then the same 10,000 again, which
// change nothing. GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench APIPush5000 -benchtime 3x ./web/
func BenchmarkAPIPush5000(b *testing.B) {
	d := newBenchDistrict(b)
	d.srv.APIRate = web.APIRate{PerSecond: 1e6, Burst: 1e6}
	h := d.srv.Handler()
	admin, err := d.db.UserByUsername(context.Background(), "admin")
	if err != nil {
		b.Fatal(err)
	}
	made, err := d.srv.Service.CreateAPIToken(app.WithActor(context.Background(), "admin"), admin, "bench", []string{"events"}, false, 0)
	if err != nil {
		b.Fatal(err)
	}
	push := func(body string) {
		req := httptest.NewRequest("POST", "/api/v1/records/events", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+made.Secret)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d\n%.500s", rec.Code, rec.Body.String())
		}
	}
	n := 0
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			body := benchEvents(d.Worker, n, app.MaxAPIItems)
			n += app.MaxAPIItems
			b.StartTimer()
			push(body)
		}
	})
	body := benchEvents(d.Worker, 0, app.MaxAPIItems)
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			push(body)
		}
	})
}

// benchEvents is n events of worker with ids from start, in the demo
// quarter.
func benchEvents(worker string, start, n int) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"event_id": "B%07d", "worker_id": %q, "flow": "self_handled", "category": "矛盾纠纷", "reported_at": "2023-09-%02d 10:00"}`,
			start+i, worker, 1+i%28)
	}
	sb.WriteByte(']')
	return sb.String()
}
