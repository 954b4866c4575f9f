package store

import (
	"context"
	"fmt"
	"testing"
	"time"

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

// TestReadSnapshotFullPool checks that readSnapshot does not wait forever
// for connections a full read pool cannot give while it holds one (or, on
// SQLite, the write lock): it reads in a single transaction instead, and a
// pool too small for a shared snapshot is not even tried.
func TestReadSnapshotFullPool(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db, err := OpenAndMigrate(ctx, b.Target(t), WithMaxConns(3))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			// Another reader holds all but one connection of the pool.
			for range 2 {
				c, err := db.read.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
			}
			done := make(chan int, 1)
			go func() {
				cs, err := db.readSnapshot(ctx, 2)
				if err != nil {
					t.Error(err)
				}
				done <- len(cs)
				endAll(cs)
			}()
			select {
			case n := <-done:
				if n != 1 {
					t.Errorf("%d transactions, want 1 (the pool has one connection free)", n)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("readSnapshot still waits for a connection after 10 s")
			}
		})
	}
}

// TestNoJIT checks that every PostgreSQL connection of a store runs with
// just-in-time compilation off and no parallel workers, where the server
// has the settings: asked for at connection, or, when the server refuses a
// setting it does not know, set after connecting.
func TestNoJIT(t *testing.T) {
	for _, b := range storetest.Backends() {
		if b.Name != "postgres" {
			continue
		}
		for _, refused := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/refused=%v", b.Name, refused), func(t *testing.T) {
				ctx := context.Background()
				if refused { // a setting no server has: connecting with it fails
					sessionSettings["gridscore_no_such_setting"] = "1"
					defer delete(sessionSettings, "gridscore_no_such_setting")
				}
				db, err := OpenAndMigrate(ctx, b.Target(t))
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				var has int
				if err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM pg_settings WHERE name = 'jit'").Scan(&has); err != nil || has == 0 {
					t.Skipf("the server has no jit setting (%v)", err)
				}
				conns, err := db.readSnapshot(ctx, 2)
				if err != nil {
					t.Fatal(err)
				}
				defer endAll(conns)
				for i, c := range conns {
					var jit, workers string
					if err := c.QueryRowContext(ctx, "SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather')").Scan(&jit, &workers); err != nil || jit != "off" || workers != "0" {
						t.Errorf("connection %d: jit %q, parallel workers %q, %v; want off and 0", i, jit, workers, err)
					}
				}
			})
		}
	}
}
