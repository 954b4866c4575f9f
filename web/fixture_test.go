package web_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/web"
)

// password is the password of every test account.
const password = "test-pass-1"

// accounts are the test accounts, one of every role and two grid workers of
// the demo town.
var accounts = []gs.User{
	{Username: "district", DisplayName: "区中心", Role: gs.RoleDistrict},
	{Username: "admin", DisplayName: "青山镇管理员", Role: gs.RoleTownAdmin, Town: demo.TownName},
	{Username: "staff", DisplayName: "青山镇工作人员", Role: gs.RoleTownStaff, Town: demo.TownName},
	{Username: "QS001", DisplayName: "王建华", Role: gs.RoleWorker, Town: demo.TownName, WorkerID: "QS001"},
	{Username: "QS013", DisplayName: "赵磊", Role: gs.RoleWorker, Town: demo.TownName, WorkerID: "QS013"},
}

// fixture is the web application on a fresh SQLite store holding the demo
// town and the test accounts, served in-process.
type fixture struct {
	t       *testing.T
	db      *store.DB
	auth    *app.Auth
	server  *web.Server
	handler http.Handler
	logs    *syncBuffer
}

// syncBuffer is a buffer the server's goroutines may log into.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// clock is the fixed moment of the tests: the demo's as-of moment.
var clock = demo.AsOf()

// newFixture builds the application on a new store in t.TempDir.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureAt(t, filepath.Join(t.TempDir(), "gridscore.db"))
}

// newFixtureAt builds the application on a new store at target: a SQLite
// path or a PostgreSQL URL (storetest.Backends gives one of each engine).
// A SQLite store starts as a copy of the package's template (templateStore)
// instead of being imported and given its accounts again.
func newFixtureAt(t *testing.T, target string) *fixture {
	t.Helper()
	if strings.HasPrefix(target, "postgres") {
		return newFixtureOf(t, target, demoTown())
	}
	tmpl, err := templateStore()
	if err != nil {
		t.Fatal(err)
	}
	if err := copyFile(tmpl, target); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenAndMigrate(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return serve(t, db)
}

// newFixtureOf is newFixtureAt with the store holding recs (the demo town,
// changed) instead.
func newFixtureOf(t *testing.T, target string, recs *gs.Records) *fixture {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := seed(db, recs); err != nil {
		t.Fatal(err)
	}
	return serve(t, db)
}

// demoTown returns demo.Town(1), generated once for the package: the
// fixtures only read it (store.Import copies what it stores), and TestMain
// fails the tests if it changed. Tests that change the town call demo.Town
// themselves.
func demoTown() *gs.Records {
	sharedTown.once.Do(func() { sharedTown.recs = demo.Town(1) })
	return sharedTown.recs
}

// sharedTown is what demoTown returns.
var sharedTown struct {
	once sync.Once
	recs *gs.Records
}

// seed imports recs into db and creates the test accounts.
func seed(db *store.DB, recs *gs.Records) error {
	ctx := context.Background()
	if _, err := db.Import(ctx, recs, nil); err != nil {
		return err
	}
	auth := &app.Auth{DB: db, Now: func() time.Time { return clock }}
	for _, u := range accounts {
		if err := auth.CreateUser(ctx, &u, password); err != nil {
			return fmt.Errorf("create %s: %w", u.Username, err)
		}
	}
	return nil
}

// tmplStore is the package's SQLite store holding the demo town and the
// test accounts (seed), built once, in a folder TestMain removes.
var tmplStore struct {
	once      sync.Once
	dir, path string
	err       error
}

// templateStore returns the path of the template store, building it on
// first use. Its file alone is the whole store: closing the store's last
// connection checkpointed the write-ahead log into it and removed the log.
func templateStore() (string, error) {
	tmplStore.once.Do(func() {
		tmplStore.err = func() error {
			dir, err := os.MkdirTemp("", "gridscore-web-test-")
			if err != nil {
				return err
			}
			tmplStore.dir, tmplStore.path = dir, filepath.Join(dir, "template.db")
			db, err := store.OpenAndMigrate(context.Background(), tmplStore.path)
			if err != nil {
				return err
			}
			if err := seed(db, demoTown()); err != nil {
				db.Close()
				return err
			}
			if err := db.Close(); err != nil {
				return err
			}
			if _, err := os.Stat(tmplStore.path + "-wal"); !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("template store: its write-ahead log is left after closing (%v)", err)
			}
			return nil
		}()
		if tmplStore.err != nil {
			tmplStore.err = fmt.Errorf("template store: %w", tmplStore.err)
		}
	})
	return tmplStore.path, tmplStore.err
}

// copyFile copies the file at from to a new file at to.
func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}

// TestMain removes the template store and stops the shared Chromium
// (newTab) after the tests, if they made them. It fails the tests if the
// town the fixtures shared (demoTown) is no longer the demo town.
func TestMain(m *testing.M) {
	code := m.Run()
	if sharedTown.recs != nil && !reflect.DeepEqual(sharedTown.recs, demo.Town(1)) {
		fmt.Fprintln(os.Stderr, "FAIL: a test changed the demo town the fixtures share (demoTown); change a copy, demo.Town(1)")
		code = 1
	}
	if tmplStore.dir != "" {
		os.RemoveAll(tmplStore.dir)
	}
	stopChromium()
	os.Exit(code)
}

// serve builds the application on db, which holds the demo town and the
// test accounts.
func serve(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	now := func() time.Time { return clock }
	auth := &app.Auth{DB: db, Now: now}
	logs := &syncBuffer{}
	srv := &web.Server{
		Service: &app.Service{DB: db, Scheme: scheme.Default(), Now: now},
		Auth:    auth,
		Logger:  slog.New(slog.NewTextHandler(logs, nil)),
		Quarter: demo.Quarter(),
		AsOf:    demo.AsOf(),
	}
	t.Cleanup(srv.Wait) // before the store closes (cleanups run last first)
	return &fixture{t: t, db: db, auth: auth, server: srv, handler: srv.Handler(), logs: logs}
}

// do sends a request to the application and returns the response with its
// body read.
func (f *fixture) do(req *http.Request) (*http.Response, string) {
	f.t.Helper()
	rec := httptest.NewRecorder()
	f.handler.ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// get requests path with the session token (none when "").
func (f *fixture) get(path, token string) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	withSession(req, token)
	return f.do(req)
}

// post posts a form to path with the session token (none when "").
func (f *fixture) post(path string, form url.Values, token string) (*http.Response, string) {
	f.t.Helper()
	return f.postFrom("", path, form, token)
}

// postFrom posts as post does from the connection's address addr
// ("host:port"; "" is httptest's 192.0.2.1:1234).
func (f *fixture) postFrom(addr, path string, form url.Values, token string) (*http.Response, string) {
	f.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if addr != "" {
		req.RemoteAddr = addr
	}
	withSession(req, token)
	return f.do(req)
}

// guessFromMany sends the wrong password for username from as many
// addresses, as many times, as it takes to lock it (app.DefaultThrottle()).
func (f *fixture) guessFromMany(username string) {
	f.t.Helper()
	for i := range app.DefaultThrottle().LockFailures {
		f.postFrom(fmt.Sprintf("198.51.100.%d:4000", i%app.DefaultThrottle().LockClients), "/login",
			url.Values{"username": {username}, "password": {"wrong-password"}}, "")
	}
}

func withSession(req *http.Request, token string) {
	if token != "" {
		req.AddCookie(&http.Cookie{Name: "gridscore_session", Value: token})
	}
}

// login signs in through the login form and returns the session token.
func (f *fixture) login(username string) string {
	f.t.Helper()
	res, body := f.post("/login", url.Values{"username": {username}, "password": {password}}, "")
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: status %d, want 303\n%s", username, res.StatusCode, body)
	}
	c := sessionCookie(res)
	if c == nil || c.Value == "" {
		f.t.Fatalf("login %s: no session cookie", username)
	}
	return c.Value
}

// sessionCookie returns the session cookie a response sets, or nil.
func sessionCookie(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == "gridscore_session" {
			return c
		}
	}
	return nil
}

// workerName returns the name of demo worker id.
func workerName(t *testing.T, id string) string {
	t.Helper()
	for _, w := range demo.Town(1).Workers {
		if w.ID == id {
			return w.Name
		}
	}
	t.Fatalf("no demo worker %s", id)
	return ""
}

// publishDemo computes the demo town's quarter as of the demo's moment and
// publishes it, as the town's staff, and returns a context acting as
// them.
func (f *fixture) publishDemo(t *testing.T) context.Context {
	t.Helper()
	ctx := app.WithActor(context.Background(), "staff")
	svc, q := f.server.Service, demo.Quarter()
	if err := svc.Compute(ctx, f.user("staff"), demo.TownName, q, demo.AsOf()); err != nil {
		t.Fatal(err)
	}
	if err := svc.Publish(ctx, f.user("staff"), demo.TownName, q); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// closeAppeals moves the demo quarter's publication two weeks back, so
// that its appeal window is over and it may be finalized at the fixture's
// fixed clock.
func (f *fixture) closeAppeals() {
	f.t.Helper()
	err := f.db.InQuarter(context.Background(), demo.TownName, demo.Quarter().String(), func(qt *store.QuarterTx) error {
		st := qt.State
		st.PublishedAt = st.PublishedAt.AddDate(0, 0, -14)
		return qt.SetState(st)
	})
	if err != nil {
		f.t.Fatal(err)
	}
}
