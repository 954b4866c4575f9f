package app

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// errBadLogin is the one answer to every failed login that is not a lock,
// so that nobody learns which usernames exist.
func errBadLogin() error { return gs.Errorf(gs.EUNAUTHORIZED, "用户名或密码错误") }

// errLocked is the answer while an account is locked, rounded up to whole
// minutes.
func errLocked(until, now time.Time) error {
	minutes := int((until.Sub(now) + time.Minute - 1) / time.Minute)
	return gs.Errorf(gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 %d 分钟后再试", max(minutes, 1))
}

// Authenticate checks a username and password at time now and returns the
// account. An unknown username, a wrong password and a disabled account
// all get the same EUNAUTHORIZED error, after the same work of hashing; the
// MaxFailures-th consecutive failure locks the account for LockFor, and
// while it is locked even the right password gets EFORBIDDEN with the
// minutes left. A success clears the count. Every outcome is audited.
func (a *Auth) Authenticate(ctx context.Context, username, password string, now time.Time) (*gs.User, error) {
	username = strings.TrimSpace(username)
	audit := func(action, detail string) gs.AuditEntry {
		return gs.AuditEntry{At: now, Username: truncate(username, 64), Action: action,
			Object: "user:" + truncate(username, 64), Detail: detail}
	}
	if username == "" || password == "" || len(password) > maxPasswordLength {
		return nil, errBadLogin()
	}
	att, err := a.DB.BeginLogin(ctx, username, now, a.maxFailures(), a.lockFor())
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		burnHash(password) // the same work as for an account
		return nil, a.failed(ctx, audit(gs.AuditLoginFailed, "用户名不存在"))
	} else if err != nil {
		return nil, err
	}
	switch {
	case att.User.Disabled:
		burnHash(password)
		return nil, a.failed(ctx, audit(gs.AuditLoginFailed, "账号已停用"))
	case att.Locked:
		if err := a.DB.AppendAuditEntries(ctx, audit(gs.AuditLoginFailed, "账号锁定期间尝试登录")); err != nil {
			return nil, err
		}
		return nil, errLocked(att.LockedUntil, now)
	}
	ok, err := verifyPassword(att.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("authenticate %s: %w", username, err)
	}
	if !ok {
		return nil, a.wrongPassword(ctx, att, audit, now)
	}
	if err := a.DB.LoginSucceeded(ctx, att.User.ID, audit(gs.AuditLogin, "")); gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errBadLogin() // disabled or deleted meanwhile
	} else if err != nil {
		return nil, err
	}
	return &att.User, nil
}

// wrongPassword records a wrong password, and the lock when it is the
// failure that locks the account, and returns the error to answer with.
func (a *Auth) wrongPassword(ctx context.Context, att *store.LoginAttempt, audit func(action, detail string) gs.AuditEntry, now time.Time) error {
	entries := []gs.AuditEntry{audit(gs.AuditLoginFailed, "密码错误")}
	if att.Locks {
		entries = append(entries, audit(gs.AuditAccountLocked,
			fmt.Sprintf("连续 %d 次登录失败，锁定至 %s", a.maxFailures(), att.LockedUntil.In(gs.CST).Format("2006-01-02 15:04:05"))))
	}
	if err := a.DB.AppendAuditEntries(ctx, entries...); err != nil {
		return err
	}
	if att.Locks {
		return errLocked(att.LockedUntil, now)
	}
	return errBadLogin()
}

// failed records a failed login and returns the error to answer with.
func (a *Auth) failed(ctx context.Context, e gs.AuditEntry) error {
	if err := a.DB.AppendAuditEntries(ctx, e); err != nil {
		return err
	}
	return errBadLogin()
}

// truncate cuts s to at most n bytes on a character boundary (a username
// typed at the login form may be anything).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
