package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// TestWarningsAfterMidQuarterSnapshot: once the center has computed and
// stored the quarter as of a moment inside it (2023-08-15 10:00), the
// pages viewed later (2023-08-20 10:00) list the warnings as of the page's
// moment, computed live, not those stored with the snapshot: the board,
// its counts, the dashboard's summary, the district's overview and the
// board's workbook all give the same warnings, and so does each worker's
// page; the board, the dashboard and the worker's page say so beside the
// snapshot's moment. After the quarter's end
// the board lists none.
func TestWarningsAfterMidQuarterSnapshot(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	stored := time.Date(2023, 8, 15, 10, 0, 0, 0, gs.CST)
	if err := f.server.Service.Compute(ctx, f.user("staff"), demo.TownName, demo.Quarter(), stored); err != nil {
		t.Fatal(err)
	}
	const later = "2023-08-20T10:00"
	asOf := time.Date(2023, 8, 20, 10, 0, 0, 0, gs.CST)
	live, err := f.server.Service.AssessTown(ctx, demo.TownName, demo.Quarter(), asOf)
	if err != nil {
		t.Fatal(err)
	}
	total, workers := 0, 0
	var points gs.Points
	for _, w := range live.Workers {
		if w.Warnings == nil || len(*w.Warnings) == 0 {
			continue
		}
		workers++
		for _, wn := range *w.Warnings {
			total++
			points += wn.Points
			if !wn.Due.After(asOf) {
				t.Fatalf("the engine gives a warning already due: %+v", wn)
			}
		}
	}
	if total == 0 {
		t.Fatal("the demo town has no warnings as of " + later + ": the test checks nothing")
	}

	staff := f.login("staff")
	res, body := f.get(boardPath(url.Values{"as_of": {later}}), staff)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("board: status %d\n%s", res.StatusCode, body)
	}
	if n := boardTotal(t, body); n != total {
		t.Errorf("the board lists %d warnings, the live standing as of %s has %d", n, later, total)
	}
	for _, r := range boardRows(body) {
		if r.due < "08-20" {
			t.Errorf("the board lists a warning due before the page's day: %+v", r)
		}
	}
	for _, want := range []string{"截至 2023-08-20 10:00", "2023-08-15 10:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the board does not say %q", want)
		}
	}
	if !strings.Contains(body, `id="warnings-live"`) {
		t.Error("the board does not say its warnings are live, not the stored snapshot's")
	}

	_, body = f.get("/towns/"+url.PathEscape(demo.TownName)+"?as_of="+later, staff)
	if want := "打开预警看板（" + strconv.Itoa(total) + " 条）"; !strings.Contains(body, want) {
		t.Errorf("the dashboard lacks %q", want)
	}
	if !strings.Contains(body, "截至 2023-08-15 10:00") || !strings.Contains(body, `id="warnings-live"`) {
		t.Error("the dashboard does not tell the stored snapshot's moment from the warnings' one")
	}
	m := regexp.MustCompile(`<span class="stat-num">(\d+)</span><span class="stat-label">有预警的网格员`).FindStringSubmatch(body)
	if m == nil || m[1] != strconv.Itoa(workers) {
		t.Errorf("the dashboard counts %v workers with warnings, want %d", m, workers)
	}

	// A worker's page lists the worker's live warnings, not the snapshot's.
	for _, w := range live.Workers {
		if w.Warnings == nil || len(*w.Warnings) == 0 {
			continue
		}
		_, body = f.get("/workers/"+url.PathEscape(w.WorkerID)+"?as_of="+later, staff)
		if n := strings.Count(body, `<li class="warning warning-`); n != len(*w.Warnings) {
			t.Errorf("%s's page lists %d warnings, the live standing as of %s has %d", w.WorkerID, n, later, len(*w.Warnings))
		}
		if !strings.Contains(body, `id="warnings-live"`) || !strings.Contains(body, "截至 2023-08-15 10:00") {
			t.Errorf("%s's page does not tell the stored snapshot's moment from the warnings' one", w.WorkerID)
		}
		break
	}

	x := f.download("warnings.xlsx?as_of="+later, staff)
	n := 0
	for _, r := range rows(t, x, "预警清单")[2:] {
		if len(r) > 1 && r[1] != "" && !strings.HasSuffix(r[0], "小计") && r[0] != "合计" {
			n++
		}
	}
	if n != total {
		t.Errorf("the workbook lists %d warnings, the board %d", n, total)
	}

	// After the quarter's end there are no warnings, and the board says
	// the stored result does not count the whole quarter yet.
	_, body = f.get(boardPath(url.Values{}), staff)
	if len(boardRows(body)) > 0 || !strings.Contains(body, "保存的结果只计算到 2023-08-15 10:00") {
		t.Errorf("the board after the quarter, beside a mid-quarter snapshot:\n%s", body)
	}

	district := f.login("district")
	// A moment no page has computed yet: the town's warnings are being
	// computed, and the overview says to look again.
	if _, body = f.get("/?as_of=2023-08-21T10:00", district); !strings.Contains(body, "个已计算的镇街的预警正在后台按当前时刻计算") {
		t.Errorf("the district's overview does not say the town's warnings are being computed:\n%s", body)
	}
	f.get("/?as_of="+later, district)
	f.server.Wait()
	_, body = f.get("/?as_of="+later, district)
	m = regexp.MustCompile(`<td class="num inl strong" data-label="有预警">(\d+) 人</td><td class="num inl" data-label="风险分值">([\d.]+)</td>`).FindStringSubmatch(body)
	if m == nil || m[1] != strconv.Itoa(workers) || m[2] != points.String() {
		t.Errorf("the district's overview tells %v at risk, want %d workers and %s points", m, workers, points)
	}
}
