package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storebench"
	"github.com/gridscore/gridscore/web"
)

// BenchmarkLiveStream is the live load test of issue 14: records stream
// into a town while people read its pages. The web application runs as
// `gridscore serve` runs it (live results kept in the background, the next
// moments computed ahead), over HTTP on the loopback, on a generated town
// of 350 workers (GRIDSCORE_BENCH_WORKERS: more workers make more towns;
// the first is read) in the middle of 2023Q3: its clock starts at
// 2023-08-15 09:03:30 and runs at the real pace, so that a new
// five-minute moment begins 90 seconds in.
//
// A load generator pushes one record a second, in turn: a new event of a
// random worker of the town (reported ten minutes before, due a day after,
// still open) and a login, each as a one-row import (store.DB.Import, the
// transaction an import or an API makes), the event closed again the same
// way, and a spot check entered by hand through the form (POST
// /records/quiz as the town's administrator). Meanwhile readers
// (GRIDSCORE_BENCH_READERS, default 6), each waiting 0–1 s between pages,
// open the town's dashboard (/towns/{town}) and warnings board
// (/towns/{town}/warnings) as its administrator and a worker's own page
// (/workers/{id}) as that worker, for GRIDSCORE_BENCH_SECONDS (default
// 120). Every request must answer 200 (303 for the form).
//
// It reports per page the 50th, 95th and 99th percentiles and the count of
// requests, the same for the pushes, and the load average before and after
// (the machine's; the target, p95 under 200 ms, is for a machine the test
// has to itself). GRIDSCORE_BENCH_DSN runs it on PostgreSQL.
//
//	go test -run XXX -bench LiveStream -benchtime 1x ./web/
func BenchmarkLiveStream(b *testing.B) {
	ls := newLiveStream(b)
	seconds, readers := envInt("GRIDSCORE_BENCH_SECONDS", 120), envInt("GRIDSCORE_BENCH_READERS", 6)
	for b.Loop() {
		ls.run(b, time.Duration(seconds)*time.Second, readers)
	}
}

// liveStream is the application of BenchmarkLiveStream, serving HTTP.
type liveStream struct {
	db     *store.DB
	srv    *httptest.Server
	town   string
	worker string   // whose page is read, with their own account
	ids    []string // the town's workers
	tokens map[string]string
	// The clock: base until started, then base plus the time since.
	base    time.Time
	started atomic.Pointer[time.Time]
	stop    context.CancelFunc
}

// now is the application's clock.
func (ls *liveStream) now() time.Time {
	if t := ls.started.Load(); t != nil {
		return ls.base.Add(time.Since(*t))
	}
	return ls.base
}

func newLiveStream(b *testing.B) *liveStream {
	b.Helper()
	ctx := context.Background()
	db := openBenchStore(b)
	ls := &liveStream{db: db, tokens: map[string]string{}, base: time.Date(2023, 8, 15, 9, 3, 30, 0, gs.CST)}
	q := gs.Quarter{Year: 2023, Q: 3}
	err := gen.Generate(gen.Options{Workers: envInt("GRIDSCORE_BENCH_WORKERS", 350), Quarter: q, Seed: 1}, func(recs *gs.Records) error {
		if ls.town == "" {
			ls.town = recs.Grids[0].Town
			for _, w := range recs.Workers {
				ls.ids = append(ls.ids, w.ID)
				if ls.worker == "" && w.HiredOn.AddMonths(6) < q.First() && w.LeftOn.IsZero() {
					ls.worker = w.ID // assessed all the quarter: a page with warnings
				}
			}
		}
		_, err := db.Import(ctx, recs, nil)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	auth := &app.Auth{DB: db, Now: ls.now}
	for _, u := range []gs.User{
		{Username: "admin", DisplayName: "管理员", Role: gs.RoleTownAdmin, Town: ls.town},
		{Username: "worker", DisplayName: "网格员", Role: gs.RoleWorker, Town: ls.town, WorkerID: ls.worker},
	} {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			b.Fatal(err)
		}
		if ls.tokens[u.Username], err = auth.CreateSession(ctx, u.ID, ls.now()); err != nil {
			b.Fatal(err)
		}
	}
	// As cmd/gridscore's serve sets it up.
	srv := &web.Server{Service: &app.Service{DB: db, Scheme: scheme.Default(), Now: ls.now, KeepInBackground: true},
		Auth: auth, Logger: slog.New(slog.DiscardHandler)}
	ls.srv = httptest.NewServer(srv.Handler())
	aheadCtx, stop := context.WithCancel(ctx)
	srv.StartAhead(aheadCtx) // computes the town's current moment first, as at a start
	ls.stop = stop
	b.Cleanup(func() {
		ls.srv.Close()
		stop()
		srv.Wait()
		db.Close()
	})
	return ls
}

// run streams records and reads pages for d with the given readers, and
// reports.
func (ls *liveStream) run(b *testing.B, d time.Duration, readers int) {
	town := "/towns/" + url.PathEscape(ls.town)
	pages := []struct{ name, path, user string }{
		{"dashboard", town, "admin"},
		{"board", town + "/warnings", "admin"},
		{"worker", "/workers/" + ls.worker, "worker"},
	}
	for _, p := range pages { // the pages are shown once before the clock runs
		ls.get(b, p.path, p.user)
	}
	load := storebench.Load1()
	now := time.Now()
	ls.started.Store(&now)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()

	var mu sync.Mutex
	times := map[string]storebench.Latencies{}
	note := func(name string, t time.Duration) {
		mu.Lock()
		times[name] = append(times[name], t)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	wg.Go(func() { ls.push(ctx, b, note) })
	for r := range readers {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(uint64(r), 14))
			for i := r; ctx.Err() == nil; i++ {
				p := pages[i%len(pages)]
				start := time.Now()
				ls.get(b, p.path, p.user)
				note(p.name, time.Since(start))
				select {
				case <-ctx.Done():
				case <-time.After(time.Duration(rnd.Int64N(int64(time.Second)))):
				}
			}
		})
	}
	wg.Wait()
	for name, ts := range times {
		ts.Report(b, name+"-")
		b.ReportMetric(float64(len(ts)), name+"-n")
	}
	b.ReportMetric(load, "load-before")
	b.ReportMetric(storebench.Load1(), "load-after")
}

// push writes a record a second until ctx is done (see
// BenchmarkLiveStream), noting the time each push took.
func (ls *liveStream) push(ctx context.Context, b *testing.B, note func(string, time.Duration)) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	rnd := rand.New(rand.NewPCG(7, 14))
	var open []gs.Event
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now := ls.now()
		worker := ls.ids[rnd.IntN(len(ls.ids))]
		start := time.Now()
		var err error
		switch i % 4 {
		case 0:
			e := gs.Event{ID: fmt.Sprintf("LIVE-%05d", i), WorkerID: worker, Flow: gs.FlowSelfHandled,
				Severity: gs.SeverityGeneral, Category: "治安", OccurredAt: now.Add(-20 * time.Minute),
				ReportedAt: now.Add(-10 * time.Minute), Deadline: now.Add(24 * time.Hour)}
			open = append(open, e)
			_, err = ls.db.Import(context.Background(), &gs.Records{Events: []gs.Event{e}}, nil)
		case 1:
			_, err = ls.db.Import(context.Background(), &gs.Records{Logins: []gs.Login{{WorkerID: worker, Channel: gs.ChannelApp, At: now}}}, nil)
		case 2:
			e := open[0]
			open = open[1:]
			e.ClosedAt = now
			_, err = ls.db.Import(context.Background(), &gs.Records{Events: []gs.Event{e}}, nil)
		default:
			ls.post(b, "/records/quiz", "admin", url.Values{"worker_id": {worker}, "taken_on": {gs.DateOf(now).String()},
				"wrong_answers": {strconv.Itoa(rnd.IntN(3))}})
		}
		if err != nil {
			b.Error(err)
			return
		}
		note("push", time.Since(start))
	}
}

// get opens path as user and fails the benchmark unless the page is shown.
func (ls *liveStream) get(b *testing.B, path, user string) {
	req, err := http.NewRequest(http.MethodGet, ls.srv.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	ls.do(b, req, user, http.StatusOK)
}

// post sends form to path as user and fails the benchmark unless it is
// taken (303).
func (ls *liveStream) post(b *testing.B, path, user string, form url.Values) {
	req, err := http.NewRequest(http.MethodPost, ls.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	ls.do(b, req, user, http.StatusSeeOther)
}

// do sends req with user's session, reads the whole answer, and fails
// the benchmark unless its status is want.
func (ls *liveStream) do(b *testing.B, req *http.Request, user string, want int) {
	withSession(req, ls.tokens[user])
	res, err := noRedirects.Do(req)
	if err != nil {
		b.Error(err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Errorf("%s %s: status %d, want %d\n%.300s", req.Method, req.URL.Path, res.StatusCode, want, body)
	}
}

// noRedirects is a client that shows redirects rather than following them.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// envInt returns the environment variable name as a number, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
