package app

import (
	"time"

	gs "github.com/gridscore/gridscore"
)

// Auth is spread over files by concept: this file holds the service and
// its settings; actor.go who acts, user.go the accounts, login.go the
// checking of a password at login, session.go the sessions, password.go
// the hashing and rules of passwords.

// Auth is the account and session service (gridscore.AuthService) on one
// store. The login counters, locks and sessions are in the database, so
// several servers on one database share them. The zero value of each
// setting means its default.
type Auth struct {
	DB AuthStore
	// IdleTimeout ends a session unused this long (default 30 minutes).
	IdleTimeout time.Duration
	// MaxFailures is how many consecutive failed logins lock an account
	// (default 5).
	MaxFailures int
	// LockFor is how long a locked account stays locked (default 15
	// minutes).
	LockFor time.Duration
	// Now is the clock for the calls that take no time argument (creating
	// accounts, changing passwords); default time.Now.
	Now func() time.Time
}

var _ gs.AuthService = (*Auth)(nil)

// The defaults of Auth's settings.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxFailures = 5
	DefaultLockFor     = 15 * time.Minute
)

// positiveOr returns v, or def when v is not positive (a setting left zero).
func positiveOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (a *Auth) idleTimeout() time.Duration { return positiveOr(a.IdleTimeout, DefaultIdleTimeout) }
func (a *Auth) maxFailures() int           { return positiveOr(a.MaxFailures, DefaultMaxFailures) }
func (a *Auth) lockFor() time.Duration     { return positiveOr(a.LockFor, DefaultLockFor) }

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}
