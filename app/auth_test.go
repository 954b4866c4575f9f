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
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// loginAt is the moment the auth tests start.
var loginAt = time.Date(2024, 3, 4, 9, 0, 0, 0, gs.CST)

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
func auditActions(t *testing.T, db *store.DB) []string {
	t.Helper()
	entries, err := db.Audit(context.Background(), store.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(entries) - 1; i >= 0; i-- {
		actions = append(actions, entries[i].Username+" "+entries[i].Action)
	}
	return actions
}

func TestPasswordsAreNeverStoredInClear(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, target string) {
		ctx := app.WithActor(context.Background(), "admin")
		const password = "青山-网格-2024"
		mustCreate(t, a, worker("wang", "W1"), password)
		mustCreate(t, a, worker("li", "W2"), password)

		rows, err := rawDB(t, target).QueryContext(ctx, "SELECT username, password_hash FROM users ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var hashes []string
		for rows.Next() {
			var name, hash string
			if err := rows.Scan(&name, &hash); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(hash, "$argon2id$v=19$") || strings.Contains(hash, password) || strings.Contains(hash, "网格") {
				t.Errorf("%s's stored password is %q, want an argon2id hash without the password", name, hash)
			}
			hashes = append(hashes, hash)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if len(hashes) != 2 || hashes[0] == hashes[1] {
			t.Errorf("two accounts with one password stored %q: want two different salted hashes", hashes)
		}
	})
}

func TestCreateUserChecks(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := app.WithActor(context.Background(), "admin")
		wantErr(t, "a 7-character password", a.CreateUser(ctx, worker("wang", "W1"), "1234567"),
			gs.EINVALID, "密码至少需要 8 个字符")
		wantErr(t, "a worker without a worker id", a.CreateUser(ctx, worker("wang", ""), "long enough"),
			gs.EINVALID, "网格员账号必须关联工号")
		// Eight Chinese characters are eight characters.
		if err := a.CreateUser(ctx, worker("wang", "W1"), "网格员考核密码八"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "the same username again", a.CreateUser(ctx, worker("wang", "W9"), "long enough"),
			gs.ECONFLICT, "用户名“wang”已被使用")

		users, err := a.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Username != "wang" || users[0].CreatedAt.IsZero() || users[0].ID == 0 {
			t.Errorf("Users = %+v, %v", users, err)
		}
		if got := auditActions(t, a.DB); fmt.Sprint(got) != "[admin user_created]" {
			t.Errorf("audit = %v, want the one account created by admin", got)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		wang := worker("wang", "W1")
		mustCreate(t, a, wang, "right password")
		mustCreate(t, a, worker("zhao", "W3"), "right password")
		if err := a.SetDisabled(ctx, "zhao", true); err != nil {
			t.Fatal(err)
		}

		u, err := a.Authenticate(ctx, "wang", "right password", loginAt)
		if err != nil || u.ID != wang.ID || u.WorkerID != "W1" || u.Role != gs.RoleWorker {
			t.Fatalf("the right password: %+v, %v", u, err)
		}
		// Nobody learns which usernames exist or which are disabled.
		for _, tc := range []struct{ what, username, password string }{
			{"a wrong password", "wang", "wrong password"},
			{"an unknown user", "nobody", "right password"},
			{"a disabled account with its right password", "zhao", "right password"},
			{"no password", "wang", ""},
			{"no username", "", "right password"},
		} {
			u, err := a.Authenticate(ctx, tc.username, tc.password, loginAt)
			if u != nil {
				t.Errorf("%s logged in as %+v", tc.what, u)
			}
			wantErr(t, tc.what, err, gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		want := "[wang login wang login_failed nobody login_failed zhao login_failed]"
		if got := auditActions(t, a.DB); !strings.HasSuffix(fmt.Sprint(got), strings.TrimPrefix(want, "[")) {
			t.Errorf("audit = %v, want it to end with %s", got, want)
		}
	})
}

func TestLockoutAfterFiveFailures(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		mustCreate(t, a, worker("wang", "W1"), "right password")
		login := func(password string, at time.Time) error {
			_, err := a.Authenticate(ctx, "wang", password, at)
			return err
		}

		// Four failures, then a success: the count starts again.
		for i := range 4 {
			wantErr(t, fmt.Sprint("failure ", i+1), login("wrong", loginAt), gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		if err := login("right password", loginAt); err != nil {
			t.Fatalf("the right password after four failures: %v", err)
		}
		for i := range 4 {
			wantErr(t, fmt.Sprint("failure ", i+1, " after a success"), login("wrong", loginAt), gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		// The fifth consecutive failure locks the account for 15 minutes.
		lockedAt := loginAt.Add(time.Minute)
		wantErr(t, "the fifth failure", login("wrong", lockedAt), gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 15 分钟后再试")
		wantErr(t, "the right password right after", login("right password", lockedAt.Add(time.Second)),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 15 分钟后再试")
		wantErr(t, "the right password 12 minutes later", login("right password", lockedAt.Add(12*time.Minute)),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 3 分钟后再试")
		wantErr(t, "a second before the end", login("right password", lockedAt.Add(15*time.Minute-time.Second)),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 1 分钟后再试")
		if err := login("right password", lockedAt.Add(15*time.Minute)); err != nil {
			t.Errorf("the right password after the lock: %v", err)
		}
		got := fmt.Sprint(auditActions(t, a.DB))
		if !strings.Contains(got, "wang login_failed wang account_locked wang login_failed") || !strings.HasSuffix(got, "wang login]") {
			t.Errorf("audit = %s; want the lock and the refused logins recorded", got)
		}
	})
}

func TestSessions(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, target string) {
		ctx := context.Background()
		wang := worker("wang", "W1")
		mustCreate(t, a, wang, "right password")
		token, err := a.CreateSession(ctx, wang.ID, loginAt)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) != 43 || strings.ContainsAny(token, "+/=") {
			t.Errorf("token %q: want 43 URL-safe characters (32 random bytes)", token)
		}
		var stored string
		if err := rawDB(t, target).QueryRowContext(ctx, "SELECT token_hash FROM sessions").Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == token || strings.Contains(stored, token) || len(stored) != 64 {
			t.Errorf("stored %q for token %q: want its SHA-256 only", stored, token)
		}
		other, err := a.CreateSession(ctx, wang.ID, loginAt)
		if err != nil || other == token {
			t.Fatalf("a second login's token = %q, %v; want a new one", other, err)
		}

		sessionUser := func(tok string, at time.Duration) error {
			t.Helper()
			u, err := a.SessionUser(ctx, tok, loginAt.Add(at))
			if err == nil && u.Username != "wang" {
				t.Errorf("session of %+v, want wang", u)
			}
			return err
		}
		// Used every 20 minutes, the session slides on past its first 30.
		for _, at := range []time.Duration{0, 20 * time.Minute, 40 * time.Minute, 59 * time.Minute} {
			if err := sessionUser(token, at); err != nil {
				t.Fatalf("session used at +%v: %v", at, err)
			}
		}
		// The other one, unused for 30 minutes, is gone; so is the first
		// after 30 idle minutes.
		wantErr(t, "a session idle 30 minutes", sessionUser(other, 30*time.Minute), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
		wantErr(t, "a session idle 30 minutes", sessionUser(token, 89*time.Minute), gs.EUNAUTHORIZED, "登录已过期，请重新登录")

		token, err = a.CreateSession(ctx, wang.ID, loginAt.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if err := sessionUser(token, 2*time.Hour+29*time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := a.DeleteSession(ctx, token); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "a session after logout", sessionUser(token, 2*time.Hour+30*time.Minute), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
		for _, bad := range []string{"", "x", strings.Repeat("A", 43), token + "A", strings.Repeat("*", 43)} {
			wantErr(t, fmt.Sprintf("token %q", bad), sessionUser(bad, 0), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
			if err := a.DeleteSession(ctx, bad); err != nil {
				t.Errorf("logout with token %q: %v", bad, err)
			}
		}

		// Disabling an account ends its sessions and refuses new ones.
		token, _ = a.CreateSession(ctx, wang.ID, loginAt.Add(3*time.Hour))
		if err := a.SetDisabled(ctx, "wang", true); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "a disabled account's session", sessionUser(token, 3*time.Hour), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
		_, err = a.CreateSession(ctx, wang.ID, loginAt.Add(3*time.Hour))
		wantErr(t, "a new session of a disabled account", err, gs.EUNAUTHORIZED, "账号不存在或已停用")
	})
}

func TestSetPassword(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := app.WithActor(context.Background(), "admin")
		wang := worker("wang", "W1")
		mustCreate(t, a, wang, "old password")
		token, err := a.CreateSession(ctx, wang.ID, loginAt)
		if err != nil {
			t.Fatal(err)
		}
		wantErr(t, "a short new password", a.SetPassword(ctx, "wang", "short", false), gs.EINVALID, "密码至少需要 8 个字符")
		wantErr(t, "an unknown account", a.SetPassword(ctx, "nobody", "new password", false), gs.ENOTFOUND, "用户“nobody”不存在")
		if err := a.SetPassword(ctx, "wang", "new password", true); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "the old password", errOf(a.Authenticate(ctx, "wang", "old password", loginAt)), gs.EUNAUTHORIZED, "用户名或密码错误")
		u, err := a.Authenticate(ctx, "wang", "new password", loginAt)
		if err != nil || !u.MustChangePassword {
			t.Fatalf("the new one-time password: %+v, %v; want must change", u, err)
		}
		wantErr(t, "a session from before the change", errOf(a.SessionUser(ctx, token, loginAt)), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
		if err := a.SetPassword(app.WithActor(ctx, "wang"), "wang", "my own password", false); err != nil {
			t.Fatal(err)
		}
		if u, err := a.Authenticate(ctx, "wang", "my own password", loginAt); err != nil || u.MustChangePassword {
			t.Errorf("after changing it: %+v, %v; want logged in, no change required", u, err)
		}
		got := fmt.Sprint(auditActions(t, a.DB))
		if !strings.Contains(got, "admin password_changed wang login_failed wang login wang password_changed") {
			t.Errorf("audit = %s", got)
		}
	})
}

// errOf keeps the error of a call that also returns a value.
func errOf[T any](_ T, err error) error { return err }

func TestTwoServersShareLockoutsAndSessions(t *testing.T) {
	forEachAuth(t, func(t *testing.T, one *app.Auth, target string) {
		ctx := context.Background()
		two := &app.Auth{DB: mustOpen(t, target)}
		wang := worker("wang", "W1")
		mustCreate(t, one, wang, "right password")

		// Failures on both servers add up to one lock that both enforce.
		for i := range 4 {
			srv := []*app.Auth{one, two}[i%2]
			wantErr(t, fmt.Sprint("failure ", i+1), errOf(srv.Authenticate(ctx, "wang", "wrong", loginAt)), gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		wantErr(t, "the fifth failure, on server two", errOf(two.Authenticate(ctx, "wang", "wrong", loginAt)),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 15 分钟后再试")
		wantErr(t, "the right password on server one", errOf(one.Authenticate(ctx, "wang", "right password", loginAt)),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 15 分钟后再试")

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

func TestEnsureAdmin(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		_, _, err := a.EnsureAdmin(ctx, "", loginAt)
		wantErr(t, "an administrator without a town", err, gs.EINVALID, "镇中心账号和网格员账号必须指定所属镇街")

		password, created, err := a.EnsureAdmin(ctx, "青山镇", loginAt)
		if err != nil || !created || len(password) < 16 {
			t.Fatalf("EnsureAdmin on an empty store = %q, %v, %v; want a new admin with a long password", password, created, err)
		}
		u, err := a.Authenticate(ctx, "admin", password, loginAt)
		if err != nil {
			t.Fatalf("logging in with the printed password: %v", err)
		}
		if u.Role != gs.RoleTownAdmin || u.Town != "青山镇" || !u.MustChangePassword {
			t.Errorf("first account = %+v; want the town administrator of 青山镇 who must change the password", u)
		}
		again, created, err := a.EnsureAdmin(ctx, "青山镇", loginAt.Add(time.Hour))
		if err != nil || created || again != "" {
			t.Errorf("EnsureAdmin a second time = %q, %v, %v; want nothing done", again, created, err)
		}
		if _, err := a.Authenticate(ctx, "admin", password, loginAt.Add(time.Hour)); err != nil {
			t.Errorf("the first password stopped working after a restart: %v", err)
		}
		if got := fmt.Sprint(auditActions(t, a.DB)); got != "[系统 user_created admin login admin login]" {
			t.Errorf("audit = %s", got)
		}

		// On a store that already has some account, no admin is made.
		b := &app.Auth{DB: mustOpen(t, storetest.SQLiteTarget(t))}
		mustCreate(t, b, worker("wang", "W1"), "right password")
		if _, created, err := b.EnsureAdmin(ctx, "青山镇", loginAt); err != nil || created {
			t.Errorf("EnsureAdmin with an account there: created %v, %v", created, err)
		}
	})
}

func TestRandomPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p, err := app.RandomPassword()
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 16 || strings.ContainsAny(p, "0O1lI") || seen[p] {
			t.Fatalf("RandomPassword = %q: want 16 unambiguous characters, never twice", p)
		}
		seen[p] = true
	}
}
