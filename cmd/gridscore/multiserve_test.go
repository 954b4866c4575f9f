package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestTwoServersOneStore runs two real `gridscore serve` processes on one
// store (a SQLite file, and PostgreSQL when GRIDSCORE_TEST_DSN is set), logs
// in as the town administrator on both and posts each step of the quarter's
// life to both at the same moment (issue 3 item 5): every step is done once
// per success the servers report, never twice or half — two computes are
// two whole computes one after the other, and of two publishes or
// finalizes exactly one succeeds while the other is told the quarter has
// moved on — and both servers then show the same result.
func TestTwoServersOneStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several processes")
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			target := b.Target(t)
			flag := "--db"
			if strings.HasPrefix(target, "postgres") {
				flag = "--dsn"
			}
			// The first server brings up the demo town and its accounts;
			// the second, started after it, finds them there.
			bases := [2]string{
				serveProcess(t, "serve", "--demo", flag, target),
				serveProcess(t, "serve", "--demo", flag, target),
			}
			var clients [2]*http.Client
			for i, base := range bases {
				clients[i] = client(t, nil)
				res, _ := fetch(t, clients[i], "POST", base+"/login", url.Values{"username": {"admin"}, "password": {"demo1234"}})
				if res.StatusCode != http.StatusSeeOther {
					t.Fatalf("server %d: login as admin: status %d", i, res.StatusCode)
				}
			}
			town := "/towns/" + url.PathEscape(demo.TownName)
			both := func(step string, form url.Values) (ok int) {
				var wg sync.WaitGroup
				start := make(chan struct{})
				codes := [2]int{}
				for i := range 2 {
					wg.Go(func() {
						<-start
						res, _ := fetchNoFatal(clients[i], "POST", bases[i]+town+"/quarter/"+step, form)
						codes[i] = res
					})
				}
				close(start)
				wg.Wait()
				for i, code := range codes {
					switch code {
					case http.StatusSeeOther:
						ok++
					case http.StatusConflict, http.StatusBadRequest:
					default:
						t.Errorf("%s on server %d: status %d", step, i, code)
					}
				}
				return ok
			}

			db, err := store.Open(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			object := "quarter:" + demo.TownName + "/" + demo.Quarter().String()
			entries := func(action string) int {
				es, err := db.Audit(context.Background(), gs.AuditFilter{Action: action, Object: object, Limit: 1000})
				if err != nil {
					t.Fatal(err)
				}
				return len(es)
			}
			state := func() string {
				st, err := db.QuarterState(context.Background(), demo.TownName, demo.Quarter().String())
				if err != nil {
					t.Fatal(err)
				}
				return string(st.State)
			}

			// Compute is allowed again while computed: both succeed, one
			// after the other, each a whole compute with its audit entry.
			asOf := url.Values{"as_of": {demo.AsOf().Format("2006-01-02T15:04")}}
			if ok := both("compute", asOf); ok != 2 {
				t.Errorf("%d of 2 computes succeeded, want both", ok)
			}
			if n := entries(gs.AuditQuarterComputed); n != 2 {
				t.Errorf("%d compute entries in the audit log, want one for each of the 2 computes", n)
			}
			if st := state(); st != "computed" {
				t.Errorf("state %q after computing, want computed", st)
			}
			rows, err := db.Snapshot(context.Background(), demo.TownName, demo.Quarter().String())
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, r := range rows {
				if seen[r.Result.WorkerID] {
					t.Errorf("worker %s twice in the snapshot", r.Result.WorkerID)
				}
				seen[r.Result.WorkerID] = true
			}
			if want := len(demo.Town(1).Workers); len(rows) == 0 || len(rows) > want {
				t.Errorf("%d snapshot rows for %d workers", len(rows), want)
			}

			// Publish and finalize move the quarter on: one server does it,
			// the other finds it done.
			for _, step := range []struct{ name, action, state string }{
				{"publish", gs.AuditQuarterPublished, "published"},
				{"finalize", gs.AuditQuarterFinalized, "finalized"},
			} {
				if step.name == "finalize" {
					closeAppeals(t, target)
				}
				if ok := both(step.name, url.Values{"confirm": {"yes"}}); ok != 1 {
					t.Errorf("%s: %d of 2 servers succeeded, want exactly 1", step.name, ok)
				}
				if n := entries(step.action); n != 1 {
					t.Errorf("%s: %d audit entries, want 1", step.name, n)
				}
				if st := state(); st != step.state {
					t.Errorf("state %q after %s, want %s", st, step.name, step.state)
				}
			}

			// Both servers show the same finalized result.
			for _, page := range []string{town, "/workers/QS013"} {
				var bodies [2]string
				for i := range 2 {
					res, body := fetch(t, clients[i], "GET", bases[i]+page, nil)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("server %d: GET %s: status %d", i, page, res.StatusCode)
					}
					bodies[i] = body
				}
				if !strings.Contains(bodies[0], "已定稿") {
					t.Errorf("GET %s does not show the quarter finalized:\n%s", page, bodies[0])
				}
				if bodies[0] != bodies[1] {
					t.Errorf("GET %s: the two servers show different pages", page)
				}
			}
		})
	}
}

// fetchNoFatal posts a form and returns the status, for goroutines other
// than the test's (which may not call t.Fatal).
func fetchNoFatal(c *http.Client, method, u string, form url.Values) (int, error) {
	req, err := http.NewRequest(method, u, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

// listening is what serve prints once it listens.
var listening = regexp.MustCompile(`(https?://127\.0\.0\.1:\d+)`)

// serveProcess starts `gridscore args... --addr 127.0.0.1:0` as a separate
// process, stopped when the test ends, and returns its base URL once it
// listens.
func serveProcess(t *testing.T, args ...string) string {
	t.Helper()
	cmd := process(t, append(args, "--addr", "127.0.0.1:0")...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && strings.Contains(sc.Text(), "网页服务已启动") {
				found <- m[1]
			}
		}
		close(found)
	}()
	select {
	case base, ok := <-found:
		if !ok {
			t.Fatalf("gridscore %v ended before listening:\n%s", args, stderr)
		}
		return base
	case <-time.After(2 * time.Minute):
		t.Fatalf("gridscore %v did not start:\n%s", args, stderr)
	}
	return ""
}
