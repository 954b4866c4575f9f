package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// TestStepsAskForConfirmation: 公示, 定稿, 报备, 重新打开, 撤销计算 and
// 撤销扣分 are taken only from a page of their own that says what will
// happen and to whom; a step posted straight from the dashboard or the
// worker's page shows that page and changes nothing. The dashboard's 定稿
// is no form beside the reopen reason.
func TestStepsAskForConfirmation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, staff := f.login("admin"), f.login("staff")
	town := "/towns/" + url.PathEscape(demo.TownName)
	yes := url.Values{"confirm": {"yes"}}
	state := func(want gs.State) {
		t.Helper()
		res, body := f.get(town, admin)
		wantStatus(t, "dashboard", res, body, 200, `<span class="state state-`+string(want)+`">`)
	}
	res, body := f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute", res, body, 303)

	// Voiding a deduction: the page names the worker and the deduction.
	d := f.snapshotOf("QS013").Deductions[0]
	ded := url.Values{"rule": {string(d.Rule)}, "period": {d.Period}, "evidence": {strings.Join(d.Evidence, ",")}, "reason": {"系统故障"}}
	res, body = f.post("/workers/QS013/void", ded, staff)
	wantStatus(t, "void unconfirmed", res, body, 200, "<h1>确认撤销扣分</h1>", "QS013", gs.NameOr(gs.RuleName, d.Rule),
		"排名和绩效随之重新计算", `name="confirm" value="yes"`, `name="rule" value="`+string(d.Rule)+`"`, ">系统故障</textarea>")
	if !hasDeduction(f.snapshotOf("QS013"), d) {
		t.Fatal("the deduction was voided without confirmation")
	}
	res, body = f.post("/workers/QS013/void", withValue(withValue(ded, "confirm", "yes"), "reason", ""), staff)
	wantStatus(t, "void confirmed without a reason", res, body, 400, "<h1>确认撤销扣分</h1>", "请填写撤销扣分的原因")
	res, body = f.post("/workers/QS013/void", withValue(ded, "confirm", "yes"), staff)
	wantStatus(t, "void confirmed", res, body, 303)
	if hasDeduction(f.snapshotOf("QS013"), d) {
		t.Error("the confirmed void did not void")
	}

	for _, c := range []struct {
		step, heading, says string
		from, to            gs.State
		form                url.Values
	}{
		{"publish", "确认公示", "每位网格员登录后都能看到本人", gs.StateComputed, gs.StatePublished, yes},
		{"finalize", "确认定稿", "此后录入或导入的记录不再改变结果", gs.StatePublished, gs.StateFinalized, yes},
		{"file", "确认报备", "区中心看到本镇街本季度“已报备”", gs.StateFinalized, gs.StateFiled, yes},
		{"reopen", "确认重新打开", "定稿和报备作废", gs.StateFiled, gs.StateComputed, url.Values{"confirm": {"yes"}, "reason": {"区中心要求更正"}}},
	} {
		if c.step == "finalize" {
			f.closeAppeals()
		}
		res, body = f.get(town+"/quarter/"+c.step, admin)
		wantStatus(t, c.step+" page", res, body, 200, "<h1>"+c.heading+"</h1>", c.says, `name="confirm" value="yes"`, ">"+c.heading+"</button>")
		res, body = f.post(town+"/quarter/"+c.step, nil, admin)
		wantStatus(t, c.step+" posted unconfirmed", res, body, 200, "<h1>"+c.heading+"</h1>")
		state(c.from)
		res, body = f.get(town, admin)
		if !regexp.MustCompile(`<a class="button[^"]*" href="[^"]*/quarter/` + c.step + `[^"]*">`).MatchString(body) {
			t.Errorf("the dashboard does not lead to the %s page", c.step)
		}
		if strings.Contains(body, `name="reason"`) {
			t.Errorf("%s: the dashboard holds a reason field beside the steps", c.from)
		}
		res, body = f.post(town+"/quarter/"+c.step, c.form, admin)
		wantStatus(t, c.step+" confirmed", res, body, 303)
		state(c.to)
	}

	// A step the state does not allow is refused on asking, not confirmed.
	res, body = f.get(town+"/quarter/file", admin)
	wantStatus(t, "file a computed quarter", res, body, 409, "不能报备")
}

func hasDeduction(w gs.WorkerResult, d gs.Deduction) bool {
	for _, x := range w.Deductions {
		if x.Rule == d.Rule && x.Period == d.Period {
			return true
		}
	}
	return false
}
