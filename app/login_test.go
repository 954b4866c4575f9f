package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

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
