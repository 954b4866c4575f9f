package app

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestAssessTownAlone: a store that holds one town is assessed by the
// whole read, and gives exactly what the town read gives, at the quarter's
// end and inside it (standing and warnings).
func TestAssessTownAlone(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			s := &Service{DB: demoStore(t, b), Scheme: scheme.Default()}
			q := demo.Quarter()
			for _, asOf := range []time.Time{demo.AsOf(), time.Date(2023, 8, 15, 9, 0, 0, 0, gs.CST)} {
				got, err := s.AssessTown(ctx, demo.TownName, q, asOf)
				if err != nil {
					t.Fatal(err)
				}
				want, _, err := s.assessTown(ctx, demo.TownName, q, asOf)
				if err != nil {
					t.Fatal(err)
				}
				g, _ := json.Marshal(got)
				w, _ := json.Marshal(want)
				if string(g) != string(w) {
					t.Errorf("as of %s: the whole read gives\n%s\nthe town read\n%s", asOf, g, w)
				}
				if len(got.Workers) != 21 {
					t.Errorf("as of %s: %d workers, want the demo's 21", asOf, len(got.Workers))
				}
			}
		})
	}
}

// demoStore opens a fresh store of backend b holding the demo town,
// closed when the test ends.
func demoStore(t *testing.T, b storetest.Backend) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, b.Target(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Import(ctx, demo.Town(1), nil); err != nil {
		t.Fatal(err)
	}
	return db
}
