package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// limits are small rules of the throttle for the tests: after 3 failures of
// a pair or 6 of an address, waits of 1, 2, then 4 minutes; a lock of 15
// minutes when 3 addresses have failed 5 times together.
var limits = store.LoginLimits{Window: time.Hour, PairFree: 3, ClientFree: 6, Delay: time.Minute, MaxDelay: 4 * time.Minute,
	LockClients: 3, LockFailures: 5, LockFor: 15 * time.Minute}

// beginner begins login attempts on db under limits, failing the test on
// an error.
func beginner(t *testing.T, db *store.DB, limits store.LoginLimits) func(username, client string, at time.Time) *store.LoginAttempt {
	return func(username, client string, at time.Time) *store.LoginAttempt {
		t.Helper()
		a, err := db.BeginLogin(context.Background(), username, client, at, limits)
		if err != nil {
			t.Fatalf("begin login of %s from %s at %s: %v", username, client, at.Format("15:04:05"), err)
		}
		return a
	}
}

// TestThrottleDelaysTheAddressNotTheAccount: a stranger's failures make the
// stranger's address wait, longer after each, and never the account's owner
// at another address; the same for a username that is nobody's.
func TestThrottleDelaysTheAddressNotTheAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		noLock := limits
		noLock.LockClients = 100 // the owner's attempts are failures from other addresses too
		begin := beginner(t, db, noLock)
		for _, username := range []string{"wang", "nobody"} {
			stranger := "203.0.113.9/" + username
			at := t0
			for i := range limits.PairFree - 1 {
				if a := begin(username, stranger, at); a.Refused || a.Waits || a.Locks {
					t.Fatalf("%s: failure %d = %+v, want free", username, i+1, a)
				}
			}
			for i, wait := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
				a := begin(username, stranger, at)
				if a.Refused || !a.Waits || !a.WaitUntil.Equal(at.Add(wait)) {
					t.Fatalf("%s: a failure at %s = %+v, want a wait until %s", username, at.Format("15:04:05"), a, at.Add(wait).Format("15:04:05"))
				}
				if a := begin(username, stranger, at.Add(wait-time.Second)); !a.Refused || a.Locked || !a.WaitUntil.Equal(at.Add(wait)) {
					t.Fatalf("%s: during the wait = %+v, want refused until %s", username, a, at.Add(wait).Format("15:04:05"))
				}
				if a := begin(username, fmt.Sprintf("10.0.0.%d", i+1), at.Add(time.Second)); a.Refused || a.Waits {
					t.Fatalf("%s: the owner at another address during the stranger's wait = %+v", username, a)
				}
				at = at.Add(wait)
			}
			if username == "wang" {
				if a := begin(username, stranger, at); a.User == nil || a.User.ID != wang.ID || a.PasswordHash != "$argon2id$hash-of-wang" {
					t.Errorf("the attempt does not carry the account: %+v", a)
				}
			} else if a := begin(username, stranger, at.Add(time.Hour)); a.User != nil || a.Waits {
				t.Errorf("an hour after the last failure: %+v, want a fresh count and no account", a)
			}
		}
	})
}

// TestThrottleCountsAnAddressOverAllUsernames: one address trying one
// password on many usernames waits as a pair would, other addresses not.
func TestThrottleCountsAnAddressOverAllUsernames(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		begin := beginner(t, MustOpenDB(t, b), limits)
		for i := range limits.ClientFree - 1 {
			if a := begin(string(rune('a'+i)), "203.0.113.9", t0); a.Waits || a.Refused {
				t.Fatalf("failure %d = %+v, want free", i+1, a)
			}
		}
		if a := begin("z", "203.0.113.9", t0); !a.Waits || !a.WaitUntil.Equal(t0.Add(time.Minute)) {
			t.Fatalf("the %dth failure = %+v, want a wait of a minute", limits.ClientFree, a)
		}
		if a := begin("y", "203.0.113.9", t0.Add(time.Second)); !a.Refused || a.Locked {
			t.Errorf("another username from the address = %+v, want refused", a)
		}
		if a := begin("y", "203.0.113.10", t0.Add(time.Second)); a.Refused || a.Waits {
			t.Errorf("another address = %+v, want neither refused nor waiting", a)
		}
	})
}

// TestThrottleLocksAfterGuessesFromManyAddresses: failures on one username
// from enough addresses lock it from every address for a while, the owner's
// included; a success of the owner before takes back only the owner's
// count.
func TestThrottleLocksAfterGuessesFromManyAddresses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		begin := beginner(t, db, limits)
		// The owner mistypes twice, then logs in: that count is taken back.
		begin("wang", "10.0.0.1", t0)
		begin("wang", "10.0.0.1", t0)
		if err := db.LoginSucceeded(context.Background(), wang.ID, "wang", "10.0.0.1"); err != nil {
			t.Fatal(err)
		}
		steps := []struct {
			client string
			locks  bool
		}{{"198.51.100.1", false}, {"198.51.100.1", false}, {"198.51.100.2", false}, {"198.51.100.2", false}, {"198.51.100.3", true}}
		for i, s := range steps {
			if a := begin("wang", s.client, t0.Add(time.Minute)); a.Refused || a.Locks != s.locks || s.locks && (a.Clients != 3 || a.Failures != 5) {
				t.Fatalf("guess %d from %s = %+v, want Locks %v", i+1, s.client, a, s.locks)
			}
		}
		until := t0.Add(time.Minute + limits.LockFor)
		for _, c := range []string{"10.0.0.1", "198.51.100.4"} {
			if a := begin("wang", c, t0.Add(2*time.Minute)); !a.Refused || !a.Locked || !a.WaitUntil.Equal(until) {
				t.Errorf("from %s during the lock = %+v, want locked until %s", c, a, until.Format("15:04:05"))
			}
		}
		if a := begin("wang", "10.0.0.1", until); a.Refused {
			t.Errorf("after the lock = %+v, want it lifted", a)
		}
	})
}

// TestThrottleParallelAttemptsCannotPassTheLimit: attempts sent at once, to
// two servers on one database, are counted one after another: as many go
// through as the limit allows and the others are refused.
func TestThrottleParallelAttemptsCannotPassTheLimit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.Target(t)
		dbs := []*store.DB{MustOpenTarget(t, target, store.WithMigrate()), MustOpenTarget(t, target)}
		mustCreateUser(t, dbs[0], newUser("wang", "W1"))
		const n = 10
		var wg sync.WaitGroup
		attempts := make([]*store.LoginAttempt, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				attempts[i], errs[i] = dbs[i%2].BeginLogin(context.Background(), "wang", "203.0.113.9", t0, limits)
			})
		}
		wg.Wait()
		counted := 0
		for i, a := range attempts {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if !a.Refused {
				counted++
			}
		}
		if counted != limits.PairFree {
			t.Errorf("%d attempts at once: %d counted, want %d (the rest refused)", n, counted, limits.PairFree)
		}
	})
}

// TestUnlockForgetsFailures: an administrator's unlock lifts a lock and
// the waits of every address; DeleteStaleLoginFailures forgets old counts
// that make nobody wait.
func TestUnlockForgetsFailures(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustCreateUser(t, db, newUser("wang", "W1"))
		mustCreateUser(t, db, &gridscore.User{Username: "admin", Role: gridscore.RoleTownAdmin, Town: "青山镇", CreatedAt: t0})
		begin := beginner(t, db, limits)
		for _, c := range []string{"198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2", "198.51.100.3"} {
			begin("wang", c, t0)
		}
		if a := begin("wang", "10.0.0.1", t0); !a.Locked {
			t.Fatalf("not locked: %+v", a)
		}
		if err := db.ChangeTownAccount(ctx, "青山镇", "wang", store.AccountChange{Unlock: true}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"10.0.0.1", "198.51.100.1"} {
			if a := begin("wang", c, t0.Add(time.Second)); a.Refused || a.Waits {
				t.Errorf("from %s after the unlock: %+v, want a fresh start", c, a)
			}
		}
		begin("li", "198.51.100.7", t0)
		if n, err := db.DeleteStaleLoginFailures(ctx, t0.Add(time.Hour), t0.Add(time.Hour)); err != nil || n == 0 {
			t.Errorf("DeleteStaleLoginFailures = %d, %v; want the old counts gone", n, err)
		}
		if a := begin("wang", "198.51.100.1", t0.Add(time.Hour)); a.Waits {
			t.Errorf("after the counts were deleted: %+v", a)
		}
	})
}
