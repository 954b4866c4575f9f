package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store/storetest"
)

// loginAt is the moment the auth tests start.
var loginAt = time.Date(2024, 3, 4, 9, 0, 0, 0, gs.CST)

// owner and stranger are the addresses logins come from: the account's
// owner, and someone guessing.
const (
	owner    = "192.0.2.1"
	stranger = "203.0.113.66"
)

// forEachAuth runs test with an Auth on a fresh store of each engine and
// the store's target, for opening it again.
func forEachAuth(t *testing.T, test func(t *testing.T, a *app.Auth, target string)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			target := b.Target(t)
			test(t, &app.Auth{DB: mustOpen(t, target), Now: func() time.Time { return loginAt }}, target)
		})
	}
}

// rawDB opens the database at target without the store, to look at what
// the store wrote.
func rawDB(t *testing.T, target string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(target, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// worker is a grid worker account.
func worker(username, workerID string) *gs.User {
	return &gs.User{Username: username, DisplayName: "王建国", Role: gs.RoleWorker, Town: "青山镇", WorkerID: workerID}
}

func mustCreate(t *testing.T, a *app.Auth, u *gs.User, password string) {
	t.Helper()
	if err := a.CreateUser(context.Background(), u, password); err != nil {
		t.Fatalf("create %s: %v", u.Username, err)
	}
}

// wantErr checks an error's code and message.
func wantErr(t *testing.T, what string, err error, code, message string) {
	t.Helper()
	if gs.ErrorCode(err) != code || gs.ErrorMessage(err) != message {
		t.Errorf("%s: %v (code %q); want %s %q", what, err, gs.ErrorCode(err), code, message)
	}
}

// auditActions lists the audit log's actions, oldest first.
func auditActions(t *testing.T, db app.AuditStore) []string {
	t.Helper()
	entries, err := db.Audit(context.Background(), gs.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- {
		actions = append(actions, entries[i].Username+" "+entries[i].Action)
	}
	return actions
}

// errOf keeps the error of a call that also returns a value.
func errOf[T any](_ T, err error) error { return err }

func TestTwoServersShareLockoutsAndSessions(t *testing.T) {
	forEachAuth(t, func(t *testing.T, one *app.Auth, target string) {
		ctx := context.Background()
		two := &app.Auth{DB: mustOpen(t, target)}
		wang := worker("wang", "W1")
		mustCreate(t, one, wang, "right password")

		// Failures from one address on both servers add up to one wait
		// that both enforce; the owner at another address logs in.
		for i := range 4 {
			srv := []*app.Auth{one, two}[i%2]
			wantErr(t, fmt.Sprint("failure ", i+1), errOf(srv.Authenticate(ctx, "wang", "wrong", stranger, loginAt)), gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		wantErr(t, "the fifth failure, on server one", errOf(one.Authenticate(ctx, "wang", "wrong", stranger, loginAt)),
			gs.EUNAUTHORIZED, "用户名或密码错误。登录失败次数过多，请 1 分钟后再试")
		wantErr(t, "the right password from there on server two", errOf(two.Authenticate(ctx, "wang", "right password", stranger, loginAt)),
			gs.ETOOMANY, "登录失败次数过多，请 1 分钟后再试")
		if _, err := one.Authenticate(ctx, "wang", "right password", owner, loginAt); err != nil {
			t.Fatalf("the owner at another address: %v", err)
		}

		// A session started on one server works on the other, and a logout
		// on either ends it on both.
		token, err := one.CreateSession(ctx, wang.ID, loginAt)
		if err != nil {
			t.Fatal(err)
		}
		if u, err := two.SessionUser(ctx, token, loginAt.Add(25*time.Minute)); err != nil || u.ID != wang.ID {
			t.Fatalf("server two with server one's session: %+v, %v", u, err)
		}
		// Server two's use slid the session for server one too.
		if _, err := one.SessionUser(ctx, token, loginAt.Add(50*time.Minute)); err != nil {
			t.Fatalf("server one after server two's use: %v", err)
		}
		if err := two.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "server one after logout on two", errOf(one.SessionUser(ctx, token, loginAt.Add(51*time.Minute))),
			gs.EUNAUTHORIZED, "登录已过期，请重新登录")
	})
}
