package store

import (
	"context"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestReadSnapshotIsShared checks that the transactions of readSnapshot
// all see the data as it was when they began: a row committed afterwards
// is seen by none of them.
func TestReadSnapshotIsShared(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := OpenAndMigrate(ctx, b.Target(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			grid := func(code string) *gridscore.Records {
				return &gridscore.Records{Grids: []gridscore.Grid{{Code: code, Name: code, Town: "青山镇"}}}
			}
			if _, err := db.Import(ctx, grid("G1"), nil); err != nil {
				t.Fatal(err)
			}
			txs, err := db.readSnapshot(ctx, 2)
			if err != nil {
				t.Fatal(err)
			}
			defer endAll(txs)
			if len(txs) != 2 {
				t.Fatalf("%d transactions, want 2 (nothing else is writing)", len(txs))
			}
			if _, err := db.Import(ctx, grid("G2"), nil); err != nil {
				t.Fatal(err)
			}
			for i, tx := range txs {
				n, err := countRows(ctx, tx, "grids")
				if err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					t.Errorf("transaction %d sees %d grids, want the 1 stored when it began", i, n)
				}
			}
			after, err := countRows(ctx, db.read, "grids")
			if err != nil || after != 2 {
				t.Errorf("after: %d grids, %v; want 2", after, err)
			}
		})
	}
}
