package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// runUser runs `gridscore user args...` in-process on the store at target
// (a SQLite file or a PostgreSQL URL), calling the command directly, and
// returns its stdout, stderr and error.
func runUser(t *testing.T, target string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := map[string]string{"GRIDSCORE_DB": target}
	if strings.HasPrefix(target, "postgres") {
		env = map[string]string{"GRIDSCORE_DSN": target}
	}
	m := &Main{Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] },
		Now: func() time.Time { return time.Date(2023, 10, 8, 9, 0, 0, 0, time.UTC) }}
	err := (&UserCommand{m: m}).Run(context.Background(), args)
	return out.String(), errOut.String(), err
}

// mustRunUser runs `gridscore user args...` and fails the test on an error.
func mustRunUser(t *testing.T, target string, args ...string) string {
	t.Helper()
	out, errOut, err := runUser(t, target, args...)
	if err != nil {
		t.Fatalf("gridscore user %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// login checks a password the way the web application will.
func login(t *testing.T, target, username, password string) (*gs.User, error) {
	t.Helper()
	db, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	return (&app.Auth{DB: db}).Authenticate(context.Background(), username, password, "192.0.2.1", time.Now())
}

// printedPassword finds the password a command printed once.
var printedPassword = regexp.MustCompile(`密码：(\S+)\n`)

func TestUserAddListPasswd(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			target := b.Target(t)
			out := mustRunUser(t, target, "add", "--username", "wang", "--role", "worker", "--town", "青山镇",
				"--worker-id", "W1", "--name", "王建国", "--password", "网格员的登录密码", "--must-change=false")
			if !strings.Contains(out, "已创建账号 wang（网格员，青山镇，工号 W1）") || strings.Contains(out, "网格员的登录密码") {
				t.Errorf("add with a password printed:\n%s", out)
			}
			if u, err := login(t, target, "wang", "网格员的登录密码"); err != nil || u.WorkerID != "W1" || u.MustChangePassword {
				t.Errorf("wang logging in: %+v, %v", u, err)
			}

			// Without --password a random one is printed once, to be changed.
			out = mustRunUser(t, target, "add", "--username", "admin", "--role", "镇中心管理员", "--town", "青山镇")
			m := printedPassword.FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, "只显示这一次") {
				t.Fatalf("add without a password printed no password:\n%s", out)
			}
			if u, err := login(t, target, "admin", m[1]); err != nil || u.Role != gs.RoleTownAdmin || !u.MustChangePassword {
				t.Errorf("admin logging in with the printed password: %+v, %v", u, err)
			}
			mustRunUser(t, target, "add", "--username", "district", "--role", "district", "--name", "区网格中心")

			_, _, err := runUser(t, target, "add", "--username", "wang", "--role", "worker", "--town", "青山镇", "--worker-id", "W2")
			if gs.ErrorCode(err) != gs.ECONFLICT || gs.ErrorMessage(err) != "用户名“wang”已被使用" {
				t.Errorf("adding wang again: %v", err)
			}

			out = mustRunUser(t, target, "list")
			lines := strings.Split(strings.TrimSpace(out), "\n")
			want := []string{
				"用户名    姓名        角色          镇街    工号  状态",
				"admin     -           镇中心管理员  青山镇  -     须修改密码",
				"district  区网格中心  区中心        -       -     须修改密码",
				"wang      王建国      网格员        青山镇  W1    正常",
				"",
				"共 3 个账号。",
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Errorf("list:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
			}

			// passwd with a new password: the old one stops working.
			out = mustRunUser(t, target, "passwd", "--username", "wang", "--password", "another password")
			if !strings.Contains(out, "已重设 wang 的密码") || strings.Contains(out, "another password") {
				t.Errorf("passwd printed:\n%s", out)
			}
			if _, err := login(t, target, "wang", "网格员的登录密码"); gs.ErrorCode(err) != gs.EUNAUTHORIZED {
				t.Errorf("the old password after passwd: %v", err)
			}
			if u, err := login(t, target, "wang", "another password"); err != nil || !u.MustChangePassword {
				t.Errorf("the password set by passwd: %+v, %v; want it to work once, to be changed", u, err)
			}
			out = mustRunUser(t, target, "passwd", "--username", "admin")
			if m := printedPassword.FindStringSubmatch(out); m == nil {
				t.Errorf("passwd without a password printed none:\n%s", out)
			} else if _, err := login(t, target, "admin", m[1]); err != nil {
				t.Errorf("admin with the password printed by passwd: %v", err)
			}
			_, _, err = runUser(t, target, "passwd", "--username", "nobody", "--password", "long enough")
			if gs.ErrorCode(err) != gs.ENOTFOUND || gs.ErrorMessage(err) != "用户“nobody”不存在" {
				t.Errorf("passwd of an unknown user: %v", err)
			}

			// The audit log says the command line did it.
			db, err := store.Open(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			entries, err := db.Audit(context.Background(), gs.AuditFilter{Username: app.ActorCommandLine})
			if err != nil || len(entries) != 5 {
				t.Errorf("audit by the command line: %d entries (%v), want 3 accounts and 2 passwords", len(entries), err)
			}
		})
	}
}

func TestUserBadCommandLines(t *testing.T) {
	target := filepath.Join(t.TempDir(), "gs.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "请指定要做的事：add、passwd 或 list"},
		{[]string{"remove"}, `未知的操作 "remove"，应为 add、passwd 或 list`},
		{[]string{"add", "--role", "worker"}, "请用 --username 给出用户名"},
		{[]string{"add", "--username", "wang", "--role", "boss"}, `未知的角色 "boss"，应为 district、town_admin、town_staff 或 worker`},
		{[]string{"add", "--username", "wang", "--role", "worker", "--town", "青山镇"}, "网格员账号必须关联工号"},
		{[]string{"add", "--username", "li", "--role", "town_staff"}, "镇中心账号和网格员账号必须指定所属镇街"},
		{[]string{"add", "--username", "qu", "--role", "district", "--town", "青山镇"}, "区中心账号不属于某个镇街，请去掉 --town"},
		{[]string{"add", "--username", "li", "--role", "town_staff", "--town", "青山镇", "--worker-id", "W1"}, "只有网格员账号可以关联工号，请去掉 --worker-id"},
		{[]string{"add", "--username", "wang", "--role", "district", "--password", "1234567"}, "密码至少需要 8 个字符"},
		{[]string{"passwd"}, "请用 --username 给出用户名"},
		{[]string{"passwd", "--username", "wang", "--password", "short"}, "密码至少需要 8 个字符"},
		{[]string{"list", "wang"}, `多余的参数 "wang"（选项要写成 --名称 值）`},
	} {
		out, _, err := runUser(t, target, tc.args...)
		var ue usageError
		if !errors.As(err, &ue) || ue.msg != tc.want {
			t.Errorf("user %s: %v (%T), want the usage error %q", strings.Join(tc.args, " "), err, err, tc.want)
		}
		if out != "" {
			t.Errorf("user %s wrote to stdout:\n%s", strings.Join(tc.args, " "), out)
		}
	}
	// A flag that does not exist is the flag package's error, with usage.
	if _, errOut, err := runUser(t, target, "add", "--bogus"); err == nil || !strings.Contains(errOut, "用法：gridscore user add") {
		t.Errorf("an unknown flag: %v\n%s", err, errOut)
	}
	if out, _, err := runUser(t, target, "help"); !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "gridscore user passwd") {
		t.Errorf("user help: %v\n%s", err, out)
	}
	// None of these created an account.
	if out := mustRunUser(t, target, "list"); !strings.Contains(out, "还没有账号") {
		t.Errorf("list after refused commands:\n%s", out)
	}
}

// TestUserThroughMain checks that main.go dispatches `gridscore user` and
// the exit codes it gives.
func TestUserThroughMain(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "user", "list"); code != 0 {
		t.Errorf("user list: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run(t, db, "user", "add", "--username", "wang", "--role", "boss"); code != 2 || !strings.Contains(errOut, "gridscore user：未知的角色") {
		t.Errorf("a bad role: exit %d\n%s", code, errOut)
	}
	if code, _, errOut := run(t, db, "user", "passwd", "--username", "nobody"); code != 1 || !strings.Contains(errOut, "用户“nobody”不存在") {
		t.Errorf("an unknown user: exit %d\n%s", code, errOut)
	}
}
