package store_test

import (
	"context"
	"testing"
)

// TestMigrateFilingVerifiedKey, on each engine: a package imported before
// filings kept the key they were verified with takes the key registered
// for its town when the schema is brought up to date, so that it is
// checked against that key whatever the town registers afterwards.
func TestMigrateFilingVerifiedKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenTarget(t, b.Target(t))
		if err := db.MigrateToForTest(ctx, 31); err != nil {
			t.Fatal(err)
		}
		mustExec(t, db, "INSERT INTO filing_keys (town, public_key, registered_at, registered_by) VALUES ('青山镇', 'a2V5', 1, 'district')")
		mustExec(t, db, `INSERT INTO filings (town, quarter, finalized_at, signed_at, workers, assessed, total_sum, pay_sum, imported_at, imported_by, package)
			VALUES ('青山镇', '2023Q3', 1, 2, 3, 3, 27000, 300000, 4, 'district', 'zip')`)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		pkg, pub, found, err := db.FilingPackage(ctx, "青山镇", "2023Q3")
		if err != nil || !found || string(pkg) != "zip" || pub != "a2V5" {
			t.Errorf("after migrating: package %q, key %q, found %v, %v; want the key registered", pkg, pub, found, err)
		}
		fs, err := db.ImportedFilings(ctx, "2023Q3")
		if err != nil || len(fs) != 1 || fs[0].PublicKey != "a2V5" {
			t.Errorf("imported filings %+v, %v", fs, err)
		}
	})
}
