package web_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserMapsAnExport: in real Chromium, town staff upload a grid
// platform's export (GB18030, a title above its foreign headers, its own
// values) from the import
// page, follow the report's 设置对应关系, choose on the mapping page what
// the guess left out (事件ID fills 事件编号, 紧急程度 事件等级 with the
// meaning of 普通 and 紧急), save, and import: the report says the file
// was read with the mapping, the events are stored. On a 360-pixel phone
// the mapping page does not scroll sideways.
func TestBrowserMapsAnExport(t *testing.T) {
	f := newFixture(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "网格E通事件导出20231008.csv")
	if err := os.WriteFile(file, []byte(platformFile(t, "网格E通事件导出（2023年10月8日 09:00）\n"+platformHeader+platformRows)), 0o644); err != nil {
		t.Fatal(err)
	}
	before := f.counts()
	ctx, base := f.desktop(t, "staff")
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/import"),
		chromedp.WaitVisible(chromedp.CSS("#files")),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), []string{file}),
		chromedp.Click(chromedp.CSS(`#upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#import-unmapped")),
		chromedp.Click(chromedp.CSS("#unmapped a.button")),
		chromedp.WaitVisible(chromedp.CSS("#columns")),
	); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`select[name="key.0"]`), "event_id"),
		chromedp.SetValue(chromedp.CSS(`select[name="key.6"]`), "severity"),
		chromedp.Click(chromedp.CSS("#update")),
		chromedp.WaitVisible(chromedp.CSS("#values-6")),
		chromedp.SetValue(chromedp.CSS(`select[aria-label="“普通”的含义"]`), "general"),
		chromedp.SetValue(chromedp.CSS(`select[aria-label="“紧急”的含义"]`), "major"),
		chromedp.Click(chromedp.CSS("#save")),
		chromedp.WaitVisible(chromedp.CSS("#mapping-saved")),
	); err != nil {
		t.Fatal(err)
	}
	report, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(report, "校验通过") || !strings.Contains(report, "按映射“网格E通事件导出”读取") {
		t.Fatalf("the report after the mapping was saved:\n%s", report)
	}
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#commit")),
		chromedp.WaitVisible(chromedp.CSS("#import-done")),
	); err != nil {
		t.Fatal(err)
	}
	if got := f.counts()["events"]; got != before["events"]+3 {
		t.Errorf("events %d → %d, want the export's 3 more", before["events"], got)
	}

	// The mapping page of another export on a phone: nothing scrolls
	// sideways.
	path, _ := f.uploadReport(f.login("staff"), [2]string{"巡查导出.csv", platformFile(t,
		"巡查ID,网格员工号,网格员姓名,开始时间,结束时间,巡查里程（米）,巡查轨迹说明\n"+
			"XC-1,QS001,王建华,2023/08/03 08:00:00,2023/08/03 11:30:00,5200,沿青山路一线巡查\n")})
	phone, pbase := f.phone(t, "staff")
	if err := chromedp.Do(phone, chromedp.Navigate(pbase+path+"/mapping?file="+url.QueryEscape("巡查导出.csv")),
		chromedp.WaitVisible(chromedp.CSS("#columns"))); err != nil {
		t.Fatal(err)
	}
	noSideways(t, phone, "the mapping page")
}
