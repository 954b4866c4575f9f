package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestRecordsKeepIDsAndDatesWhole: on a 1366-pixel screen the findings
// list keeps each record number, date and its 查看/修改 link on one line
// (they broke as HC2023- / 013, 2023-09- / 19 and 查看/修 / 改).
func TestRecordsKeepIDsAndDatesWhole(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.desktop(t, "admin")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/records/findings"), chromedp.WaitVisible(chromedp.CSS("#records"))); err != nil {
		t.Fatal(err)
	}
	type cells struct {
		Checked int      `json:"checked"`
		Broken  []string `json:"broken"`
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[cells](`(() => {
		const cs = [...document.querySelectorAll("#records tbody td:first-child, #records tbody td.nowrap, #records tbody td.action a")];
		const broken = cs.filter(c => {
			const r = document.createRange(); r.selectNodeContents(c);
			const lines = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
			return lines.size > 1;
		}).map(c => c.textContent);
		return {checked: cs.length, broken};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	// each finding: its number, 工号, 发现日期 and its link
	if got.Checked < 4 {
		t.Fatalf("%d cells checked: the list shows no findings, or no cell is marked to keep on one line", got.Checked)
	}
	if len(got.Broken) > 0 {
		t.Errorf("broken over lines at 1366 px: %q", got.Broken)
	}
}

// TestPhoneFindingsLabelEachField: on a 360-pixel phone each field of a
// finding's card is named by its own column: 佐证 (the text) and 佐证文件
// (the files) were both labelled 佐证.
func TestPhoneFindingsLabelEachField(t *testing.T) {
	f := newFixture(t)
	ctx, base := f.phone(t, "admin")
	fitsOnPhone(t, ctx, base+"/records/findings", "#records", "tbody td", 0, "佐证文件", "发现日期")
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelector("#records tbody tr").querySelectorAll("td[data-label]")].map(c => c.dataset.label)`))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, l := range labels {
		if seen[l] {
			t.Errorf("two fields of a finding's card are labelled %q: %q", l, labels)
		}
		seen[l] = true
	}
	if !seen["佐证文件"] {
		t.Errorf("no field of a finding's card is labelled 佐证文件: %q", labels)
	}
}
