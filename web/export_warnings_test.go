package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore/demo"
)

// warningsMatrix: the list of warnings is the town center's and the
// district's, never a grid worker's, whatever the moment.
var warningsMatrix = []route{
	{method: "GET", path: "/towns/青山镇/export/warnings.xlsx?as_of=2023-08-15T09:00", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/青山镇/export/warnings.xlsx", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/towns/白石镇/export/warnings.xlsx?as_of=2023-08-15T09:00", want: [5]int{303, 404, 403, 403, 403}},
}

func TestWarningsExportAuthorization(t *testing.T) {
	t.Parallel()
	runMatrix(t, warningsMatrix)
}

// TestExportWarnings: the workbook of the town's warnings is computed live
// as of the page's moment, even once the quarter has a stored snapshot: a
// row for each warning the engine finds then, grid by grid. As of the
// server's moment after the quarter, it says there are none.
func TestExportWarnings(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		staff, district, qs001 := f.login("staff"), f.login("district"), f.login("QS001")
		asOf := time.Date(2023, 8, 15, 9, 0, 0, 0, demo.AsOf().Location())
		live, err := f.server.Service.AssessTown(ctx, demo.TownName, demo.Quarter(), asOf)
		if err != nil {
			t.Fatal(err)
		}
		rowsWanted := len(live.WarningRows())
		if rowsWanted == 0 {
			t.Fatal("the demo town has no warnings in mid-August: the test checks nothing")
		}
		// A snapshot computed in October carries no warnings; the list
		// does not come from it.
		if err := f.server.Service.Compute(ctx, f.user("staff"), demo.TownName, demo.Quarter(), demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		for _, token := range []string{staff, district} {
			res, body := f.get(exportPath("warnings.xlsx")+"?as_of=2023-08-15T09:00", token)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d\n%s", res.StatusCode, body)
			}
			if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "2023-08-15") {
				t.Errorf("file name %q lacks the day", cd)
			}
			x := f.download("warnings.xlsx?as_of=2023-08-15T09:00", token)
			rs := rows(t, x, "预警清单")
			if !strings.Contains(rs[0][0], "青山镇 2023Q3 网格员预警清单（截至 2023-08-15 09:00") {
				t.Errorf("title %q", rs[0][0])
			}
			n, grid := 0, ""
			for _, r := range rs[2:] {
				if strings.HasSuffix(r[0], "小计") || r[0] == "合计" {
					continue
				}
				if r[0] < grid {
					t.Errorf("grid %s after %s", r[0], grid)
				}
				grid = r[0]
				n++
			}
			if n != rowsWanted {
				t.Errorf("%d warning rows, the engine finds %d", n, rowsWanted)
			}
		}

		x := f.download("warnings.xlsx", staff)
		if rs := rows(t, x, "预警清单"); len(rs) != 3 || rs[2][0] != "2023年第3季度已结束，没有预警。" {
			t.Errorf("after the quarter: %v", rs)
		}

		res, body := f.get(exportPath("warnings.xlsx"), qs001)
		wantStatus(t, "worker downloads the warnings", res, body, 403, "网格员不能下载")
	})
}
