package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
)

// TestBrowserQuarterLife follows issue 4's check through the quarter's
// life in real Chromium: the administrator imports the quarter's files
// through the import page (the store emptied of records first), commits
// them, computes and publishes on a desktop; grid worker QS013 appeals a
// deduction on a 360×740 phone; the administrator upholds it and QS013's
// score changes; the administrator finalizes; a record imported afterwards
// leaves QS013's page unchanged.
func TestBrowserQuarterLife(t *testing.T) {
	desk, deskConsole := browser(t, 1280, 900, false)
	phone, phoneConsole := browser(t, 360, 740, true)
	dbPath := filepath.Join(t.TempDir(), "gridscore.db")
	s := startServe(t, nil, "--demo", "--db", dbPath)

	browserLogin(t, desk, s.base, "admin")
	browserImport(t, desk, s.base, dbPath)
	err := chromedp.Do(desk,
		chromedp.Click(chromedp.CSS(`#quarter form[action*="/quarter/compute"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#quarter a[href*="/quarter/publish"]`)),
		chromedp.Click(chromedp.CSS(`#quarter a[href*="/quarter/publish"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm button[type="submit"]`)), // the confirmation page
		chromedp.Click(chromedp.CSS(`#confirm button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#quarter .state-published`)),
	)
	if err != nil {
		t.Fatalf("compute and publish: %v", err)
	}
	screenshot(t, desk, "quarter-published.png")

	browserLogin(t, phone, s.base, "QS013")
	before, err := chromedp.Run(phone, chromedp.Text(chromedp.CSS(".stat-num")))
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(phone,
		chromedp.SendKeys(chromedp.CSS(".ded-actions textarea"), "当天在社区协助疫苗接种，有工作记录"),
		chromedp.Click(chromedp.CSS(".ded-actions button")),
		chromedp.WaitVisible(chromedp.CSS(".appeal-status")),
	)
	if err != nil {
		t.Fatalf("appeal: %v", err)
	}
	text, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "待处理") || !strings.Contains(text, "疫苗接种") {
		t.Errorf("the appeal is not shown on QS013's page:\n%s", text)
	}
	overflow, err := chromedp.Run(phone, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
	if err != nil || overflow {
		t.Errorf("the page with the appeal forms is wider than the phone (%v)", err)
	}
	screenshot(t, phone, "quarter-appeal-phone.png")

	err = chromedp.Do(desk,
		chromedp.Navigate(s.base+"/appeals"),
		chromedp.WaitVisible(chromedp.CSS("#pending textarea")),
		chromedp.SendKeys(chromedp.CSS("#pending textarea"), "经核实，当天确有接种任务"),
		chromedp.Click(chromedp.CSS(`#pending button[value="uphold"]`)),
		chromedp.WaitVisible(chromedp.CSS("#decided table")),
	)
	if err != nil {
		t.Fatalf("uphold: %v", err)
	}
	closeAppeals(t, dbPath)
	err = chromedp.Do(desk,
		chromedp.Navigate(s.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`#quarter a[href*="/quarter/finalize"]`)),
		chromedp.Click(chromedp.CSS(`#quarter a[href*="/quarter/finalize"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#confirm button[type="submit"]`)), // the confirmation page
		chromedp.Click(chromedp.CSS(`#confirm button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#quarter .state-finalized`)),
	)
	if err != nil {
		t.Fatalf("uphold and finalize: %v", err)
	}

	err = chromedp.Do(phone, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".stats")))
	if err != nil {
		t.Fatal(err)
	}
	after, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS(".stat-num")))
	if after == before {
		t.Fatalf("QS013's total stayed %s after the upheld appeal", before)
	}
	text, _ = chromedp.Run(phone, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "已定稿") || !strings.Contains(text, "已支持") {
		t.Errorf("QS013's page after finalizing:\n%s", text)
	}

	// A record imported after finalizing: the frozen page stays as it was.
	db, err := store.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.Import(context.Background(), &gs.Records{Findings: []gs.Finding{{ID: "F-LATE-1", WorkerID: "QS013",
		Kind: gs.FindingPhone, OccurredOn: gs.NewDate(2023, 8, 1), Count: 1}}}, nil)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(phone, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(".stats")))
	if err != nil {
		t.Fatal(err)
	}
	frozen, _ := chromedp.Run(phone, chromedp.Text(chromedp.CSS(".stat-num")))
	if frozen != after {
		t.Errorf("a record imported after finalizing changed QS013's total: %s → %s", after, frozen)
	}
	screenshot(t, phone, "quarter-finalized-phone.png")
	checkConsole(t, deskConsole())
	checkConsole(t, phoneConsole())
}

// browserImport empties the store of records and has the signed-in
// administrator import the demo quarter's files (demo/qingshan) through
// the import page: upload, the check's report (rows to add, nothing
// written yet), commit, then back to the dashboard.
func browserImport(t *testing.T, ctx context.Context, base, dbPath string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+dbPath+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range store.Kinds() {
		if _, err := db.Exec("DELETE FROM " + kind); err != nil {
			t.Fatal(err)
		}
	}
	countEvents := func() (n int) {
		t.Helper()
		if err := db.QueryRow("SELECT COUNT(*) FROM events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	defer db.Close()

	dir, err := filepath.Abs(filepath.Join("..", "..", "demo", "qingshan"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil || len(files) != 15 {
		t.Fatalf("demo files: %d (%v), want 15", len(files), err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(base+"/import"),
		chromedp.SetUploadFiles(chromedp.CSS("#files"), files),
		chromedp.Click(chromedp.CSS(`#upload button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#import-ok")),
	)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	report, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"校验通过", "events.csv", "事件", "网格员", "新增"} {
		if !strings.Contains(report, want) {
			t.Errorf("the import report lacks %q:\n%s", want, report)
		}
	}
	if n := countEvents(); n != 0 {
		t.Fatalf("the check wrote %d events before the commit", n)
	}
	screenshot(t, ctx, "import-report.png")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#commit")),
		chromedp.WaitVisible(chromedp.CSS("#import-done")),
	)
	if err != nil {
		t.Fatalf("commit: %v", err)
	}
	if n := countEvents(); n == 0 {
		t.Fatal("the commit wrote no events")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#next a[href="/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#quarter form[action*="/quarter/compute"] button`)),
	)
	if err != nil {
		t.Fatalf("from the import to the dashboard: %v", err)
	}
}

// closeAppeals moves the demo quarter's publication in the store at target
// two weeks back, so that its appeal window is over (RULES.md §8) and it
// may be finalized now.
func closeAppeals(t *testing.T, target string) {
	t.Helper()
	db, err := store.Open(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.InQuarter(context.Background(), demo.TownName, demo.Quarter().String(), func(qt *store.QuarterTx) error {
		st := qt.State
		st.PublishedAt = st.PublishedAt.AddDate(0, 0, -14)
		return qt.SetState(st)
	})
	if err != nil {
		t.Fatal(err)
	}
}
