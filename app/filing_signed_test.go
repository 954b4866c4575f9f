package app_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/filing"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestSignedFilingReachesTheDistrict runs a filing from a town's server to
// the district's, on each engine: the town finalizes, its center signs the
// package; the district, once it registered the town's public key, imports
// it and shows the numbers of the town's finalized result; a package of
// another key, or altered, is refused and nothing is kept; only the roles
// that should may do each step.
func TestSignedFilingReachesTheDistrict(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			testSignedFiling(t, b.Target)
		})
	}
}

func testSignedFiling(t *testing.T, target func(testing.TB) string) {
	db := mustOpen(t, target(t))
	if _, err := db.Import(context.Background(), demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	clock := demo.AsOf()
	now := &clock
	town := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return *now }}
	{
		ctx := app.WithActor(context.Background(), "admin")
		name, q := demo.TownName, demo.Quarter()
		if _, _, err := town.FilingPackage(ctx, qAdmin, name, q); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("package of an open quarter: %v, want a conflict", err)
		}
		if err := town.Compute(ctx, qStaff, name, q, demo.AsOf()); err != nil {
			t.Fatal(err)
		}
		if err := town.Publish(ctx, qStaff, name, q); err != nil {
			t.Fatal(err)
		}
		*now = time.Date(2023, 10, 16, 9, 0, 0, 0, gs.CST) // the appeal window is over
		if err := town.Finalize(ctx, qAdmin, name, q); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*gs.User{qWorker, qDist} {
			if _, _, err := town.FilingPackage(ctx, u, name, q); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s signs: %v, want forbidden", u.Username, err)
			}
		}
		pkg, file, err := town.FilingPackage(ctx, qStaff, name, q)
		if err != nil || file != "青山镇 2023Q3 报备包.zip" {
			t.Fatalf("package %q: %v", file, err)
		}
		pub, err := town.TownPublicKey(ctx, qAdmin, name)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := town.TownPublicKey(ctx, qStaff, name); again != pub {
			t.Errorf("the town's key changed between two asks")
		}

		// The district's own server.
		district := &app.Service{DB: districtStore(t, target(t)), Scheme: scheme.Default(), Now: func() time.Time { return *now }}
		dctx := app.WithActor(context.Background(), "district")
		if _, err := district.ImportFiling(dctx, qDist, pkg); err == nil || !strings.Contains(gs.ErrorMessage(err), "还没有登记青山镇的公钥") {
			t.Errorf("import before the key is registered: %v", err)
		}
		if _, err := district.RegisterFilingKey(dctx, qAdmin, name, pub, false); gs.ErrorCode(err) != gs.EFORBIDDEN {
			t.Errorf("a town registers a key at the district: %v", err)
		}
		other, err := (&app.Service{DB: mustOpen(t, target(t)), Scheme: scheme.Default()}).TownPublicKey(ctx, qAdmin, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := district.RegisterFilingKey(dctx, qDist, name, other, false); err != nil {
			t.Fatal(err)
		}
		if _, err := district.ImportFiling(dctx, qDist, pkg); err == nil || !strings.Contains(gs.ErrorMessage(err), "签名不符") {
			t.Errorf("import signed by another key: %v", err)
		}
		if _, err := district.RegisterFilingKey(dctx, qDist, name, pub, false); err != nil {
			t.Fatal(err)
		}
		altered := append([]byte(nil), pkg...)
		altered[len(altered)/2] ^= 0x20
		if _, err := district.ImportFiling(dctx, qDist, altered); err == nil {
			t.Errorf("an altered package was imported")
		}
		if fs, _ := district.ImportedFilings(dctx, qDist, q); len(fs) != 0 {
			t.Fatalf("refused packages were kept: %+v", fs)
		}
		if _, err := district.ImportFiling(dctx, qStaff, pkg); gs.ErrorCode(err) != gs.EFORBIDDEN {
			t.Errorf("town staff imports at the district: %v", err)
		}
		got, err := district.ImportFiling(dctx, qDist, pkg)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := town.DB.Snapshot(context.Background(), name, q.String())
		if err != nil {
			t.Fatal(err)
		}
		var want gs.ImportedFiling
		for _, r := range rows {
			want.Workers++
			if r.Result.Total != nil {
				want.Assessed++
				want.TotalSum += *r.Result.Total
			}
			want.PaySum += r.Result.Pay
		}
		if got.Workers != want.Workers || got.Assessed != want.Assessed || got.TotalSum != want.TotalSum || got.PaySum != want.PaySum {
			t.Errorf("imported %d workers, %d ranked, totals %v, pay %v; the town's snapshot has %d, %d, %v, %v",
				got.Workers, got.Assessed, got.TotalSum, got.PaySum, want.Workers, want.Assessed, want.TotalSum, want.PaySum)
		}
		fs, err := district.ImportedFilings(dctx, qDist, q)
		if err != nil || len(fs) != 1 || fs[0].Town != name || fs[0].PaySum != want.PaySum || fs[0].ImportedBy != "district" {
			t.Errorf("imported filings %+v, %v", fs, err)
		}
		if _, err := district.ImportFiling(dctx, qDist, pkg); err != nil {
			t.Errorf("importing the same package again: %v", err)
		}
		if fs, _ := district.ImportedFilings(dctx, qDist, q); len(fs) != 1 {
			t.Errorf("importing again kept %d packages, want the one", len(fs))
		}

		// The town signs again later; the newer package replaces the one
		// kept, and the older one cannot bring it back.
		signed := *now
		*now = signed.Add(26*time.Hour + 30*time.Second)
		newer, _, err := town.FilingPackage(ctx, qStaff, name, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := district.ImportFiling(dctx, qDist, newer); err != nil {
			t.Fatalf("importing the newer package: %v", err)
		}
		_, err = district.ImportFiling(dctx, qDist, pkg)
		if gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("importing the older package after the newer: %v, want a conflict", err)
		}
		msg := gs.ErrorMessage(err)
		for _, want := range []string{"青山镇 2023Q3", "已导入的报备包签发于 2023-10-17 11:00:30", "这个报备包签发于 2023-10-16 09:00:00", "比已导入的早"} {
			if !strings.Contains(msg, want) {
				t.Errorf("refusal %q does not say %q", msg, want)
			}
		}
		if fs, _ := district.ImportedFilings(dctx, qDist, q); len(fs) != 1 || !fs[0].SignedAt.Equal(now.Truncate(time.Second)) {
			t.Errorf("after the older package the district keeps %+v, want the newer, signed %v", fs, *now)
		}
		if _, err := district.ImportFiling(dctx, qDist, newer); err != nil {
			t.Errorf("importing the newer package again: %v", err)
		}
	}
}

// districtStore opens a new store at target holding the district's
// register of grids: the demo town's and one of 白云镇.
func districtStore(t *testing.T, target string) *store.DB {
	t.Helper()
	db := mustOpen(t, target)
	grids := append(demo.Town(1).Grids, gs.Grid{Code: "BY001", Name: "白云一网格", Community: "白云社区", Town: "白云镇"})
	if _, err := db.Import(context.Background(), &gs.Records{Grids: grids}, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// newKey is the text of a new public key no town holds.
func newKey(t *testing.T) string {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return filing.KeyText(pub)
}

// TestFilingKeysAtTheDistrict, on each engine: a key registered for one
// town is refused for another, naming the town that has it; a town that
// is not one of the district's is refused; replacing the key of a town
// whose package was imported asks for confirmation, and once replaced the
// package imported before still opens, checked against the key it was
// verified with, which the list names; the district's database makes no
// town's private key.
func TestFilingKeysAtTheDistrict(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			testFilingKeys(t, b.Target)
		})
	}
}

func testFilingKeys(t *testing.T, target func(testing.TB) string) {
	db := mustOpen(t, target(t))
	if _, err := db.Import(context.Background(), demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	clock := demo.AsOf()
	town := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return clock }}
	ctx := app.WithActor(context.Background(), "admin")
	name, q := demo.TownName, demo.Quarter()
	if err := town.Compute(ctx, qStaff, name, q, demo.AsOf()); err != nil {
		t.Fatal(err)
	}
	if err := town.Publish(ctx, qStaff, name, q); err != nil {
		t.Fatal(err)
	}
	clock = time.Date(2023, 10, 16, 9, 0, 0, 0, gs.CST) // the appeal window is over
	if err := town.Finalize(ctx, qAdmin, name, q); err != nil {
		t.Fatal(err)
	}
	pkg, _, err := town.FilingPackage(ctx, qStaff, name, q)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := town.TownPublicKey(ctx, qAdmin, name)
	if err != nil {
		t.Fatal(err)
	}
	pubKey, _ := filing.ParseKey(pub)

	district := &app.Service{DB: districtStore(t, target(t)), Scheme: scheme.Default(), Now: func() time.Time { return clock }}
	dctx := app.WithActor(context.Background(), "district")
	if _, err := district.RegisterFilingKey(dctx, qDist, name, pub, false); err != nil {
		t.Fatal(err)
	}
	_, err = district.RegisterFilingKey(dctx, qDist, "白云镇", pub, false)
	if gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "是青山镇的公钥（现在登记的，或已导入的报备包所用的），不能再登记给白云镇") {
		t.Errorf("青山镇's key registered for 白云镇: %v, want refused naming 青山镇", err)
	}
	_, err = district.RegisterFilingKey(dctx, qDist, "不存在镇", newKey(t), false)
	if gs.ErrorCode(err) != gs.EINVALID || !errors.Is(err, app.ErrFilingKeyTown) || !strings.Contains(gs.ErrorMessage(err), "“不存在镇”不是本区的镇街（本区的镇街：白云镇、青山镇）") {
		t.Errorf("a key for a town not in the district: %v", err)
	}
	if keys, _ := district.FilingKeyFingerprints(dctx, qDist); len(keys) != 1 {
		t.Errorf("after the refusals the district has keys %v, want 青山镇's alone", keys)
	}

	if _, err := district.ImportFiling(dctx, qDist, pkg); err != nil {
		t.Fatal(err)
	}
	// The town lost its key and registers a new one.
	replacement := newKey(t)
	_, err = district.RegisterFilingKey(dctx, qDist, name, replacement, false)
	if !errors.Is(err, app.ErrFilingKeyReplace) || !strings.Contains(gs.ErrorMessage(err), "已导入的 1 个报备包是按它核对的") ||
		!strings.Contains(gs.ErrorMessage(err), filing.Fingerprint(pubKey)) {
		t.Errorf("replacing the key of a town with an imported package, unconfirmed: %v", err)
	}
	if keys, _ := district.FilingKeyFingerprints(dctx, qDist); keys[name] != filing.Fingerprint(pubKey) {
		t.Errorf("an unconfirmed replacement changed the key: %v", keys)
	}
	newFP, err := district.RegisterFilingKey(dctx, qDist, name, replacement, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, file, err := district.ImportedFilingWorkbook(dctx, qDist, name, q); err != nil || file != "青山镇 2023Q3 报备材料（报备包）.xlsx" {
		t.Errorf("the package imported before the key was replaced: %q, %v", file, err)
	}
	fs, err := district.ImportedFilings(dctx, qDist, q)
	if err != nil || len(fs) != 1 || fs[0].KeyFingerprint != filing.Fingerprint(pubKey) || fs[0].KeyFingerprint == newFP {
		t.Errorf("imported filings %+v (%v), want the one verified with %s", fs, err, filing.Fingerprint(pubKey))
	}
	if _, err := district.ImportFiling(dctx, qDist, pkg); err == nil || !strings.Contains(gs.ErrorMessage(err), "签名不符") {
		t.Errorf("a package of the old key imported after the replacement: %v", err)
	}
	// The old key, kept with the package it verified, is still 青山镇's.
	_, err = district.RegisterFilingKey(dctx, qDist, "白云镇", pub, false)
	if gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "是青山镇的公钥") {
		t.Errorf("青山镇's replaced key registered for 白云镇: %v, want refused", err)
	}
	// A database that made a town's key and then registered keys (the
	// district's) signs nothing more with it.
	if _, err := town.RegisterFilingKey(dctx, qDist, name, pub, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := town.FilingPackage(ctx, qStaff, name, q); err == nil {
		t.Errorf("a database holding registered keys signed a package with the town key it made before")
	}

	// The district's database makes no town's private key, asked twice
	// (a key made by the first ask would be shown by the second).
	for range 2 {
		_, err := district.TownPublicKey(ctx, qAdmin, name)
		if gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "这是区中心的数据库") ||
			!strings.Contains(gs.ErrorMessage(err), "gridscore filing-key --town 青山镇") {
			t.Fatalf("a town's key asked of the district's database: %v", err)
		}
	}
	if _, _, err := district.FilingPackage(ctx, qAdmin, name, q); err == nil {
		t.Errorf("the district's database signed a package as the town")
	}
}
