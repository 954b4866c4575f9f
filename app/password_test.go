package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

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
		wantErr(t, "the old password", errOf(a.Authenticate(ctx, "wang", "old password", owner, loginAt)), gs.EUNAUTHORIZED, "用户名或密码错误")
		u, err := a.Authenticate(ctx, "wang", "new password", owner, loginAt)
		if err != nil || !u.MustChangePassword {
			t.Fatalf("the new one-time password: %+v, %v; want must change", u, err)
		}
		wantErr(t, "a session from before the change", errOf(a.SessionUser(ctx, token, loginAt)), gs.EUNAUTHORIZED, "登录已过期，请重新登录")
		if err := a.SetPassword(app.WithActor(ctx, "wang"), "wang", "my own password", false); err != nil {
			t.Fatal(err)
		}
		if u, err := a.Authenticate(ctx, "wang", "my own password", owner, loginAt); err != nil || u.MustChangePassword {
			t.Errorf("after changing it: %+v, %v; want logged in, no change required", u, err)
		}
		got := fmt.Sprint(auditActions(t, a.DB))
		if !strings.Contains(got, "admin password_changed wang login_failed wang login wang password_changed") {
			t.Errorf("audit = %s", got)
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
