package web_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestWorkerHistory: a worker's quarters side by side. Before anything is
// computed the current quarter is shown live; once two quarters are
// computed both are shown from their snapshots with the category scores,
// total, rank and pay of each, and the trend chart joins their totals. A
// grid worker sees only their own history.
func TestWorkerHistory(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		qs001, admin := f.login("QS001"), f.login("admin")
		res, body := f.get("/workers/QS001", qs001)
		wantStatus(t, "worker page", res, body, 200, `href="/workers/QS001/history"`, "历次考核与趋势")

		res, body = f.get("/workers/QS001/history", qs001)
		wantStatus(t, "live history", res, body, 200, "2023年第3季度", "实时计算", "总分趋势", "<svg")
		if strings.Contains(body, "2023年第2季度") {
			t.Error("a quarter never computed is listed")
		}

		ctx := app.WithActor(context.Background(), "admin")
		svc, adminU := f.server.Service, f.user("admin")
		q2, q4 := gs.Quarter{Year: 2023, Q: 2}, gs.Quarter{Year: 2023, Q: 4}
		for _, step := range []func() error{
			func() error {
				return svc.Compute(ctx, adminU, demo.TownName, q2, time.Date(2023, 7, 10, 9, 0, 0, 0, gs.CST))
			},
			func() error { return svc.Publish(ctx, adminU, demo.TownName, q2) },
			func() error { return svc.Compute(ctx, adminU, demo.TownName, demo.Quarter(), demo.AsOf()) },
			func() error { return svc.Publish(ctx, adminU, demo.TownName, demo.Quarter()) },
			// Computed a week into the quarter, never published: no one's history.
			func() error { return svc.Compute(ctx, adminU, demo.TownName, q4, demo.AsOf()) },
		} {
			if err := step(); err != nil {
				t.Fatal(err)
			}
		}
		q2rows, err := f.db.Snapshot(context.Background(), demo.TownName, "2023Q2")
		if err != nil {
			t.Fatal(err)
		}
		var before gs.WorkerResult
		for _, r := range q2rows {
			if r.Result.WorkerID == "QS001" {
				before = r.Result
			}
		}
		now := f.snapshot()["QS001"]
		if before.WorkerID == "" || now.Total == nil {
			t.Fatalf("QS001 missing from a snapshot: %+v %+v", before, now)
		}

		// A quarter never published (2023Q4, computed only) is left out for
		// everyone.
		for _, token := range []string{qs001, admin, f.login("district")} {
			res, body = f.get("/workers/QS001/history", token)
			wantStatus(t, "history of two quarters", res, body, 200, "2023年第2季度", "2023年第3季度", "公示中",
				"<td>总分（100）</td>", now.Pay.String(), before.Pay.String(), now.Total.String())
			if strings.Contains(body, "2023年第4季度") || strings.Contains(body, "审核中") {
				t.Error("the history shows a quarter never published")
			}
			if strings.Contains(body, "实时计算") {
				t.Error("a computed quarter is shown live")
			}
			if strings.Index(body, "2023年第2季度") > strings.Index(body, "2023年第3季度") {
				t.Error("the quarters are not oldest first")
			}
			cells := regexp.MustCompile(`(?s)<td>事件办理（30）</td>(.*?)</tr>`).FindStringSubmatch(body)
			if cells == nil || !strings.Contains(cells[1], now.Categories.Events.String()) {
				t.Errorf("the events row does not show %s: %v", now.Categories.Events, cells)
			}
		}
		m := regexp.MustCompile(`<polyline class="trend-line" points="(\d+),(\d+) (\d+),(\d+)"`).FindStringSubmatch(body)
		if before.Total != nil {
			if m == nil {
				t.Fatalf("no line joining the two totals:\n%s", body)
			}
			n := make([]int, 4)
			for i := range n {
				n[i], _ = strconv.Atoi(m[i+1])
			}
			if n[0] >= n[2] {
				t.Errorf("the line does not run left to right: %v", m[0])
			}
			// SVG's y grows downwards: a higher total is drawn higher.
			if rise := *now.Total - *before.Total; (rise > 0) != (n[3] < n[1]) || (rise == 0) != (n[3] == n[1]) {
				t.Errorf("the line from %s to %s is drawn %v", before.Total, now.Total, m[0])
			}
		}

		// Another worker's history: 403 with nothing of it.
		other := workerName(t, "QS013")
		for _, path := range []string{"/workers/QS013/history", "/workers/QS013/history?quarter=2023Q2", "/workers/NOBODY/history"} {
			res, body = f.get(path, qs001)
			wantStatus(t, path, res, body, http.StatusForbidden, "只能查看本人")
			if strings.Contains(body, other) {
				t.Errorf("%s: the 403 names QS013", path)
			}
		}
	})
}
