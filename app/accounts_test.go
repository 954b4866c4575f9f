package app_test

import (
	"context"
	"sync"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// TestTwoAdminsDisableEachOther: two administrators of a town who disable
// each other at the same moment leave the town one enabled administrator:
// one change goes through, the other is refused and writes nothing.
func TestTwoAdminsDisableEachOther(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		one := &gs.User{Username: "one", Role: gs.RoleTownAdmin, Town: "青山镇"}
		two := &gs.User{Username: "two", Role: gs.RoleTownAdmin, Town: "青山镇"}
		mustCreate(t, a, one, "password-1")
		mustCreate(t, a, two, "password-2")
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]*gs.User{{one, two}, {two, one}} {
			wg.Go(func() {
				ctx := app.WithActor(context.Background(), pair[0].Username)
				errs[i] = a.SetAccountDisabled(ctx, pair[0], pair[1].Username, true)
			})
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("errors %v and %v: want exactly one refused", errs[0], errs[1])
		}
		for _, err := range errs {
			if err != nil && gs.ErrorCode(err) != gs.ECONFLICT {
				t.Errorf("refused with %v, want a conflict", err)
			}
		}
		users, err := a.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		enabled := 0
		for _, u := range users {
			if !u.Disabled {
				enabled++
			}
		}
		if enabled != 1 {
			t.Errorf("%d enabled administrators, want 1", enabled)
		}
		disabled := 0
		for _, act := range auditActions(t, a.DB) {
			if act == "one "+gs.AuditUserDisabled || act == "two "+gs.AuditUserDisabled {
				disabled++
			}
		}
		if disabled != 1 {
			t.Errorf("%d audit entries of disabling, want 1 (the refused change wrote none)", disabled)
		}
	})
}

// TestAccountsStayInTheTown: an administrator manages only their town's
// accounts and links only their town's workers; the staff and the district
// manage none.
func TestAccountsStayInTheTown(t *testing.T) {
	forEachAuth(t, func(t *testing.T, a *app.Auth, _ string) {
		ctx := context.Background()
		if _, err := a.DB.(*store.DB).Import(ctx, demo.Town(1), nil); err != nil {
			t.Fatal(err)
		}
		admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: demo.TownName}
		other := &gs.User{Username: "other", Role: gs.RoleTownAdmin, Town: "白石镇"}
		staff := &gs.User{Username: "staff", Role: gs.RoleTownStaff, Town: demo.TownName}
		district := &gs.User{Username: "district", Role: gs.RoleDistrict}
		for _, u := range []*gs.User{admin, other, staff, district} {
			mustCreate(t, a, u, "password-1")
		}

		_, err := a.CreateAccount(ctx, other, gs.User{Username: "qs005", Role: gs.RoleWorker, WorkerID: "QS005"})
		wantErr(t, "another town's worker", err, gs.EINVALID, "本镇街没有工号为“QS005”的网格员。")
		_, err = a.ResetPassword(ctx, other, "staff")
		wantErr(t, "another town's account", err, gs.ENOTFOUND, "用户“staff”不存在")
		wantErr(t, "another town's account", a.Unlock(ctx, other, "admin"), gs.ENOTFOUND, "用户“admin”不存在")
		for _, u := range []*gs.User{staff, district, nil} {
			_, err := a.CreateAccount(ctx, u, gs.User{Username: "x", Role: gs.RoleTownStaff})
			wantErr(t, "a non-administrator creates", err, gs.EFORBIDDEN, "只有本镇街中心的管理员可以进行此操作。")
		}

		pw, err := a.CreateAccount(app.WithActor(ctx, "admin"), admin, gs.User{Username: "qs005", Role: gs.RoleWorker, WorkerID: "QS005"})
		if err != nil {
			t.Fatal(err)
		}
		u, err := a.Authenticate(ctx, "qs005", pw, owner, loginAt)
		if err != nil {
			t.Fatalf("log in with the one-time password: %v", err)
		}
		if !u.MustChangePassword || u.Town != demo.TownName || u.DisplayName == "" {
			t.Errorf("new worker account %+v: want a one-time password, the town and the worker's name", u)
		}
		accounts, err := a.TownAccounts(ctx, admin, loginAt)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, acc := range accounts {
			names = append(names, acc.Username)
			if acc.Username == "qs005" && (acc.LastLogin.IsZero() || acc.WorkerName == "") {
				t.Errorf("qs005 listed without its login or worker: %+v", acc)
			}
		}
		if len(names) != 3 || names[0] != "admin" || names[1] != "qs005" || names[2] != "staff" {
			t.Errorf("town accounts %v, want admin, qs005, staff", names)
		}
	})
}
