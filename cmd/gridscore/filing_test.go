package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
)

// finalizedTown makes a store at path holding the demo town with its
// quarter finalized.
func finalizedTown(t *testing.T, path string) {
	t.Helper()
	ctx := app.WithActor(context.Background(), "admin")
	db, err := store.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	now := demo.AsOf()
	s := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return now }}
	admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: demo.TownName}
	q := demo.Quarter()
	if err := s.Compute(ctx, admin, demo.TownName, q, now); err != nil {
		t.Fatal(err)
	}
	if err := s.Publish(ctx, admin, demo.TownName, q); err != nil {
		t.Fatal(err)
	}
	now = now.AddDate(0, 0, 14)
	if err := s.Finalize(ctx, admin, demo.TownName, q); err != nil {
		t.Fatal(err)
	}
}

// TestFilingFromTownToDistrict runs the commands of a filing between two
// servers: the town exports the signed package and shows its key, the
// district registers the key and imports the package; a package altered
// by one byte is refused with the reason and the command fails.
func TestFilingFromTownToDistrict(t *testing.T) {
	dir := t.TempDir()
	town, district := filepath.Join(dir, "town.db"), filepath.Join(dir, "district.db")
	finalizedTown(t, town)
	districtGrids(t, district)
	pkg := filepath.Join(dir, "报备包.zip")
	code, out, errOut := run(t, town, "export", "filing", "--town", "青山镇", "--quarter", "2023Q3", "--out", pkg)
	if code != 0 || !strings.Contains(out, "已写入报备包") {
		t.Fatalf("export filing: %d %q %q", code, out, errOut)
	}
	_, key, _ := run(t, town, "filing-key", "--town", "青山镇")
	if !strings.HasPrefix(key, "gridscore-ed25519:") || !strings.Contains(out, strings.TrimSpace(key)) {
		t.Fatalf("filing-key printed %q; export said %q", key, out)
	}
	code, _, errOut = run(t, district, "import-filing", pkg)
	if code != 1 || !strings.Contains(errOut, "还没有登记青山镇的公钥") || strings.Contains(errOut, "内部错误") {
		t.Errorf("import before registering: %d %q, want refused with its reason alone", code, errOut)
	}
	keyFile := filepath.Join(dir, "青山镇.pub")
	os.WriteFile(keyFile, []byte(key), 0o644)
	if code, out, errOut := run(t, district, "filing-key", "--register", "--town", "青山镇", "--key", keyFile); code != 0 || !strings.Contains(out, "指纹") {
		t.Fatalf("register: %d %q %q", code, out, errOut)
	}
	data, _ := os.ReadFile(pkg)
	data[len(data)/3] ^= 0x01
	altered := filepath.Join(dir, "改过.zip")
	os.WriteFile(altered, data, 0o644)
	if code, _, errOut := run(t, district, "import-filing", altered); code != 1 || !strings.Contains(errOut, "改过.zip：") || strings.Contains(errOut, "内部错误") {
		t.Errorf("altered package: %d %q, want refused with its reason alone", code, errOut)
	}
	code, out, errOut = run(t, district, "import-filing", pkg)
	if code != 0 || !strings.Contains(out, "已导入青山镇 2023Q3 的报备包") {
		t.Errorf("import: %d %q %q", code, out, errOut)
	}
}

// districtGrids makes a store at path holding the district's register
// of grids: the demo town's and one of 白云镇.
func districtGrids(t *testing.T, path string) {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	grids := append(demo.Town(1).Grids, gs.Grid{Code: "BY001", Name: "白云一网格", Community: "白云社区", Town: "白云镇"})
	if _, err := db.Import(context.Background(), &gs.Records{Grids: grids}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestFilingKeyRefusals: at the district, `filing-key --register` refuses
// a town's key for another town, naming the town it is registered for,
// and a town that is not the district's, and asks for --replace before
// replacing the key of a town with an imported package, which still
// opens afterwards; `filing-key --town` makes no town key in the
// district's database, and says where to run it. The town's own use is
// unchanged.
func TestFilingKeyRefusals(t *testing.T) {
	dir := t.TempDir()
	town, district := filepath.Join(dir, "town.db"), filepath.Join(dir, "district.db")
	finalizedTown(t, town)
	districtGrids(t, district)
	pkg := signedAt(t, town, dir, time.Date(2023, 10, 23, 15, 30, 0, 0, gs.CST))
	code, key, errOut := run(t, town, "filing-key", "--town", "青山镇")
	if code != 0 || !strings.HasPrefix(key, "gridscore-ed25519:") {
		t.Fatalf("filing-key on the town's server: %d %q %q", code, key, errOut)
	}
	key = strings.TrimSpace(key)
	if code, out, errOut := run(t, district, "filing-key", "--register", "--town", "青山镇", "--key", key); code != 0 {
		t.Fatalf("register: %d %q %q", code, out, errOut)
	}
	for _, c := range []struct{ town, want string }{
		{"白云镇", "是青山镇的公钥（现在登记的，或已导入的报备包所用的），不能再登记给白云镇"},
		{"不存在镇", "“不存在镇”不是本区的镇街（本区的镇街：白云镇、青山镇）"},
	} {
		code, out, errOut := run(t, district, "filing-key", "--register", "--town", c.town, "--key", key)
		if code != 1 || out != "" || !strings.Contains(errOut, c.want) || strings.Contains(errOut, "内部错误") {
			t.Errorf("青山镇's key for %s: %d %q %q, want refused saying %q", c.town, code, out, errOut, c.want)
		}
	}

	code, out, errOut := run(t, district, "filing-key", "--town", "青山镇")
	if code != 1 || out != "" || !strings.Contains(errOut, "这是区中心的数据库") || !strings.Contains(errOut, "须在本镇街的服务器上运行 gridscore filing-key --town 青山镇") {
		t.Errorf("filing-key --town on the district's database: %d %q %q", code, out, errOut)
	}
	if code, out, _ := run(t, district, "filing-key", "--town", "青山镇"); code != 1 || out != "" {
		t.Errorf("asked again, the district's database shows a key it made: %d %q", code, out)
	}

	if code, out, errOut := run(t, district, "import-filing", pkg); code != 0 {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	other := filepath.Join(dir, "other.db")
	_, otherKey, _ := run(t, other, "filing-key", "--town", "青山镇")
	code, _, errOut = run(t, district, "filing-key", "--register", "--town", "青山镇", "--key", strings.TrimSpace(otherKey))
	if code != 1 || !strings.Contains(errOut, "已导入的 1 个报备包是按它核对的") || !strings.Contains(errOut, "--replace") {
		t.Errorf("replacing without --replace: %d %q", code, errOut)
	}
	if code, out, errOut := run(t, district, "filing-key", "--register", "--replace", "--town", "青山镇", "--key", strings.TrimSpace(otherKey)); code != 0 {
		t.Fatalf("replacing with --replace: %d %q %q", code, out, errOut)
	}
	db, err := store.Open(context.Background(), district)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &app.Service{DB: db, Scheme: scheme.Default()}
	distr := &gs.User{Username: "district", Role: gs.RoleDistrict}
	if _, _, err := s.ImportedFilingWorkbook(context.Background(), distr, "青山镇", demo.Quarter()); err != nil {
		t.Errorf("the package imported before the key was replaced: %v", err)
	}
}

// signedAt writes the package of the demo town's finalized quarter in the
// store at path, signed at the moment at, into dir, and returns its file.
func signedAt(t *testing.T, path, dir string, at time.Time) string {
	t.Helper()
	ctx := app.WithActor(context.Background(), "admin")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return at }}
	admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: demo.TownName}
	pkg, _, err := s.FilingPackage(ctx, admin, demo.TownName, demo.Quarter())
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, at.In(gs.CST).Format("0102-1504")+".zip")
	if err := os.WriteFile(file, pkg, 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestImportFilingRefusesAnOlderPackage: once the district imported a
// town's package, `import-filing` of a package of the same quarter signed
// earlier fails, saying which town and quarter and when each was signed,
// and keeps the newer; the newer imported again is fine.
func TestImportFilingRefusesAnOlderPackage(t *testing.T) {
	dir := t.TempDir()
	town, district := filepath.Join(dir, "town.db"), filepath.Join(dir, "district.db")
	finalizedTown(t, town)
	older := signedAt(t, town, dir, time.Date(2023, 10, 20, 9, 0, 0, 0, gs.CST))
	newer := signedAt(t, town, dir, time.Date(2023, 10, 23, 15, 30, 0, 0, gs.CST))
	_, key, _ := run(t, town, "filing-key", "--town", "青山镇")
	keyFile := filepath.Join(dir, "青山镇.pub")
	os.WriteFile(keyFile, []byte(key), 0o644)
	districtGrids(t, district)
	if code, out, errOut := run(t, district, "filing-key", "--register", "--town", "青山镇", "--key", keyFile); code != 0 {
		t.Fatalf("register: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := run(t, district, "import-filing", newer); code != 0 {
		t.Fatalf("import the newer: %d %q %q", code, out, errOut)
	}
	code, out, errOut := run(t, district, "import-filing", older)
	if code != 1 || out != "" || strings.Contains(errOut, "内部错误") {
		t.Errorf("import the older: %d %q %q, want it refused with its reason alone", code, out, errOut)
	}
	for _, want := range []string{"1020-0900.zip：", "青山镇 2023Q3", "已导入的报备包签发于 2023-10-23 15:30:00", "这个报备包签发于 2023-10-20 09:00:00"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the refusal %q does not say %q", errOut, want)
		}
	}
	db, err := store.Open(context.Background(), district)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if fs, err := db.ImportedFilings(context.Background(), "2023Q3"); err != nil || len(fs) != 1 || fs[0].SignedAt.In(gs.CST).Day() != 23 {
		t.Errorf("the district keeps %+v (%v), want the package signed on the 23rd", fs, err)
	}
	if code, out, errOut := run(t, district, "import-filing", newer); code != 0 || !strings.Contains(out, "已导入青山镇 2023Q3 的报备包") {
		t.Errorf("import the newer again: %d %q %q", code, out, errOut)
	}
}
