package web_test

import (
	"strings"
	"testing"
)

// TestImportPageDescribesFormats: the import page tells a town's staff the
// file names and columns of every kind, in Chinese, rather than pointing
// them at a document they cannot open.
func TestImportPageDescribesFormats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, body := f.get("/import", f.login("staff"))
	for _, want := range []string{"事件.csv", "events.csv", "上报时间 *", "网格员.csv", "工号 * ◆", "工作日历.csv"} {
		if !strings.Contains(body, want) {
			t.Errorf("the import page does not show %q", want)
		}
	}
	// Chinese first: the English names follow, in small print.
	for _, want := range []string{
		`事件（文件名 <code>事件.csv</code>，或 <code class="key">events.csv</code>）`,
		`工号 * ◆ <code class="key">worker_id</code>`,
		`如 <code>事件.csv</code>（也可写作 <code class="key">events.csv</code>）`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the import page does not show %s", want)
		}
	}
	if strings.Contains(body, "DATA.md") {
		t.Error("the import page refers people to DATA.md")
	}
}
