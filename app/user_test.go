package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store/storetest"
)

func TestCreateUserChecks(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := app.WithActor(context.Background(), "admin")
		wantErr(t, "a 7-character password", a.CreateUser(ctx, worker("wang", "W1"), "1234567"),
			gs.EINVALID, "密码至少需要 8 个字符")
		wantErr(t, "a worker without a worker id", a.CreateUser(ctx, worker("wang", ""), "long enough"),
			gs.EINVALID, "网格员账号必须关联工号")
		// Eight Chinese characters are eight characters.
		if err := a.CreateUser(ctx, worker("wang", "W1"), "网格员考核密码八"); err != nil {
			t.Fatal(err)
		}
		wantErr(t, "the same username again", a.CreateUser(ctx, worker("wang", "W9"), "long enough"),
			gs.ECONFLICT, "用户名“wang”已被使用")

		users, err := a.Users(ctx)
		if err != nil || len(users) != 1 || users[0].Username != "wang" || users[0].CreatedAt.IsZero() || users[0].ID == 0 {
			t.Errorf("Users = %+v, %v", users, err)
		}
		if got := auditActions(t, a.DB); fmt.Sprint(got) != "[admin user_created]" {
			t.Errorf("audit = %v, want the one account created by admin", got)
		}
	})
}

func TestEnsureAdmin(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		_, _, err := a.EnsureAdmin(ctx, "", loginAt)
		wantErr(t, "an administrator without a town", err, gs.EINVALID, "镇中心账号和网格员账号必须指定所属镇街")

		password, created, err := a.EnsureAdmin(ctx, "青山镇", loginAt)
		if err != nil || !created || len(password) < 16 {
			t.Fatalf("EnsureAdmin on an empty store = %q, %v, %v; want a new admin with a long password", password, created, err)
		}
		u, err := a.Authenticate(ctx, "admin", password, owner, loginAt)
		if err != nil {
			t.Fatalf("logging in with the printed password: %v", err)
		}
		if u.Role != gs.RoleTownAdmin || u.Town != "青山镇" || !u.MustChangePassword {
			t.Errorf("first account = %+v; want the town administrator of 青山镇 who must change the password", u)
		}
		again, created, err := a.EnsureAdmin(ctx, "青山镇", loginAt.Add(time.Hour))
		if err != nil || created || again != "" {
			t.Errorf("EnsureAdmin a second time = %q, %v, %v; want nothing done", again, created, err)
		}
		if _, err := a.Authenticate(ctx, "admin", password, owner, loginAt.Add(time.Hour)); err != nil {
			t.Errorf("the first password stopped working after a restart: %v", err)
		}
		if got := fmt.Sprint(auditActions(t, a.DB)); got != "[系统 user_created admin login admin login]" {
			t.Errorf("audit = %s", got)
		}

		// On a store that already has some account, no admin is made.
		b := &app.Auth{DB: mustOpen(t, storetest.SQLiteTarget(t))}
		mustCreate(t, b, worker("wang", "W1"), "right password")
		if _, created, err := b.EnsureAdmin(ctx, "青山镇", loginAt); err != nil || created {
			t.Errorf("EnsureAdmin with an account there: created %v, %v", created, err)
		}
	})
}
