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

// mustCreateSession stores a session of 30 minutes from now.
func mustCreateSession(tb testing.TB, db *store.DB, userID int64, hash string, now time.Time) {
	tb.Helper()
	s := store.Session{TokenHash: hash, UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(30 * time.Minute)}
	if err := db.CreateSession(context.Background(), s); err != nil {
		tb.Fatalf("create session: %v", err)
	}
}

// mustAudit reads the audit log.
func mustAudit(tb testing.TB, db *store.DB, f gridscore.AuditFilter) []gridscore.AuditEntry {
	tb.Helper()
	e, err := db.Audit(context.Background(), f)
	if err != nil {
		tb.Fatalf("audit: %v", err)
	}
	return e
}

func TestSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		mustCreateSession(t, db, wang.ID, "h1", t0)

		s, u, err := db.SessionByTokenHash(ctx, "h1")
		if err != nil {
			t.Fatal(err)
		}
		want := store.Session{TokenHash: "h1", UserID: wang.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(30 * time.Minute)}
		if !sameSession(*s, want) || *u != *wang {
			t.Errorf("SessionByTokenHash = %+v of %+v; want %+v of %+v", *s, *u, want, *wang)
		}

		// Touching moves the last use and the end; a session past its end
		// is not revived.
		if err := db.TouchSession(ctx, "h1", t0.Add(20*time.Minute), t0.Add(50*time.Minute)); err != nil {
			t.Fatal(err)
		}
		s, _, _ = db.SessionByTokenHash(ctx, "h1")
		if !s.LastSeenAt.Equal(t0.Add(20*time.Minute)) || !s.ExpiresAt.Equal(t0.Add(50*time.Minute)) || !s.CreatedAt.Equal(t0) {
			t.Errorf("after a touch: %+v", *s)
		}
		if err := db.TouchSession(ctx, "h1", t0.Add(50*time.Minute), t0.Add(80*time.Minute)); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("touching an expired session: %v, want ENOTFOUND", err)
		}
		if err := db.TouchSession(ctx, "nope", t0, t0.Add(time.Hour)); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("touching an unknown session: %v, want ENOTFOUND", err)
		}

		// Logging out deletes one session, and deleting it again is fine.
		mustCreateSession(t, db, wang.ID, "h2", t0.Add(time.Minute))
		for range 2 {
			if err := db.DeleteSession(ctx, "h2"); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := db.SessionByTokenHash(ctx, "h2"); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("a deleted session: %v, want ENOTFOUND", err)
		}
		if _, _, err := db.SessionByTokenHash(ctx, "h1"); err != nil {
			t.Errorf("deleting h2 took h1 with it: %v", err)
		}

		// A new session clears the account's expired ones.
		mustCreateSession(t, db, wang.ID, "h3", t0.Add(2*time.Hour))
		if _, _, err := db.SessionByTokenHash(ctx, "h1"); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("an expired session survived a new login: %v", err)
		}
		if err := db.CreateSession(ctx, store.Session{TokenHash: "h3", UserID: wang.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0}); gridscore.ErrorCode(err) != gridscore.ECONFLICT {
			t.Errorf("a second session with the same hash: %v, want ECONFLICT", err)
		}
	})
}

func sameSession(a, b store.Session) bool {
	return a.TokenHash == b.TokenHash && a.UserID == b.UserID && a.CreatedAt.Equal(b.CreatedAt) &&
		a.LastSeenAt.Equal(b.LastSeenAt) && a.ExpiresAt.Equal(b.ExpiresAt)
}

func TestSessionsOnlyForEnabledAccounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		mustCreateSession(t, db, wang.ID, "h1", t0)
		if err := db.SetUserDisabled(ctx, "wang", true); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.SessionByTokenHash(ctx, "h1"); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("disabling an account left its session: %v", err)
		}
		for _, id := range []int64{wang.ID, 999} {
			s := store.Session{TokenHash: fmt.Sprint("h", id), UserID: id, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(time.Hour)}
			if err := db.CreateSession(ctx, s); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
				t.Errorf("session for account %d (disabled or missing): %v, want ENOTFOUND", id, err)
			}
		}
		if err := db.SetUserDisabled(ctx, "wang", false); err != nil {
			t.Fatal(err)
		}
		mustCreateSession(t, db, wang.ID, "h2", t0)
	})
}

func TestDeleteSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang, li := newUser("wang", "W1"), newUser("li", "W2")
		mustCreateUser(t, db, wang)
		mustCreateUser(t, db, li)
		// (Later sessions first: a new session clears its account's
		// expired ones.)
		mustCreateSession(t, db, wang.ID, "w2", t0.Add(time.Hour))
		mustCreateSession(t, db, wang.ID, "w1", t0)
		mustCreateSession(t, db, li.ID, "l2", t0.Add(time.Hour))
		mustCreateSession(t, db, li.ID, "l1", t0)

		if n, err := db.DeleteExpiredSessions(ctx, t0.Add(45*time.Minute)); err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want the 2 sessions of 9:00", n, err)
		}
		if n, err := db.DeleteUserSessions(ctx, wang.ID); err != nil || n != 1 {
			t.Errorf("DeleteUserSessions(wang) = %d, %v; want 1", n, err)
		}
		if _, u, err := db.SessionByTokenHash(ctx, "l2"); err != nil || u.Username != "li" {
			t.Errorf("li's live session: %v, %v", u, err)
		}
	})
}

func TestAuditLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		add := func(min int, who, action, object, detail string) {
			t.Helper()
			if err := db.AppendAudit(ctx, t0.Add(time.Duration(min)*time.Minute), who, action, object, detail); err != nil {
				t.Fatal(err)
			}
		}
		add(0, "admin", "login", "user:admin", "")
		add(1, "admin", "user_created", "user:wang", "角色：网格员")
		add(2, "wang", "login_failed", "user:wang", "密码错误")
		add(3, "wang", "login", "user:wang", "")
		err := db.AppendAuditEntries(ctx,
			gridscore.AuditEntry{At: t0.Add(4 * time.Minute), Username: "admin", Action: "password_changed", Object: "user:li"},
			gridscore.AuditEntry{At: t0.Add(4 * time.Minute), Username: "admin", Action: "login", Object: "user:admin"})
		if err != nil {
			t.Fatal(err)
		}

		actions := func(f gridscore.AuditFilter) string {
			var s []string
			for _, e := range mustAudit(t, db, f) {
				s = append(s, fmt.Sprintf("%d:%s", e.At.Sub(t0)/time.Minute, e.Action))
			}
			return fmt.Sprint(s)
		}
		for _, tc := range []struct {
			name string
			f    gridscore.AuditFilter
			want string
		}{
			{"everything, newest first", gridscore.AuditFilter{}, "[4:login 4:password_changed 3:login 2:login_failed 1:user_created 0:login]"},
			{"by who", gridscore.AuditFilter{Username: "wang"}, "[3:login 2:login_failed]"},
			{"by action", gridscore.AuditFilter{Action: "login"}, "[4:login 3:login 0:login]"},
			{"by object", gridscore.AuditFilter{Object: "user:wang"}, "[3:login 2:login_failed 1:user_created]"},
			{"by time", gridscore.AuditFilter{From: t0.Add(time.Minute), To: t0.Add(3 * time.Minute)}, "[2:login_failed 1:user_created]"},
			{"a page of two", gridscore.AuditFilter{Limit: 2}, "[4:login 4:password_changed]"},
			{"the page after", gridscore.AuditFilter{Limit: 2, BeforeID: 5}, "[3:login 2:login_failed]"},
			{"all filters at once", gridscore.AuditFilter{Username: "admin", Action: "login", From: t0.Add(time.Minute)}, "[4:login]"},
		} {
			if got := actions(tc.f); got != tc.want {
				t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
			}
		}
		e := mustAudit(t, db, gridscore.AuditFilter{Object: "user:wang", Action: "user_created"})
		if len(e) != 1 || e[0].Username != "admin" || e[0].Detail != "角色：网格员" || e[0].ID != 2 || !e[0].At.Equal(t0.Add(time.Minute)) {
			t.Errorf("one entry read back as %+v", e)
		}
	})
}

func TestAuditFromTwoServersKeepsEveryEntry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.Target(t)
		dbs := []*store.DB{MustOpenTarget(t, target, store.WithMigrate()), MustOpenTarget(t, target)}
		const n = 40
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				errs[i] = dbs[i%2].AppendAudit(context.Background(), t0, fmt.Sprint("u", i), "login", "", "")
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		entries := mustAudit(t, dbs[1], gridscore.AuditFilter{Limit: 1000})
		who := map[string]bool{}
		for _, e := range entries {
			who[e.Username] = true
		}
		if len(entries) != n || len(who) != n {
			t.Errorf("%d appends from two servers kept %d entries of %d people", n, len(entries), len(who))
		}
	})
}
