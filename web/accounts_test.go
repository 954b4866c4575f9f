package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store/storetest"
)

// forEachStore runs test on a fresh demo fixture of each engine.
func forEachStore(t *testing.T, test func(t *testing.T, f *fixture)) {
	t.Helper()
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			test(t, newFixtureAt(t, b.Target(t)))
		})
	}
}

// accountsMatrix is who may reach the routes of accounts.go, history.go
// and export.go, and the district's read-only appeals: the accounts are
// the town administrator's alone; a worker's history follows the worker's
// page; the downloads are the centers' and the district's, never a grid
// worker's; the filing package waits for the quarter to be finalized (the
// demo quarter is open: 409).
var accountsMatrix = []route{
	{method: "GET", path: "/accounts", want: [5]int{303, 403, 200, 403, 403}},
	{method: "POST", path: "/accounts", want: [5]int{401, 403, 400, 403, 403}},
	{method: "POST", path: "/accounts/staff/unlock", want: [5]int{401, 403, 303, 403, 403}, to: [5]string{"", "", "/accounts?done=unlock&user=staff"}},
	{method: "POST", path: "/accounts/QS013/reset", want: [5]int{401, 403, 200, 403, 403}},
	{method: "POST", path: "/accounts/admin/reset", want: [5]int{401, 403, 400, 403, 403}},
	{method: "POST", path: "/accounts/nosuch/reset", want: [5]int{401, 403, 404, 403, 403}},
	{method: "POST", path: "/accounts/staff/explode", want: [5]int{401, 403, 404, 403, 403}},
	{method: "POST", path: "/accounts/admin/disable", want: [5]int{401, 403, 409, 403, 403}},
	{method: "POST", path: "/accounts/admin/role", want: [5]int{401, 403, 400, 403, 403}},
	{method: "POST", path: "/accounts/QS013/enable", want: [5]int{401, 403, 303, 403, 403}},
	{method: "GET", path: "/accounts/staff/reset", want: [5]int{405, 405, 405, 405, 405}},

	{method: "GET", path: "/workers/QS001/history", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/workers/QS013/history", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers/QS013/history?quarter=2023Q2", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/workers/NOBODY/history", want: [5]int{303, 404, 404, 404, 403}},
	{method: "POST", path: "/workers/QS001/history", want: [5]int{405, 405, 405, 405, 405}},

	{method: "GET", path: "/towns/青山镇/export/result.xlsx", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/青山镇/export/pay.xlsx", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/青山镇/export/filing.xlsx", want: [5]int{303, 409, 409, 409, 403}},
	{method: "GET", path: "/towns/青山镇/export/secrets.xlsx", want: [5]int{303, 404, 404, 404, 403}},
	{method: "GET", path: "/towns/白石镇/export/result.xlsx", want: [5]int{303, 404, 403, 403, 403}},
	{method: "GET", path: "/towns/白石镇/export/filing.xlsx", want: [5]int{303, 409, 403, 403, 403}},

	{method: "GET", path: "/appeals?town=青山镇", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/appeals?town=白石镇&quarter=2023Q2", want: [5]int{303, 200, 200, 200, 403}},
}

// TestAccountsAuthorizationMatrix requests every route of this feature as
// nobody and as each role.
func TestAccountsAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, accountsMatrix)
}

// auditHas checks that the log holds an entry of action on object by
// actor, and returns its detail.
func (f *fixture) auditHas(action, object, actor string) string {
	f.t.Helper()
	es, err := f.db.Audit(context.Background(), gs.AuditFilter{Action: action, Object: object})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range es {
		if e.Username == actor {
			return e.Detail
		}
	}
	f.t.Errorf("no audit entry %s on %s by %s (found %+v)", action, object, actor, es)
	return ""
}

// oneTimePassword reads the password the accounts page shows once.
func oneTimePassword(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`<code class="password">([^<]+)</code>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no one-time password on the page:\n%s", body)
	}
	return m[1]
}

// loginWith signs in with a password and returns the response.
func (f *fixture) loginWith(username, pw string) (*http.Response, string) {
	f.t.Helper()
	return f.post("/login", url.Values{"username": {username}, "password": {pw}}, "")
}

// TestAccountsCreateAndReset: the administrator creates a worker's account
// and a staff account, each with a one-time password shown once that must
// be changed at the first login; a form with a mistake comes back with the
// message beside the field and what was typed; a reset gives a new
// one-time password and the old one stops working. Every action is in the
// audit log.
func TestAccountsCreateAndReset(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		admin := f.login("admin")

		res, body := f.get("/accounts", admin)
		wantStatus(t, "accounts", res, body, 200, "青山镇 账号管理", "QS013", "赵磊", "镇中心工作人员", "从未登录", "新建账号")
		if strings.Contains(body, "区中心</td>") {
			t.Error("the town's accounts list the district's account")
		}
		if !regexp.MustCompile(`(?s)<td data-label="用户名">admin <span class="tag small">本人</span></td>.*?<td data-label="最近登录">2023-10-08 09:00</td>`).MatchString(body) {
			t.Error("the administrator's row does not show their last login")
		}

		bad := []struct {
			what   string
			form   url.Values
			status int
			parts  []string
		}{
			{"no username", url.Values{"username": {""}, "display_name": {"李四"}, "role": {"town_staff"}}, 400,
				[]string{"请填写用户名。", `value="李四"`}},
			{"username taken", url.Values{"username": {"staff"}, "role": {"town_staff"}}, 409,
				[]string{"用户名“staff”已被使用。", `value="staff"`}},
			{"space in username", url.Values{"username": {"li si"}, "role": {"town_staff"}}, 400,
				[]string{"用户名不能包含空格"}},
			{"dots", url.Values{"username": {".."}, "role": {"town_staff"}}, 400,
				[]string{"用户名不能只由“.”组成。"}},
			{"worker without id", url.Values{"username": {"qs002"}, "role": {"worker"}}, 400,
				[]string{"请填写工号"}},
			{"unknown worker", url.Values{"username": {"qs999"}, "role": {"worker"}, "worker_id": {"QS999"}}, 400,
				[]string{"本镇街没有工号为“QS999”的网格员。", `value="QS999"`}},
			{"worker with an account", url.Values{"username": {"wang"}, "role": {"worker"}, "worker_id": {"QS001"}}, 409,
				[]string{"工号 QS001 已有账号“QS001”。"}},
			{"district role", url.Values{"username": {"qu"}, "role": {"district"}}, 400,
				[]string{"请选择角色"}},
			{"a name that clears the terminal", url.Values{"username": {"lisi"}, "display_name": {"李四\x1b[2J"}, "role": {"town_staff"}}, 400,
				[]string{"姓名不能含有控制字符（U&#43;001B）。"}},
			{"a name of 65 characters", url.Values{"username": {"lisi"}, "display_name": {strings.Repeat("名", 65)}, "role": {"town_staff"}}, 400,
				[]string{"姓名不能超过 64 个字（现有 65 个字）。"}},
			{"a zero-width space in the username", url.Values{"username": {"li\u200bsi"}, "role": {"town_staff"}}, 400,
				[]string{"用户名不能含有不可见字符或特殊空格（U&#43;200B）。"}},
		}
		for _, c := range bad {
			res, body := f.post("/accounts", c.form, admin)
			wantStatus(t, c.what, res, body, c.status, append(c.parts, `class="field-error"`)...)
		}

		res, body = f.post("/accounts", url.Values{"username": {"qs002"}, "role": {"worker"}, "worker_id": {"QS002"}}, admin)
		wantStatus(t, "create a worker's account", res, body, 200, "已创建账号“qs002”", "此密码只显示这一次")
		pw := oneTimePassword(t, body)
		if len(pw) < app.MinPasswordLength {
			t.Errorf("one-time password %q too short", pw)
		}
		f.auditHas(gs.AuditUserCreated, "user:qs002", "admin")
		res, body = f.get("/accounts", admin)
		wantStatus(t, "accounts after create", res, body, 200, "qs002", workerName(t, "QS002"), "待修改初始密码")
		if strings.Contains(body, pw) {
			t.Error("the one-time password is shown again")
		}

		res, _ = f.loginWith("qs002", pw)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/password" {
			t.Fatalf("first login: status %d to %q, want 303 to /password", res.StatusCode, res.Header.Get("Location"))
		}
		token := sessionCookie(res).Value
		if res, _ := f.get("/workers/QS002", token); res.Header.Get("Location") != "/password" {
			t.Errorf("a one-time password reaches the pages (to %q)", res.Header.Get("Location"))
		}
		if res, _ := f.get("/workers/QS002/history", token); res.Header.Get("Location") != "/password" {
			t.Errorf("a one-time password reaches the history (to %q)", res.Header.Get("Location"))
		}

		res, body = f.post("/accounts", url.Values{"username": {"lisi"}, "display_name": {"李四"}, "role": {"town_staff"}}, admin)
		wantStatus(t, "create a staff account", res, body, 200, "已创建账号“lisi”")
		staffPW := oneTimePassword(t, body)

		res, body = f.post("/accounts/lisi/reset", nil, admin)
		wantStatus(t, "reset", res, body, 200, "已重置账号“lisi”的密码")
		newPW := oneTimePassword(t, body)
		if newPW == staffPW {
			t.Error("the reset gave the same password")
		}
		if res, _ := f.loginWith("lisi", staffPW); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old password still works (status %d)", res.StatusCode)
		}
		if res, _ := f.loginWith("lisi", newPW); res.Header.Get("Location") != "/password" {
			t.Errorf("after a reset the account need not change its password (to %q)", res.Header.Get("Location"))
		}
		f.auditHas(gs.AuditPasswordReset, "user:lisi", "admin")

		// The staff cannot manage accounts, even by posting.
		res, body = f.post("/accounts/lisi/reset", nil, f.login("staff"))
		wantStatus(t, "staff resets", res, body, 403, "只有镇街中心的管理员可以管理账号")
	})
}

// TestAccountsLockDisableRole: a locked account is shown locked and the
// administrator unlocks it; a disabled account is logged out and cannot
// log in until enabled; the town never loses its last administrator, by
// demotion or by disabling, and may gain another. Every action is in the
// audit log.
func TestAccountsLockDisableRole(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		admin, staff := f.login("admin"), f.login("staff")
		f.guessFromMany("staff")
		if res, body := f.loginWith("staff", password); res.StatusCode != http.StatusForbidden || !strings.Contains(body, "锁定") {
			t.Fatalf("staff not locked: status %d", res.StatusCode)
		}
		res, body := f.get("/accounts", admin)
		wantStatus(t, "locked shown", res, body, 200, "已锁定", ">解除锁定</button>")
		res, body = f.post("/accounts/staff/unlock", nil, admin)
		wantStatus(t, "unlock", res, body, 303)
		res, body = f.get(res.Header.Get("Location"), admin)
		wantStatus(t, "after unlock", res, body, 200, "已解除账号“staff”的锁定。")
		if strings.Contains(body, "已锁定") {
			t.Error("still shown locked")
		}
		f.auditHas(gs.AuditUserUnlocked, "user:staff", "admin")
		staff = f.login("staff")

		res, body = f.post("/accounts/staff/disable", nil, admin)
		wantStatus(t, "disable", res, body, 303)
		if res, _ := f.get("/", staff); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Errorf("a disabled account's session goes on (status %d)", res.StatusCode)
		}
		if res, _ := f.loginWith("staff", password); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled account logs in (status %d)", res.StatusCode)
		}
		res, body = f.get("/accounts", admin)
		wantStatus(t, "disabled shown", res, body, 200, "已停用", ">启用</button>")
		f.post("/accounts/staff/enable", nil, admin)
		f.login("staff")
		f.auditHas(gs.AuditUserDisabled, "user:staff", "admin")
		f.auditHas(gs.AuditUserEnabled, "user:staff", "admin")

		// The last administrator can neither step down nor disable themself.
		res, body = f.post("/accounts/admin/role", url.Values{"role": {"town_staff"}}, admin)
		wantStatus(t, "demote the last admin", res, body, 409, "至少要保留一个启用的管理员账号", `class="field-error"`)
		res, body = f.post("/accounts/admin/disable", nil, admin)
		wantStatus(t, "disable the last admin", res, body, 409, "至少要保留一个启用的管理员账号")
		res, body = f.post("/accounts/QS013/role", url.Values{"role": {"town_admin"}}, admin)
		wantStatus(t, "a worker made admin", res, body, 400, "网格员账号不能改为镇中心账号")

		// With a second administrator, the first may step down.
		res, body = f.post("/accounts/staff/role", url.Values{"role": {"town_admin"}}, admin)
		wantStatus(t, "promote", res, body, 303)
		if d := f.auditHas(gs.AuditUserRoleChange, "user:staff", "admin"); d != "角色：镇中心工作人员 → 镇中心管理员" {
			t.Errorf("role change detail %q", d)
		}
		res, body = f.post("/accounts/admin/role", url.Values{"role": {"town_staff"}}, admin)
		wantStatus(t, "the first admin steps down", res, body, 303)
		if res, _ := f.get("/accounts", admin); res.StatusCode != http.StatusForbidden {
			t.Errorf("a demoted admin still manages accounts (status %d)", res.StatusCode)
		}
		// Now "staff" is the only administrator: it cannot disable itself.
		promoted := f.login("staff")
		res, body = f.post("/accounts/staff/disable", nil, promoted)
		wantStatus(t, "the new last admin disables themself", res, body, 409, "至少要保留一个启用的管理员账号")
		users, err := f.db.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		admins := 0
		for _, u := range users {
			if u.Role == "town_admin" && !u.Disabled {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("%d enabled administrators, want 1", admins)
		}
	})
}

// TestWorkerAccountsAtOnce: the administrator creates the accounts of all
// the town's workers who have none at once and gets one printable slip per
// worker (name, 工号, login, a short unambiguous one-time password, the
// login address); each account is audited and must change its password at
// the first login; the passwords are not shown again, and a second try
// creates nothing. The staff cannot.
func TestWorkerAccountsAtOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		if res, body := f.post("/accounts/workers", nil, f.login("staff")); res.StatusCode != http.StatusForbidden {
			t.Errorf("staff creates the workers' accounts: status %d\n%s", res.StatusCode, body)
		}
		admin := f.login("admin")
		res, body := f.get("/accounts", admin)
		m := regexp.MustCompile(`为 (\d+) 名网格员开通账号并打印密码条`).FindStringSubmatch(body)
		if res.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("the accounts page offers no accounts for the workers:\n%s", body)
		}
		res, body = f.post("/accounts/workers", nil, admin)
		wantStatus(t, "create the workers' accounts", res, body, 200, "已为 "+m[1]+" 名网格员开通账号", "密码只显示这一次", "http://example.com/login")
		slips := regexp.MustCompile(`(?s)<li class="slip">.*?<dd class="slip-name">([^<]+)</dd>\s*<dt>工号</dt><dd>([^<]+)</dd>\s*<dt>登录名</dt><dd class="slip-code">([^<]+)</dd>\s*<dt>一次性密码</dt><dd class="slip-code slip-password">([^<]+)</dd>`).FindAllStringSubmatch(body, -1)
		if fmt.Sprint(len(slips)) != m[1] {
			t.Fatalf("%d slips, want %s:\n%s", len(slips), m[1], body)
		}
		for _, s := range slips {
			name, id, login, pw := s[1], s[2], s[3], s[4]
			if name != workerName(t, id) || login != id {
				t.Errorf("slip of %s: name %q, login %q", id, name, login)
			}
			if !regexp.MustCompile(`^[a-km-np-z2-9]{8}$`).MatchString(pw) || strings.ContainsAny(pw, "0oO1lIi") {
				t.Errorf("slip of %s: password %q is not 8 unambiguous lower-case letters and digits", id, pw)
			}
			f.auditHas(gs.AuditUserCreated, "user:"+id, "admin")
		}
		if _, id, _, pw := slips[0][1], slips[0][2], slips[0][3], slips[0][4]; true {
			if res, _ := f.loginWith(id, pw); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/password" {
				t.Errorf("first login with a slip: status %d to %q, want 303 to /password", res.StatusCode, res.Header.Get("Location"))
			}
		}
		res, body = f.get("/accounts", admin)
		if strings.Contains(body, slips[0][4]) || strings.Contains(body, "开通账号并打印密码条") {
			t.Errorf("after the slips the accounts page shows a password or offers the form again:\n%s", body)
		}
		res, body = f.post("/accounts/workers", nil, admin)
		wantStatus(t, "a second try", res, body, 200, "都已有账号")
	})
}
