package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
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

		u, err := a.Authenticate(ctx, "wang", "right password", owner, loginAt)
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
			{"a username longer than any account's", strings.Repeat("w", 65), "right password"},
		} {
			u, err := a.Authenticate(ctx, tc.username, tc.password, owner, loginAt)
			if u != nil {
				t.Errorf("%s logged in as %+v", tc.what, u)
			}
			wantErr(t, tc.what, err, gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		want := "[wang login wang login_failed nobody login_failed zhao login_failed]"
		if got := auditActions(t, a.DB); !strings.HasSuffix(fmt.Sprint(got), strings.TrimPrefix(want, "[")) {
			t.Errorf("audit = %v, want it to end with %s", got, want)
		}
		entries, err := a.DB.Audit(ctx, gs.AuditFilter{Limit: 1})
		if err != nil || len(entries) != 1 || entries[0].Detail != "账号已停用（来自 "+owner+"）" {
			t.Errorf("the last audit entry %+v, %v: want it to say why and from where", entries, err)
		}
	})
}

// TestStrangerCannotLockOutTheOwner: five wrong passwords for admin from a
// stranger's address make that address wait, longer each time, as often
// as the stranger likes; the administrator at another address logs in all
// the while.
func TestStrangerCannotLockOutTheOwner(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		mustCreate(t, a, worker("admin", "W1"), "right password")
		at := loginAt
		for round, wait := range []string{"1 分钟", "2 分钟", "4 分钟", "8 分钟", "15 分钟", "15 分钟"} {
			tries := 1
			if round == 0 {
				tries = app.DefaultThrottle().PairFree
			}
			for i := range tries - 1 {
				wantErr(t, fmt.Sprint("round ", round+1, ", failure ", i+1), errOf(a.Authenticate(ctx, "admin", "guess", stranger, at)),
					gs.EUNAUTHORIZED, "用户名或密码错误")
			}
			wantErr(t, fmt.Sprint("round ", round+1, ", the last failure"), errOf(a.Authenticate(ctx, "admin", "guess", stranger, at)),
				gs.EUNAUTHORIZED, "用户名或密码错误。登录失败次数过多，请 "+wait+"后再试")
			wantErr(t, fmt.Sprint("round ", round+1, ", the stranger again at once"), errOf(a.Authenticate(ctx, "admin", "guess", stranger, at)),
				gs.ETOOMANY, "登录失败次数过多，请 "+wait+"后再试")
			if _, err := a.Authenticate(ctx, "admin", "right password", owner, at.Add(time.Second)); err != nil {
				t.Fatalf("round %d: the administrator at another address: %v", round+1, err)
			}
			d, _ := time.ParseDuration(strings.TrimSuffix(wait, " 分钟") + "m")
			at = at.Add(d)
		}
	})
}

// TestKnownAndUnknownUsernamesAnswerAlike: the same attempts on a username
// that is an account's and on one that is not get the same answers, step
// by step, through the waits of one address and the lock after guessing
// from many; each attempt that is not refused checks a password, a dummy
// one for the unknown username.
func TestKnownAndUnknownUsernamesAnswerAlike(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		mustCreate(t, a, worker("wang", "W1"), "right password")
		var checks atomic.Int64
		a.OnCheck = func() { checks.Add(1) }
		type step struct {
			client string
			at     time.Duration
		}
		var steps []step
		for i := range 7 { // one address, into its waits
			steps = append(steps, step{stranger, time.Duration(i) * 20 * time.Second})
		}
		for i := range 20 { // many addresses, into the lock
			steps = append(steps, step{fmt.Sprintf("198.51.100.%d", i%5), 3 * time.Minute})
		}
		steps = append(steps, step{owner, 4 * time.Minute}, step{owner, 3*time.Minute + app.DefaultThrottle().LockFor})
		answers := map[string][]string{}
		checked := map[string]int64{}
		for _, username := range []string{"wang", "nobody"} {
			before := checks.Load()
			for _, s := range steps {
				_, err := a.Authenticate(ctx, username, "guess", s.client+"/"+username, loginAt.Add(s.at))
				answers[username] = append(answers[username], gs.ErrorCode(err)+" "+gs.ErrorMessage(err))
			}
			checked[username] = checks.Load() - before
		}
		if got, want := strings.Join(answers["nobody"], "\n"), strings.Join(answers["wang"], "\n"); got != want {
			t.Errorf("an unknown username is answered\n%s\nan account's\n%s", got, want)
		}
		if checked["nobody"] != checked["wang"] || checked["wang"] == 0 {
			t.Errorf("passwords checked: %d for the unknown username, %d for the account's", checked["nobody"], checked["wang"])
		}
		all := strings.Join(answers["wang"], "\n")
		for _, want := range []string{"too_many 登录失败次数过多，请 40 秒后再试", "forbidden 登录失败次数过多，账号已锁定，请 15 分钟后再试"} {
			if !strings.Contains(all, want) {
				t.Errorf("the answers never say %q:\n%s", want, all)
			}
		}
	})
}

// TestLockAfterGuessesFromManyAddresses: twenty wrong passwords from five
// addresses lock the account from everywhere for 15 minutes, the right
// password included; the lock is audited, and lifted in time.
func TestLockAfterGuessesFromManyAddresses(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		mustCreate(t, a, worker("wang", "W1"), "right password")
		var last error
		for i := range app.DefaultThrottle().LockFailures {
			last = errOf(a.Authenticate(ctx, "wang", "guess", fmt.Sprintf("198.51.100.%d", i%5), loginAt))
		}
		wantErr(t, "the 20th guess, from the 5th address", last, gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 15 分钟后再试")
		wantErr(t, "the right password from the owner's address", errOf(a.Authenticate(ctx, "wang", "right password", owner, loginAt.Add(3*time.Minute))),
			gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 12 分钟后再试")
		if _, err := a.Authenticate(ctx, "wang", "right password", owner, loginAt.Add(app.DefaultThrottle().LockFor)); err != nil {
			t.Errorf("the right password after the lock: %v", err)
		}
		if got := fmt.Sprint(auditActions(t, a.DB)); !strings.Contains(got, "wang login_failed wang account_locked wang login]") {
			t.Errorf("audit = %s; want the lock recorded, then the login", got)
		}
	})
}

// TestPasswordChecksAreBounded: however many logins arrive at once, no
// more passwords are checked at once than there are turns, a few logins
// wait for one, and the rest are refused at once, in Chinese, without a
// check.
func TestPasswordChecksAreBounded(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		mustCreate(t, a, worker("wang", "W1"), "right password")
		a.PasswordChecks, a.CheckQueue, a.CheckWait = 2, 3, time.Minute
		var running, most atomic.Int64
		inside := make(chan struct{}, 100)
		release := make(chan struct{})
		a.OnCheck = func() {
			n := running.Add(1)
			for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
			}
			inside <- struct{}{}
			<-release
			running.Add(-1)
		}
		results := make(chan error, 100)
		var wg sync.WaitGroup
		login := func(i int) {
			wg.Go(func() {
				results <- errOf(a.Authenticate(ctx, "wang", "wrong", fmt.Sprintf("198.51.100.%d", i), loginAt))
			})
		}
		login(0)
		login(1)
		<-inside
		<-inside // both turns taken
		const more = 20
		for i := range more {
			login(2 + i)
		}
		for i := range more - a.CheckQueue { // refused at once, while the turns are still held
			wantErr(t, fmt.Sprint("refusal ", i+1), <-results, gs.ETOOMANY, "同时登录的人太多，请稍等几秒再试")
		}
		close(release)
		wg.Wait()
		close(results)
		for err := range results {
			wantErr(t, "a login that had its turn", err, gs.EUNAUTHORIZED, "用户名或密码错误")
		}
		if most.Load() != 2 {
			t.Errorf("%d passwords checked at once, want 2", most.Load())
		}
	})
}
