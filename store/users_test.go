package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// t0 is the moment the account tests start, in CST.
var t0 = time.Date(2024, 3, 4, 9, 0, 0, 0, gridscore.CST)

// newUser returns a valid grid worker account.
func newUser(username, workerID string) *gridscore.User {
	return &gridscore.User{Username: username, DisplayName: "王建国", Role: gridscore.RoleWorker,
		Town: "青山镇", WorkerID: workerID, CreatedAt: t0}
}

// mustCreateUser stores u with a made-up hash.
func mustCreateUser(tb testing.TB, db *store.DB, u *gridscore.User) {
	tb.Helper()
	if err := db.CreateUser(context.Background(), u, "$argon2id$hash-of-"+u.Username); err != nil {
		tb.Fatalf("create user %s: %v", u.Username, err)
	}
}

func TestCreateAndReadUsers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		admin := &gridscore.User{Username: "admin", Role: gridscore.RoleTownAdmin, Town: "青山镇",
			MustChangePassword: true, CreatedAt: t0.Add(time.Minute)}
		mustCreateUser(t, db, admin)
		district := &gridscore.User{Username: "区中心", Role: gridscore.RoleDistrict, Disabled: true, CreatedAt: t0}
		mustCreateUser(t, db, district)
		if wang.ID == 0 || admin.ID == 0 || wang.ID == admin.ID || district.ID == admin.ID {
			t.Fatalf("ids %d, %d, %d: want distinct and non-zero", wang.ID, admin.ID, district.ID)
		}

		got, err := db.UserByUsername(ctx, "wang")
		if err != nil {
			t.Fatal(err)
		}
		if *got != *wang {
			t.Errorf("UserByUsername = %+v, want %+v", *got, *wang)
		}
		got, err = db.UserByID(ctx, admin.ID)
		if err != nil || *got != *admin {
			t.Errorf("UserByID = %+v, %v; want %+v", got, err, *admin)
		}
		users, err := db.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range users {
			names = append(names, u.Username)
		}
		if strings.Join(names, ",") != "admin,wang,区中心" {
			t.Errorf("Users = %v, want admin, wang, 区中心 in byte order", names)
		}
		if !users[2].Disabled || users[2].Town != "" || users[2].WorkerID != "" || users[2].DisplayName != "" {
			t.Errorf("district account read back as %+v", users[2])
		}

		for _, missing := range []func() (*gridscore.User, error){
			func() (*gridscore.User, error) { return db.UserByUsername(ctx, "li") },
			func() (*gridscore.User, error) { return db.UserByID(ctx, 999) },
		} {
			u, err := missing()
			if u != nil || gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
				t.Errorf("a missing user = %v, %v; want nil and ENOTFOUND", u, err)
			}
		}
	})
}

func TestCreateUserConflicts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustCreateUser(t, db, newUser("wang", "W1"))
		audit := gridscore.AuditEntry{At: t0, Username: "admin", Action: "user_created", Object: "user:x"}
		for _, tc := range []struct {
			name string
			u    *gridscore.User
			want string
		}{
			{"the same username", newUser("wang", "W2"), "用户名“wang”已被使用"},
			{"a second account of worker W1", newUser("wang2", "W1"), "工号 W1 已有账号“wang”"},
		} {
			err := db.CreateUser(ctx, tc.u, "h", audit)
			if gridscore.ErrorCode(err) != gridscore.ECONFLICT || gridscore.ErrorMessage(err) != tc.want {
				t.Errorf("%s: %v (code %s), want ECONFLICT %q", tc.name, err, gridscore.ErrorCode(err), tc.want)
			}
			if tc.u.ID != 0 {
				t.Errorf("%s: refused account got id %d", tc.name, tc.u.ID)
			}
		}
		// The refused accounts left no trace, not even their audit entries.
		if users, err := db.Users(ctx); err != nil || len(users) != 1 {
			t.Errorf("Users = %v, %v; want only wang", users, err)
		}
		if entries := mustAudit(t, db, gridscore.AuditFilter{}); len(entries) != 0 {
			t.Errorf("audit of refused accounts: %+v", entries)
		}
		// Accounts without a worker do not collide over the missing worker.
		for _, name := range []string{"staff1", "staff2"} {
			mustCreateUser(t, db, &gridscore.User{Username: name, Role: gridscore.RoleTownStaff, Town: "青山镇", CreatedAt: t0})
		}
	})
}

func TestCreateFirstUserOnlyOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		target := b.Target(t)
		one := MustOpenTarget(t, target, store.WithMigrate())
		two := MustOpenTarget(t, target)
		// Two servers starting at once on one database.
		var wg sync.WaitGroup
		created := make([]bool, 2)
		errs := make([]error, 2)
		for i, db := range []*store.DB{one, two} {
			wg.Go(func() {
				u := &gridscore.User{Username: fmt.Sprintf("admin%d", i), Role: gridscore.RoleTownAdmin, Town: "青山镇", CreatedAt: t0}
				created[i], errs[i] = db.CreateFirstUser(ctx, u, "h")
			})
		}
		wg.Wait()
		if errs[0] != nil || errs[1] != nil || created[0] == created[1] {
			t.Fatalf("two first accounts at once: created %v, errors %v; want exactly one created", created, errs)
		}
		if users, err := one.Users(ctx); err != nil || len(users) != 1 {
			t.Errorf("Users = %v, %v; want one account", users, err)
		}
		again, err := one.CreateFirstUser(ctx, &gridscore.User{Username: "admin", Role: gridscore.RoleTownAdmin, Town: "青山镇", CreatedAt: t0}, "h")
		if err != nil || again {
			t.Errorf("CreateFirstUser with an account there = %v, %v; want false, nil", again, err)
		}
	})
}

func TestConcurrentCreateUserGetsDistinctIDs(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		target := b.Target(t)
		dbs := []*store.DB{MustOpenTarget(t, target, store.WithMigrate()), MustOpenTarget(t, target)}
		const n = 20
		users := make([]*gridscore.User, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			users[i] = newUser(fmt.Sprintf("w%02d", i), fmt.Sprintf("W%02d", i))
			wg.Go(func() {
				errs[i] = dbs[i%2].CreateUser(context.Background(), users[i], "h",
					gridscore.AuditEntry{At: t0, Username: "admin", Action: "user_created", Object: "user:" + users[i].Username})
			})
		}
		wg.Wait()
		ids := map[int64]bool{}
		for i, u := range users {
			if errs[i] != nil {
				t.Fatalf("create %s: %v", u.Username, errs[i])
			}
			ids[u.ID] = true
		}
		if len(ids) != n {
			t.Errorf("%d accounts got %d distinct ids", n, len(ids))
		}
		if entries := mustAudit(t, dbs[0], gridscore.AuditFilter{Limit: 1000}); len(entries) != n {
			t.Errorf("%d audit entries for %d accounts", len(entries), n)
		}
	})
}

func TestLoginOfDisabledAccount(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang := newUser("wang", "W1")
		mustCreateUser(t, db, wang)
		if err := db.SetUserDisabled(ctx, "wang", true); err != nil {
			t.Fatal(err)
		}
		a, err := db.BeginLogin(ctx, "wang", "10.0.0.1", t0, limits)
		if err != nil || a.User == nil || !a.User.Disabled {
			t.Fatalf("attempt on a disabled account = %+v, %v; want the account, disabled", a, err)
		}
		if err := db.LoginSucceeded(ctx, wang.ID, "wang", "10.0.0.1"); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("LoginSucceeded on a disabled account: %v, want ENOTFOUND", err)
		}
		if err := db.SetUserDisabled(ctx, "nobody", true); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("disabling an unknown account: %v, want ENOTFOUND", err)
		}
	})
}

func TestSetPasswordHash(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		wang, li := newUser("wang", "W1"), newUser("li", "W2")
		mustCreateUser(t, db, wang)
		mustCreateUser(t, db, li)
		for _, client := range []string{"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.1", "10.0.0.2"} { // lock wang
			if _, err := db.BeginLogin(ctx, "wang", client, t0, limits); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range []*gridscore.User{wang, wang, li} {
			mustCreateSession(t, db, u.ID, "s-"+u.Username+fmt.Sprint(time.Now().UnixNano()), t0)
		}
		err := db.SetPasswordHash(ctx, "wang", "new-hash", true,
			gridscore.AuditEntry{At: t0, Username: "admin", Action: "password_changed", Object: "user:wang"})
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.BeginLogin(ctx, "wang", "10.0.0.1", t0.Add(time.Minute), limits)
		if err != nil || a.Refused || a.Waits || a.PasswordHash != "new-hash" || !a.User.MustChangePassword {
			t.Errorf("after a reset: %+v, %v; want the new hash, no lock, no wait, must change", a, err)
		}
		if n, err := db.DeleteUserSessions(ctx, wang.ID); err != nil || n != 0 {
			t.Errorf("wang still had %d sessions after the reset (%v)", n, err)
		}
		if n, err := db.DeleteUserSessions(ctx, li.ID); err != nil || n != 1 {
			t.Errorf("li had %d sessions after wang's reset (%v), want 1", n, err)
		}
		if e := mustAudit(t, db, gridscore.AuditFilter{}); len(e) != 1 || e[0].Action != "password_changed" || e[0].Object != "user:wang" {
			t.Errorf("audit = %+v", e)
		}
		if err := db.SetPasswordHash(ctx, "nobody", "h", false); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("SetPasswordHash of an unknown account: %v, want ENOTFOUND", err)
		}
	})
}
