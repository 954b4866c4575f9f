package web_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/filing"
)

// postFiles posts files (name → content) in the form field field to path.
func (f *fixture) postFiles(path, field, token string, files ...[2]string) (*http.Response, string) {
	f.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, file := range files {
		w, err := mw.CreateFormFile(field, file[0])
		if err != nil {
			f.t.Fatal(err)
		}
		w.Write([]byte(file[1]))
	}
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	withSession(req, token)
	return f.do(req)
}

// TestFilingPages follows a signed filing through the web: the town's
// center downloads the package of its finalized quarter and its key from
// the dashboard; the district registers the key and imports the package,
// and its page shows the package's numbers beside the town's state; an
// altered package is refused with the reason.
func TestFilingPages(t *testing.T) {
	f := newFixture(t)
	ctx := f.finalizeDemo(t)
	admin, district := f.login("admin"), f.login("district")
	_, dash := f.get("/towns/青山镇", admin)
	if !strings.Contains(dash, `id="filing-package"`) || !strings.Contains(dash, `id="filing-key"`) {
		t.Errorf("the finalized dashboard does not offer the package and the key")
	}
	res, pkg := f.get("/towns/青山镇/filing.zip", admin)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" || fileName(t, res) != "青山镇 2023Q3 报备包.zip" {
		t.Fatalf("package: %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	_, key := f.get("/towns/青山镇/filing-key.txt", admin)
	// The town signs again a day later (now: this database, shared with
	// the district, signs nothing once the district registers keys).
	newer := f.signedLater(ctx, 24*time.Hour)
	if res, _ := f.get("/towns/青山镇/filing.zip", district); res.StatusCode != http.StatusForbidden {
		t.Errorf("the district downloads a town's package: %d, want 403", res.StatusCode)
	}

	res, body := f.post("/filings/keys", url.Values{"town": {"青山镇"}, "key": {"ssh-rsa AAAA"}}, district)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "公钥格式不对") {
		t.Errorf("a foreign key: %d", res.StatusCode)
	}
	res, body = f.post("/filings/keys", url.Values{"town": {"青山镇"}, "key": {key}}, district)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "已登记青山镇的公钥，指纹") {
		t.Fatalf("register: %d\n%s", res.StatusCode, body)
	}
	altered := []byte(pkg)
	altered[len(altered)/2] ^= 1
	res, body = f.postFiles("/filings", "packages", district, [2]string{"改过.zip", string(altered)})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "改过.zip：") || !strings.Contains(body, "未导入报备包") {
		t.Errorf("altered package: %d", res.StatusCode)
	}
	res, body = f.postFiles("/filings", "packages", district, [2]string{"青山镇.zip", pkg})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "青山镇.zip：已导入青山镇 2023Q3") {
		t.Fatalf("import: %d\n%s", res.StatusCode, body)
	}
	for _, want := range []string{"定稿", "绩效合计", "<code>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the filings page lacks %q", want)
		}
	}
	res, book := f.get("/filings/青山镇/2023Q3/filing.xlsx", district)
	if _, local := f.get("/towns/青山镇/export/filing.xlsx", admin); res.StatusCode != http.StatusOK || book != local {
		t.Errorf("the imported package's workbook: %d, %d bytes; the town's own is %d bytes", res.StatusCode, len(book), len(local))
	}
	if res, _ := f.get("/filings/青山镇/2023Q3/filing.xlsx", admin); res.StatusCode != http.StatusForbidden {
		t.Errorf("a town downloads from the district's filings: %d", res.StatusCode)
	}
	for _, who := range []string{"admin", "staff", "QS001"} {
		if res, _ := f.get("/filings", f.login(who)); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s opens the filings page: %d, want 403", who, res.StatusCode)
		}
	}

	// The newer package replaces the one imported, and uploading the
	// older one again is refused.
	if res, body := f.postFiles("/filings", "packages", district, [2]string{"新.zip", newer}); res.StatusCode != http.StatusOK || !strings.Contains(body, "新.zip：已导入青山镇 2023Q3") {
		t.Fatalf("import the newer: %d\n%s", res.StatusCode, body)
	}
	res, body = f.postFiles("/filings", "packages", district, [2]string{"旧.zip", pkg})
	signed := func(at time.Time) string { return at.Format("2006-01-02 15:04:05") }
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "旧.zip：青山镇 2023Q3 已导入的报备包签发于 "+signed(clock.Add(24*time.Hour))+"，这个报备包签发于 "+signed(clock)) {
		t.Errorf("the older package again: %d\n%s", res.StatusCode, body)
	}
	if !strings.Contains(body, clock.Add(24*time.Hour).Format("2006-01-02 15:04")) {
		t.Errorf("the filings page does not show the newer package, signed %v", clock.Add(24*time.Hour))
	}
}

// finalizeDemo publishes the demo town's quarter, closes its appeals and
// finalizes it, as its staff and admin, and returns a context acting as
// the staff.
func (f *fixture) finalizeDemo(t *testing.T) context.Context {
	t.Helper()
	ctx := f.publishDemo(t)
	f.closeAppeals()
	if err := f.server.Service.Finalize(ctx, f.user("admin"), demo.TownName, demo.Quarter()); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// signedLater is the demo town's filing package as the town signs it
// again after the fixture's clock.
func (f *fixture) signedLater(ctx context.Context, after time.Duration) string {
	f.t.Helper()
	later := &app.Service{DB: f.server.Service.DB, Scheme: f.server.Service.Scheme, Now: func() time.Time { return clock.Add(after) }}
	pkg, _, err := later.FilingPackage(app.WithActor(ctx, "admin"), f.user("admin"), demo.TownName, demo.Quarter())
	if err != nil {
		f.t.Fatal(err)
	}
	return string(pkg)
}

// TestFilingUploadSaysEveryPackage: when the server fails on one of the
// packages sent together, the page still says which were imported and
// which refused and why, and names the one that failed so that the
// district sends it again; its details go to the log, not the page. Sent
// again, it is imported.
func TestFilingUploadSaysEveryPackage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "gridscore.db")
	f := newFixtureAt(t, path)
	ctx := f.finalizeDemo(t)
	admin, district := f.login("admin"), f.login("district")
	// Signed before the key is registered: a database holding registered
	// keys (the district's; here one shared with the town) signs nothing.
	_, key := f.get("/towns/青山镇/filing-key.txt", admin)
	_, first := f.get("/towns/青山镇/filing.zip", admin)
	newer := f.signedLater(ctx, 24*time.Hour)
	if res, body := f.post("/filings/keys", url.Values{"town": {"青山镇"}, "key": {key}}, district); res.StatusCode != http.StatusOK {
		t.Fatalf("register: %d\n%s", res.StatusCode, body)
	}
	altered := []byte(first)
	altered[len(altered)/2] ^= 1

	// The database fails on replacing a kept package: the first package
	// is stored, the newer one, replacing it, fails.
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("CREATE TRIGGER broken BEFORE UPDATE ON filings BEGIN SELECT json('not json'); END"); err != nil {
		t.Fatal(err)
	}
	res, body := f.postFiles("/filings", "packages", district,
		[2]string{"一.zip", first}, [2]string{"二.zip", newer}, [2]string{"三.zip", string(altered)})
	if res.StatusCode != http.StatusInternalServerError {
		t.Errorf("status %d, want 500", res.StatusCode)
	}
	for _, want := range []struct{ outcome, line string }{
		{"imported", `<p class="ok">一.zip：已导入青山镇 2023Q3，网格员 `},
		{"failed", `<p class="error" role="alert">二.zip：系统出错，没有导入：内部错误，请联系管理员。这个报备包可以稍后重新导入。</p>`},
		{"refused", `<p class="error" role="alert">三.zip：`},
	} {
		if !strings.Contains(body, want.line) {
			t.Errorf("the page does not say the %s package: want %q\n%s", want.outcome, want.line, body)
		}
	}
	if strings.Contains(body, "未导入报备包") || !strings.Contains(body, clock.Format("2006-01-02 15:04")) {
		t.Errorf("the filings table does not show the package imported, signed %v", clock)
	}
	if strings.Contains(body, "malformed JSON") || !strings.Contains(f.logs.String(), "malformed JSON") || !strings.Contains(f.logs.String(), "file=二.zip") {
		t.Errorf("the failure is shown, or not logged with its file:\n%s", f.logs)
	}

	if _, err := raw.Exec("DROP TRIGGER broken"); err != nil {
		t.Fatal(err)
	}
	if res, body := f.postFiles("/filings", "packages", district, [2]string{"二.zip", newer}); res.StatusCode != http.StatusOK || !strings.Contains(body, "二.zip：已导入青山镇 2023Q3") {
		t.Errorf("sent again: %d\n%s", res.StatusCode, body)
	}
}

// TestFilingKeyReplacedOnThePage, on each engine: at the district, a key
// for a town that is not the district's is refused beside the town's
// field; replacing the key of a town whose package was imported asks for
// a confirmation first, and afterwards the package imported before still
// downloads, the list naming the key it was verified with.
func TestFilingKeyReplacedOnThePage(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		f.finalizeDemo(t)
		admin, district := f.login("admin"), f.login("district")
		_, key := f.get("/towns/青山镇/filing-key.txt", admin)
		_, pkg := f.get("/towns/青山镇/filing.zip", admin)
		res, body := f.post("/filings/keys", url.Values{"town": {"不存在镇"}, "key": {key}}, district)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, `name="town" value="不存在镇" required aria-invalid="true"><p class="field-error" role="alert">“不存在镇”不是本区的镇街`) {
			t.Errorf("a town not in the district: %d\n%s", res.StatusCode, body)
		}
		if res, body := f.post("/filings/keys", url.Values{"town": {"青山镇"}, "key": {key}}, district); res.StatusCode != http.StatusOK {
			t.Fatalf("register: %d\n%s", res.StatusCode, body)
		}
		if res, body := f.postFiles("/filings", "packages", district, [2]string{"青山镇.zip", pkg}); res.StatusCode != http.StatusOK {
			t.Fatalf("import: %d\n%s", res.StatusCode, body)
		}
		old, _ := filing.ParseKey(key)
		newPub, _, _ := ed25519.GenerateKey(rand.Reader)
		replacement := url.Values{"town": {"青山镇"}, "key": {filing.KeyText(newPub)}}
		res, body = f.post("/filings/keys", replacement, district)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "已导入的 1 个报备包是按它核对的") || !strings.Contains(body, `name="replace"`) {
			t.Errorf("replacing unconfirmed: %d, want 409 asking to confirm\n%s", res.StatusCode, body)
		}
		replacement.Set("replace", "1")
		if res, body := f.post("/filings/keys", replacement, district); res.StatusCode != http.StatusOK || !strings.Contains(body, "已登记青山镇的公钥，指纹 "+filing.Fingerprint(newPub)) {
			t.Fatalf("replacing confirmed: %d\n%s", res.StatusCode, body)
		}
		if res, book := f.get("/filings/青山镇/2023Q3/filing.xlsx", district); res.StatusCode != http.StatusOK || len(book) == 0 {
			t.Errorf("the package imported before the key was replaced: %d\n%s", res.StatusCode, book)
		}
		_, page := f.get("/filings", district)
		if !strings.Contains(page, `data-label="核对所用公钥"><code>`+filing.Fingerprint(old)+`</code><br>（导入后已更换登记的公钥`) ||
			!strings.Contains(page, `data-label="登记的公钥"><code>`+filing.Fingerprint(newPub)+`</code>`) {
			t.Errorf("the list does not name the key the package was verified with and the one registered\n%s", page)
		}
	})
}
