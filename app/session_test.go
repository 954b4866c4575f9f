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

		// Used every 20 minutes all day, a session still ends 12 hours after
		// its login.
		allDay, err := a.CreateSession(ctx, wang.ID, loginAt)
		if err != nil {
			t.Fatal(err)
		}
		for at := time.Duration(0); at < 12*time.Hour; at += 20 * time.Minute {
			if err := sessionUser(allDay, at); err != nil {
				t.Fatalf("a session used every 20 minutes, at +%v: %v", at, err)
			}
		}
		wantErr(t, "a session 12 hours after its login", sessionUser(allDay, 12*time.Hour), gs.EUNAUTHORIZED, "登录已过期，请重新登录")

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
