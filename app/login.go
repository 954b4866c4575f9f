package app

import (
	"context"
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// errBadLogin is the one answer to every failed login that is not refused
// before its check, so that nobody learns which usernames exist.
func errBadLogin() error { return gs.Errorf(gs.EUNAUTHORIZED, "用户名或密码错误") }

// errBusy refuses a login while too many are checked at once.
func errBusy() error {
	return gs.Errorf(gs.ETOOMANY, "同时登录的人太多，请稍等几秒再试")
}

// errWait refuses a login from an address that must wait after repeated
// failures, or answers the failure that makes it wait.
func errWait(until, now time.Time) error {
	return gs.Errorf(gs.ETOOMANY, "登录失败次数过多，请 %s后再试", waitText(until.Sub(now)))
}

// errLocked is the answer while a username is locked after guessing from
// many addresses.
func errLocked(until, now time.Time) error {
	return gs.Errorf(gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 %s后再试", waitText(until.Sub(now)))
}

// waitText says how long to wait, rounded up to whole minutes (seconds
// under a minute).
func waitText(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d 秒", max(int((d+time.Second-1)/time.Second), 1))
	}
	return fmt.Sprintf("%d 分钟", int((d+time.Minute-1)/time.Minute))
}

// maxUsernameBytes is the longest username an account may have (User.Validate).
const maxUsernameBytes = 64

// Authenticate checks a username and password sent from client (its
// address, for the throttle) at time now and returns the account.
//
// Every answer is the same for a username that is an account's and one
// that is not: the throttle counts what was typed, and an unknown username,
// a disabled account and a wrong password all get EUNAUTHORIZED after the
// same work, a real argon2id check or a dummy one (dummyHash). A login
// waits for a turn to check its password (checks.go) and is refused with
// ETOOMANY when there is none. The throttle (store.LoginLimits) refuses,
// without checking anything, an address that must wait after repeated
// failures (ETOOMANY, with the minutes left) and a username locked after
// failures from many addresses (EFORBIDDEN, even with the right password).
// A success takes its count back. Every checked attempt is audited, with
// the address.
func (a *Auth) Authenticate(ctx context.Context, username, password, client string, now time.Time) (*gs.User, error) {
	username = gs.TrimText(username)
	if username == "" || password == "" || len(username) > maxUsernameBytes || len(password) > maxPasswordLength {
		return nil, errBadLogin() // no account has such a name or password
	}
	release, ok := a.checkTurns().take(ctx)
	if !ok {
		return nil, errBusy()
	}
	limits := a.throttle()
	att, err := a.DB.BeginLogin(ctx, username, client, now, limits)
	if err != nil {
		release()
		return nil, err
	}
	if att.Refused {
		release()
		if att.Locked {
			return nil, errLocked(att.WaitUntil, now)
		}
		return nil, errWait(att.WaitUntil, now)
	}
	// An account that cannot log in costs the same check as one that can.
	hash, usable, why := dummyHash(), false, "用户名不存在"
	switch {
	case att.User == nil:
	case att.User.Disabled:
		why = "账号已停用"
	default:
		hash, usable, why = att.PasswordHash, true, "密码错误"
	}
	if a.OnCheck != nil {
		a.OnCheck()
	}
	right, err := verifyPassword(hash, password)
	release()
	if err != nil {
		return nil, fmt.Errorf("authenticate %s: %w", username, err)
	}
	audit := func(action, detail string) gs.AuditEntry {
		return gs.AuditEntry{At: now, Username: username, Action: action, Object: "user:" + username, Detail: detail}
	}
	if !right || !usable {
		return nil, a.failed(ctx, att, audit, why+"（来自 "+client+"）", now)
	}
	err = a.DB.LoginSucceeded(ctx, att.User.ID, username, client, audit(gs.AuditLogin, "来自 "+client))
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errBadLogin() // disabled or deleted meanwhile
	} else if err != nil {
		return nil, err
	}
	return att.User, nil
}

// failed records a failed login, and the lock when it is the failure that
// locks the username, and returns the error to answer with: the failure
// that makes the address wait says how long.
func (a *Auth) failed(ctx context.Context, att *store.LoginAttempt, audit func(action, detail string) gs.AuditEntry, detail string, now time.Time) error {
	entries := []gs.AuditEntry{audit(gs.AuditLoginFailed, detail)}
	if att.Locks {
		entries = append(entries, audit(gs.AuditAccountLocked, fmt.Sprintf("%d 个地址共登录失败 %d 次，锁定至 %s",
			att.Clients, att.Failures, att.WaitUntil.In(gs.CST).Format("2006-01-02 15:04:05"))))
	}
	if err := a.DB.AppendAuditEntries(ctx, entries...); err != nil {
		return err
	}
	switch {
	case att.Locks:
		return errLocked(att.WaitUntil, now)
	case att.Waits:
		return gs.Errorf(gs.EUNAUTHORIZED, "用户名或密码错误。%s", gs.ErrorMessage(errWait(att.WaitUntil, now)))
	}
	return errBadLogin()
}

// ForgetStaleLoginFailures removes the failed logins that no longer count
// at now, for the server to call now and then; it returns how many there
// were.
func (a *Auth) ForgetStaleLoginFailures(ctx context.Context, now time.Time) (int64, error) {
	return a.DB.DeleteStaleLoginFailures(ctx, now.Add(-a.throttle().Window), now)
}
