package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// snapshotOf returns worker id's stored result of the demo quarter.
func (f *fixture) snapshotOf(id string) gs.WorkerResult {
	f.t.Helper()
	rows, err := f.db.Snapshot(context.Background(), demo.TownName, demo.Quarter().String())
	if err != nil {
		f.t.Fatal(err)
	}
	for _, r := range rows {
		if r.Result.WorkerID == id {
			return r.Result
		}
	}
	f.t.Fatalf("%s not in the snapshot", id)
	return gs.WorkerResult{}
}

// wantStatus checks a response's status and that the body holds each part.
func wantStatus(t *testing.T, what string, res *http.Response, body string, status int, parts ...string) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, body)
	}
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s: the page lacks %q", what, p)
		}
	}
}

// TestQuarterLifeThroughPages runs the quarter's life through the forms:
// compute, publish, an appeal, its decision, finalize, and a record
// imported afterwards that leaves the pages as they were.
func TestQuarterLifeThroughPages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, staff, qs013, qs001 := f.login("admin"), f.login("staff"), f.login("QS013"), f.login("QS001")
	town := "/towns/" + url.PathEscape(demo.TownName) + "/quarter/"
	yes := url.Values{"confirm": {"yes"}} // posted from the step's confirmation page

	res, body := f.post(town+"compute", url.Values{"as_of": {"不是时间"}}, staff)
	wantStatus(t, "compute with a bad moment", res, body, 400, "请填写计算时点", `value="不是时间"`)
	res, body = f.get("/workers/QS013", qs013)
	wantStatus(t, "worker page before publication", res, body, 200, "本季度结果公示后 5 个工作日内，可在本页对应扣分项下提出申诉")
	res, body = f.post(town+"compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute", res, body, 303)
	res, body = f.get("/", admin)
	wantStatus(t, "dashboard computed", res, body, 200, "已计算（审核中）", ">公示</a>", "显示 2023-10-08 09:00 计算并保存的结果")
	if strings.Contains(body, "（已计算（审核中））") {
		t.Error("the state is written in brackets within brackets")
	}

	res, body = f.post(town+"publish", yes, qs013)
	wantStatus(t, "worker publishes", res, body, 403)
	res, body = f.post(town+"publish", yes, staff)
	wantStatus(t, "publish", res, body, 303)

	before := f.snapshotOf("QS013")
	d := before.Deductions[0]
	form := url.Values{"rule": {string(d.Rule)}, "period": {d.Period}, "evidence": {strings.Join(d.Evidence, ",")}}
	res, body = f.get("/workers/QS013", qs013)
	wantStatus(t, "worker page published", res, body, 200, "公示中", "申诉截止 2023-10-13", ">申诉</button>", "可在申诉截止（2023-10-13）前")

	res, body = f.post("/workers/QS013/appeals", withValue(form, "reason", "替同事申诉"), qs001)
	wantStatus(t, "appeal for another worker", res, body, 403)
	long := strings.Repeat("长", 501)
	res, body = f.post("/workers/QS013/appeals", withValue(form, "reason", long), qs013)
	wantStatus(t, "appeal with a reason too long", res, body, 400, "申诉理由不能超过 500 个字", long)
	res, body = f.post("/workers/QS013/appeals", withValue(form, "reason", "系统\x1b[2J故障"), qs013)
	wantStatus(t, "appeal with a terminal escape", res, body, 400, "申诉理由不能含有控制字符（U&#43;001B）")
	res, body = f.post("/workers/QS013/appeals", withValue(form, "reason", "当天系统故障"), qs013)
	wantStatus(t, "appeal", res, body, 303)
	res, body = f.get("/workers/QS013", qs013)
	wantStatus(t, "appeal shown", res, body, 200, "待处理", "当天系统故障")

	res, body = f.post(town+"finalize", yes, staff)
	wantStatus(t, "staff finalizes", res, body, 403)
	res, body = f.post(town+"finalize", yes, admin)
	wantStatus(t, "finalize with a pending appeal", res, body, 409, "还不能定稿", "QS013", "2023-10-14 起才能定稿")

	as, err := f.db.Appeals(context.Background(), gs.AppealFilter{Status: gs.AppealPending})
	if err != nil || len(as) != 1 {
		t.Fatalf("appeals = %v, %v", as, err)
	}
	decide := "/appeals/" + strconv.FormatInt(as[0].ID, 10)
	res, body = f.get("/appeals", admin)
	wantStatus(t, "appeals page", res, body, 200, "当天系统故障", "支持申诉")
	res, body = f.post(decide, url.Values{"decision": {"uphold"}}, qs013)
	wantStatus(t, "worker decides", res, body, 403)
	res, body = f.post(decide, url.Values{"decision": {"uphold"}}, admin)
	wantStatus(t, "uphold without a reply", res, body, 400, "请填写答复")
	res, body = f.post(decide, url.Values{"decision": {"uphold"}, "reply": {"经核实属实"}}, admin)
	wantStatus(t, "uphold", res, body, 303)

	after := f.snapshotOf("QS013")
	if *after.Total != *before.Total+d.Points {
		t.Errorf("total %v → %v, want %v more", *before.Total, *after.Total, d.Points)
	}
	res, body = f.get("/workers/QS013", qs013)
	wantStatus(t, "upheld appeal shown", res, body, 200, after.Total.String(), "已支持（扣分撤销）", "已撤销的扣分")
	// The worker reads who voided the deduction by name, not by login.
	if !strings.Contains(body, `<span class="muted small">青山镇管理员 `) || strings.Contains(body, `<span class="muted small">admin `) {
		t.Error("the worker's page names the center's login, not the person, as who handled the appeal")
	}

	res, body = f.post(town+"finalize", yes, admin)
	wantStatus(t, "finalize in the appeal window", res, body, 409, "申诉期到 2023-10-13 结束，2023-10-14 起才能定稿")
	f.closeAppeals()
	res, body = f.post(town+"finalize", yes, admin)
	wantStatus(t, "finalize", res, body, 303)
	late := &gs.Records{Findings: []gs.Finding{{ID: "F-LATE-1", WorkerID: "QS013", Kind: gs.FindingPhone,
		OccurredOn: gs.NewDate(2023, 8, 1), Count: 1}}}
	if _, err := f.db.Import(context.Background(), late, nil); err != nil {
		t.Fatal(err)
	}
	res, body = f.get("/workers/QS013", qs013)
	wantStatus(t, "finalized page after a late record", res, body, 200, "已定稿", "计算并保存的结果 · 状态：已定稿", `<span class="stat-num">`+after.Total.String()+`</span>`)
	if f := f.snapshotOf("QS013"); *f.Total != *after.Total || len(f.Deductions) != len(after.Deductions) {
		t.Errorf("finalized snapshot changed")
	}

	res, body = f.post(town+"reopen", url.Values{"reason": {"  "}, "confirm": {"yes"}}, admin)
	wantStatus(t, "reopen without a reason", res, body, 400, "请填写重新打开的原因")
	res, body = f.post(town+"file", yes, admin)
	wantStatus(t, "file", res, body, 303)
	res, body = f.get("/", admin)
	wantStatus(t, "filed", res, body, 200, "已报备", "重新打开")
}

func withValue(v url.Values, key, value string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	out.Set(key, value)
	return out
}

// TestQuarterNotStarted: a quarter whose first day is after the moment
// shown offers no computing and refuses it beside the moment's field, as
// a moment still to come is; a computed quarter never published goes back
// to open, with a reason.
func TestQuarterNotStarted(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.login("staff")
	town := "/towns/" + url.PathEscape(demo.TownName)

	res, body := f.get(town+"?quarter=2024Q1", staff)
	wantStatus(t, "a quarter not started", res, body, 200, "本季度 2024-01-01 才开始，开始后才能计算")
	if strings.Contains(body, ">计算</button>") {
		t.Error("a quarter not started offers 计算")
	}
	res, body = f.post(town+"/quarter/compute?quarter=2024Q1", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute a quarter not started", res, body, 400, "早于本季度的第一天 2024-01-01", `value="2023-10-08T09:00"`)
	if st, _ := f.db.QuarterState(context.Background(), demo.TownName, "2024Q1"); st.State != gs.StateOpen {
		t.Errorf("2024Q1 is %q after the refusal", st.State)
	}

	// A moment still to come (the clock reads 2023-10-08 09:00) is refused
	// beside the field too.
	res, body = f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-10-09T09:00"}}, staff)
	wantStatus(t, "compute as of tomorrow", res, body, 400, "计算时点 2023-10-09 09:00 晚于现在（2023-10-08 09:00）", `value="2023-10-09T09:00"`)
	if st, _ := f.db.QuarterState(context.Background(), demo.TownName, demo.Quarter().String()); st.State != gs.StateOpen {
		t.Errorf("2023Q3 is %q after the refusal", st.State)
	}

	res, body = f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute", res, body, 303)
	res, body = f.post(town+"/quarter/withdraw", url.Values{"reason": {""}, "confirm": {"yes"}}, staff)
	wantStatus(t, "withdraw without a reason", res, body, 400, "请填写撤销计算的原因")
	res, body = f.post(town+"/quarter/withdraw", url.Values{"reason": {"计算时点选错了"}, "confirm": {"yes"}}, staff)
	wantStatus(t, "withdraw", res, body, 303)
	res, body = f.get(town, staff)
	wantStatus(t, "withdrawn", res, body, 200, "考核流程：<span class=\"state state-open\">未计算</span>", ">计算</button>")
}

// TestPublishInterimRefused: computed as of a moment inside the quarter,
// the dashboard says why it cannot be published and offers no 公示; the
// publish step, asked for anyway, is refused with the same reason.
func TestPublishInterimRefused(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff := f.login("staff")
	town := "/towns/" + url.PathEscape(demo.TownName)
	why := "计算时点 2023-09-20 09:00 在本季度结束（2023-09-30 24:00）之前，算出的只是截至当时的得分，不能公示"

	res, body := f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-09-20T09:00"}}, staff)
	wantStatus(t, "compute as of 09-20", res, body, 303)
	res, body = f.get(town, staff)
	wantStatus(t, "computed as of 09-20", res, body, 200, why, "2023-10-01 00:00 或更晚的时点重新计算",
		"<h2>截至 2023-09-20 09:00</h2>", "这是按季度结束前的计算时点保存的结果")
	if strings.Contains(body, "本季度尚未结束") {
		t.Error("on 2023-10-08 the dashboard says the quarter has not ended")
	}
	// The warnings are as of the page's moment (2023-10-08), never the
	// snapshot's: the quarter is over, so there are none.
	res, body = f.get(town+"/warnings", staff)
	wantStatus(t, "warnings on 10-08", res, body, 200, `id="no-warnings"`, "保存的结果只计算到 2023-09-20 09:00")
	res, body = f.get("/workers", staff)
	wantStatus(t, "workers as of 09-20", res, body, 200, "截至 2023-09-20 09:00")
	if strings.Contains(body, "/quarter/publish") {
		t.Error("a quarter computed as of 09-20 offers 公示")
	}
	for _, ask := range []func() (*http.Response, string){
		func() (*http.Response, string) { return f.get(town+"/quarter/publish", staff) },
		func() (*http.Response, string) {
			return f.post(town+"/quarter/publish", url.Values{"confirm": {"yes"}}, staff)
		},
	} {
		res, body = ask()
		wantStatus(t, "publish as of 09-20", res, body, 409, why)
	}
	if st, _ := f.db.QuarterState(context.Background(), demo.TownName, demo.Quarter().String()); st.State != gs.StateComputed {
		t.Errorf("the quarter is %q after the refusal, want computed", st.State)
	}

	res, body = f.post(town+"/quarter/compute", url.Values{"as_of": {"2023-10-08T09:00"}}, staff)
	wantStatus(t, "compute as of 10-08", res, body, 303)
	res, body = f.get(town, staff)
	wantStatus(t, "computed as of 10-08", res, body, 200, "/quarter/publish")
	if strings.Contains(body, "不能公示") {
		t.Error("a quarter computed after its end still says it cannot be published")
	}
}
