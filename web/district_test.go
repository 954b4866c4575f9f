package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/gen"
)

// stat is the headline card of the number n labelled label.
func stat(n, label string) string {
	return `<span class="stat-num">` + n + `</span><span class="stat-label">` + label + `</span>`
}

// addGeneratedTown imports one generated town of about 160 workers beside
// the demo town and returns its name and its workers in post.
func (f *fixture) addGeneratedTown(t *testing.T) (string, int) {
	t.Helper()
	var town string
	var n int
	q := demo.Quarter()
	err := gen.Generate(gen.Options{Workers: 160, Quarter: q, Seed: 3}, func(recs *gs.Records) error {
		town = recs.Grids[0].Town
		for _, w := range recs.Workers {
			if w.HiredOn <= q.Last() && (w.LeftOn.IsZero() || q.First() <= w.LeftOn) {
				n++
			}
		}
		_, err := f.db.Import(context.Background(), recs, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return town, n
}

// TestDistrictOverviewCoversEveryTown: the overview's cards and charts count
// the workers of every town, not only of the towns computed: before any
// town is computed the 网格员 card counts them all at once, and once the
// live results are ready (computed in the background) every number and the
// chart cover them too, marked 暂定. A computed town's row shows its state
// and when it changed.
func TestDistrictOverviewCoversEveryTown(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	other, n := f.addGeneratedTown(t)
	token := f.login("district")

	_, body := f.get("/", token)
	total := strconv.Itoa(21 + n)
	for _, want := range []string{stat(total, "网格员"), "未计算", "计算中", "正在后台计算"} {
		if !strings.Contains(body, want) {
			t.Errorf("first overview lacks %q", want)
		}
	}

	f.server.Wait()
	_, body = f.get("/", token)
	if strings.Contains(body, "计算中") {
		t.Error("overview after the background computation still shows 计算中")
	}
	for _, want := range []string{stat(total, "网格员"), "实时 · 暂定", "为暂定数字", "全区总分分布（含暂定）", "<svg"} {
		if !strings.Contains(body, want) {
			t.Errorf("overview with live results lacks %q", want)
		}
	}
	eligible := regexp.MustCompile(`<span class="stat-num">(\d+)</span><span class="stat-label">参加考核</span>`).FindStringSubmatch(body)
	if eligible == nil || eligible[1] == "20" || eligible[1] == "0" {
		t.Errorf("参加考核 card %v counts only one town (demo town alone: 20)", eligible)
	}

	link := "/towns/" + url.PathEscape(demo.TownName)
	res, body := f.post(link+"/quarter/compute", url.Values{"as_of": {"2023-10-08T09:00"}}, f.login("staff"))
	if res.StatusCode != 303 {
		t.Fatalf("compute: status %d\n%s", res.StatusCode, body)
	}
	f.server.Wait()
	_, body = f.get("/", token)
	row := rowOf(body, `<a href="`+link+`">青山镇</a>`)
	for _, want := range []string{"已计算（审核中）", clock.In(gs.CST).Format("2006-01-02 15:04"), `data-label="网格员">21</td>`, `data-label="参加考核">20</td>`, "已计算 · 暂定"} {
		if !strings.Contains(row, want) {
			t.Errorf("computed town's row lacks %q:\n%s", want, row)
		}
	}
	if row := rowOf(body, ">"+other+"</a>"); !strings.Contains(row, "未计算") || !strings.Contains(row, "实时 · 暂定") {
		t.Errorf("the other town's row is not 未计算 with live numbers:\n%s", row)
	}
	if !strings.Contains(body, stat(total, "网格员")) {
		t.Errorf("after one town is computed the 网格员 card is not %s", total)
	}
}

// TestDistrictFilingProgress: the overview tells which towns have filed and
// which are late against the deadline of the scheme's
// quarter.filing_workdays (15 workdays after the quarter, the demo
// calendar's National Day holiday left out).
func TestDistrictFilingProgress(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	token := f.login("district")
	deadline, err := f.server.Service.FilingDeadline(context.Background(), demo.Quarter())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, asOf string
		want, not  []string
	}{
		{"before the deadline", "2023-10-08T09:00", []string{"已报备 0 / 1 个镇街", "报备期限 " + deadline.String(), "考核方案规定的报备期限：季度结束后第 15 个工作日", "未报备"}, []string{"逾期未报备", "filing_workdays"}},
		{"after the deadline", deadline.AddDays(1).String() + "T09:00", []string{"已报备 0 / 1 个镇街", "1 个镇街逾期未报备", `<strong class="warn">逾期未报备</strong>`}, nil},
		{"inside the quarter", "2023-09-10T09:00", []string{"本季度尚未结束，还不需要报备"}, []string{"逾期未报备"}},
	}
	for _, tt := range tests {
		_, body := f.get("/?as_of="+tt.asOf, token)
		section := body[strings.Index(body, `id="filing"`):]
		for _, want := range tt.want {
			if !strings.Contains(section, want) {
				t.Errorf("%s: filing progress lacks %q", tt.name, want)
			}
		}
		for _, not := range tt.not {
			if strings.Contains(section, not) {
				t.Errorf("%s: filing progress shows %q", tt.name, not)
			}
		}
	}
	if deadline.String() != "2023-10-25" {
		t.Errorf("deadline %s, want 2023-10-25 (15 workdays after 2023-09-30: 10-01…10-06 a holiday, 10-07 and 10-08 workdays)", deadline)
	}
}

// rowOf returns the table row of body that contains cell.
func rowOf(body, cell string) string {
	i := strings.Index(body, cell)
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	return body[start : i+end]
}
