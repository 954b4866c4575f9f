package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRecords follows a finding through real Chromium: the demo's
// staff member enters one with an unknown worker and sees the message
// beside the field with what was typed kept, corrects it and attaches a
// photo; the list shows it with its evidence, which opens as a picture;
// grid worker QS001 on a phone finds it among their own records, opens the
// photo, and is refused QS013's records.
func TestBrowserRecords(t *testing.T) {
	desk, deskConsole := browser(t, 1280, 900, false)
	phone, phoneConsole := browser(t, 360, 740, true)
	s := startServe(t, nil, "--demo", "--db", filepath.Join(t.TempDir(), "gridscore.db"))
	photo := filepath.Join(t.TempDir(), "现场照片.png")
	if err := os.WriteFile(photo, pngPixel, 0o644); err != nil {
		t.Fatal(err)
	}

	browserLogin(t, desk, s.base, "staff")
	err := chromedp.Do(desk,
		chromedp.Navigate(s.base+"/records"),
		chromedp.WaitVisible(chromedp.CSS("#records")),
		chromedp.Click(chromedp.CSS(`a[href="/records/findings/new"]`)),
		chromedp.WaitVisible(chromedp.CSS("#record-form")),
		chromedp.SendKeys(chromedp.CSS("#f-worker_id"), "QS099"),
		chromedp.SetValue(chromedp.CSS("#f-kind"), "phone"),
		chromedp.SetValue(chromedp.CSS("#f-occurred_on"), "2023-09-20"),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "下午网格手机关机两小时"),
		chromedp.Click(chromedp.CSS(`#record-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".field-error")),
	)
	if err != nil {
		t.Fatalf("a finding with an unknown worker: %v", err)
	}
	msg, _ := chromedp.Run(desk, chromedp.Text(chromedp.CSS(".field-error")))
	note, _ := chromedp.Run(desk, chromedp.Value(chromedp.CSS("#f-note")))
	if !strings.Contains(msg, "QS099") || note != "下午网格手机关机两小时" {
		t.Errorf("shown again with %q beside the field and note %q", msg, note)
	}
	screenshot(t, desk, "records-form-error.png")
	err = chromedp.Do(desk,
		chromedp.Clear(chromedp.CSS("#f-worker_id")),
		chromedp.SendKeys(chromedp.CSS("#f-worker_id"), "QS001"),
		chromedp.SetUploadFiles(chromedp.CSS("#f-evidence_file"), []string{photo}),
		chromedp.Click(chromedp.CSS(`#record-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".ok")),
		chromedp.Click(chromedp.CSS(".crumb a")),
		chromedp.WaitVisible(chromedp.CSS("#records .evidence-link")),
	)
	if err != nil {
		t.Fatalf("the corrected finding with a photo: %v", err)
	}
	list, _ := chromedp.Run(desk, chromedp.Text(chromedp.CSS("#records")))
	if !strings.Contains(list, "网格手机") || !strings.Contains(list, "现场照片.png") {
		t.Errorf("the list does not show the finding with its photo:\n%s", list)
	}
	screenshot(t, desk, "records-list.png")

	browserLogin(t, phone, s.base, "QS001")
	err = chromedp.Do(phone,
		chromedp.Navigate(s.base+"/records/findings"),
		chromedp.WaitVisible(chromedp.CSS("#records")),
	)
	if err != nil {
		t.Fatalf("QS001's findings: %v", err)
	}
	own, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(own, "下午网格手机关机两小时") || strings.Contains(own, "QS013") || strings.Contains(own, "录入核查记录") {
		t.Errorf("QS001's findings:\n%s", own)
	}
	overflow, err := chromedp.Run(phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || overflow {
		t.Errorf("the records page is wider than the phone (%v)", err)
	}
	screenshot(t, phone, "records-phone.png")
	err = chromedp.Do(phone,
		chromedp.Click(chromedp.CSS("#records .evidence-link")),
		chromedp.WaitVisible(chromedp.CSS("img")),
	)
	width, _ := chromedp.Run(phone, chromedp.Evaluate[float64](`document.querySelector("img").naturalWidth`))
	if err != nil || width != 1 {
		t.Errorf("the photo does not open as a picture: width %v, %v", width, err)
	}
	err = chromedp.Do(phone, chromedp.Navigate(s.base+"/records/findings?worker=QS013"), chromedp.WaitVisible(chromedp.CSS(".problem")))
	refused, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS("main")))
	if err != nil || !strings.Contains(refused, "只能查看本人") {
		t.Errorf("QS013's findings for QS001: %v\n%s", err, refused)
	}
	checkConsole(t, expected(deskConsole(), 400))
	checkConsole(t, expected(phoneConsole(), 403))
}

// expected leaves out of msgs the report of the page answered with status,
// which the test asked for (a form shown again, a refusal).
func expected(msgs []chromedp.ConsoleMessage, status int) []chromedp.ConsoleMessage {
	var out []chromedp.ConsoleMessage
	for _, m := range msgs {
		if !strings.Contains(m.Text, "status of "+strconv.Itoa(status)) {
			out = append(out, m)
		}
	}
	return out
}

// pngPixel is a PNG picture of one pixel.
var pngPixel = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
