package app

import (
	"runtime"
	"sync"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// Auth is spread over files by concept: this file holds the service and
// its settings; actor.go who acts, user.go the accounts, login.go the
// checking of a password at login, checks.go the turns of password
// checks, session.go the sessions, password.go the hashing and rules of
// passwords.

// Auth is the account and session service (gridscore.AuthService) on one
// store. The login throttle and the sessions are in the database, so
// several servers on one database share them; the turns of password checks
// bound each server's own memory. The zero value of each setting means its
// default.
type Auth struct {
	DB AuthStore
	// IdleTimeout ends a session unused this long (default 30 minutes).
	IdleTimeout time.Duration
	// MaxLifetime ends a session this long after its login however much it
	// is used (default 12 hours: a working day), so that a phone or a
	// browser left signed in does not stay signed in for good.
	MaxLifetime time.Duration
	// Throttle are the rules of the login throttle (store.LoginLimits);
	// each field left zero takes its default (DefaultThrottle()).
	Throttle store.LoginLimits
	// PasswordChecks is how many passwords may be checked at once (default
	// the number of processors): each argon2id check holds 19 MiB while it
	// runs, so this bounds the memory that logins take, whoever sends them.
	PasswordChecks int
	// CheckQueue is how many logins may wait for a turn to check a password
	// (default 8 per check), each at most CheckWait (default 1 second);
	// any further login is refused at once with ETOOMANY.
	CheckQueue int
	CheckWait  time.Duration
	// OnCheck, when set, is called inside every password check, real or
	// dummy, while it holds its turn: a test counts the checks that run at
	// once.
	OnCheck func()
	// Now is the clock for the calls that take no time argument (creating
	// accounts, changing passwords); default time.Now.
	Now func() time.Time

	turnsOnce sync.Once
	turns     *turns
}

var _ gs.AuthService = (*Auth)(nil)

// The defaults of Auth's settings.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxLifetime = 12 * time.Hour
	DefaultCheckWait   = time.Second
)

// DefaultThrottle returns the rules of the login throttle by default. After
// five failures of one username from one address, the address waits 1
// minute, then 2, 4, 8 and 15 minutes after each next one (about four
// guesses an hour); after 30 failures from one address over all usernames
// likewise (an office behind one address mistypes now and then). When 5
// addresses have failed 20 times together on one username within the
// hour, it is locked for 15 minutes from everywhere.
func DefaultThrottle() store.LoginLimits {
	return store.LoginLimits{
		Window:       time.Hour,
		PairFree:     5,
		ClientFree:   30,
		Delay:        time.Minute,
		MaxDelay:     15 * time.Minute,
		LockClients:  5,
		LockFailures: 20,
		LockFor:      15 * time.Minute,
	}
}

// positiveOr returns v, or def when v is not positive (a setting left zero).
func positiveOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (a *Auth) idleTimeout() time.Duration { return positiveOr(a.IdleTimeout, DefaultIdleTimeout) }
func (a *Auth) maxLifetime() time.Duration { return positiveOr(a.MaxLifetime, DefaultMaxLifetime) }

// expiry is when a session created at created and used at now expires:
// IdleTimeout after now, but no later than MaxLifetime after created.
func (a *Auth) expiry(created, now time.Time) time.Time {
	exp := now.Add(a.idleTimeout())
	if end := created.Add(a.maxLifetime()); end.Before(exp) {
		return end
	}
	return exp
}

// throttle returns the rules of the login throttle, defaults filled in.
func (a *Auth) throttle() store.LoginLimits {
	t, d := a.Throttle, DefaultThrottle()
	return store.LoginLimits{
		Window:       positiveOr(t.Window, d.Window),
		PairFree:     positiveOr(t.PairFree, d.PairFree),
		ClientFree:   positiveOr(t.ClientFree, d.ClientFree),
		Delay:        positiveOr(t.Delay, d.Delay),
		MaxDelay:     positiveOr(t.MaxDelay, d.MaxDelay),
		LockClients:  positiveOr(t.LockClients, d.LockClients),
		LockFailures: positiveOr(t.LockFailures, d.LockFailures),
		LockFor:      positiveOr(t.LockFor, d.LockFor),
	}
}

// checkTurns returns the turns of password checks, made at the first
// check from the settings.
func (a *Auth) checkTurns() *turns {
	a.turnsOnce.Do(func() {
		n := positiveOr(a.PasswordChecks, runtime.NumCPU())
		a.turns = newTurns(n, positiveOr(a.CheckQueue, 8*n), positiveOr(a.CheckWait, DefaultCheckWait))
	})
	return a.turns
}

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}
