package web_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/gen"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
	"github.com/gridscore/gridscore/web"
)

// heldOutQuarter and heldOutAsOf are the quarter of the held-out town and
// the moment it is assessed at.
var (
	heldOutQuarter = gs.Quarter{Year: 2024, Q: 2}
	heldOutAsOf    = time.Date(2024, 7, 8, 9, 0, 0, 0, gs.CST)
)

// TestAPIHeldOutTown pushes a town the tests have not seen (gen, its own
// seed and quarter), written as DATA.md files, kind by kind in batches
// through a client written from the OpenAPI document alone, and holds the
// store and the assessment against a file import of the same files.
// Sending every request again changes nothing.
func TestAPIHeldOutTown(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			var town string
			var district []gs.CalendarDay
			err := gen.Generate(gen.Options{Workers: 40, Quarter: heldOutQuarter, Seed: 2024}, func(recs *gs.Records) error {
				town = recs.Grids[0].Town
				for _, d := range recs.Calendar {
					if d.Town == "" {
						district = append(district, d)
					}
				}
				return csvfile.WriteCSV(dir, recs)
			})
			if err != nil {
				t.Fatal(err)
			}

			fileDB := openStore(t, b.Target(t))
			byFile := &app.Service{DB: fileDB, Scheme: scheme.Default()}
			if _, err := byFile.ImportFiles(ctx, dir); err != nil {
				t.Fatal(err)
			}

			apiDB := openStore(t, b.Target(t))
			// The district's calendar days are the district's to set
			// (DATA.md §1): no town's token writes them.
			if _, err := apiDB.Import(ctx, &gs.Records{Calendar: district}, nil); err != nil {
				t.Fatal(err)
			}
			byAPI := &app.Service{DB: apiDB, Scheme: scheme.Default()}
			srv := &web.Server{Service: byAPI, Auth: &app.Auth{DB: apiDB}, APIRate: web.APIRate{PerSecond: 1000, Burst: 1000}}
			handler := srv.Handler()
			t.Cleanup(srv.Wait)
			admin := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: town}
			made, err := byAPI.CreateAPIToken(ctx, admin, "网格E通", allKinds(), true, 0)
			if err != nil {
				t.Fatal(err)
			}

			c := newDocClient(t, handler, made.Secret)
			pushAll := func() (answers []map[string]int64) {
				for _, kind := range allKinds() {
					var recs []map[string]any
					path := filepath.Join(dir, kind+".csv")
					if _, ok := c.kinds[kind]; !ok {
						t.Fatalf("the document has no route for %s", kind)
					}
					if !fileExists(path) {
						continue
					}
					for _, values := range c.fileRecords(path, kind) {
						if kind == "calendar" && values["town"] == "" {
							continue
						}
						recs = append(recs, c.record(kind, values))
					}
					answers = append(answers, c.push(kind, recs, 1500)...)
				}
				return answers
			}
			first := pushAll()
			var inserted int64
			for _, a := range first {
				inserted += a["inserted"]
			}
			t.Logf("%s: %d records pushed in %d requests", town, inserted, len(first))
			if inserted < 10000 {
				t.Fatalf("the town pushed %d records in %d requests: too few for a quarter", inserted, len(first))
			}

			sameStores(t, fileDB, apiDB)
			fileJSON := resultJSON(t, byFile, town)
			if apiJSON := resultJSON(t, byAPI, town); !bytes.Equal(apiJSON, fileJSON) {
				t.Errorf("the assessment of the records pushed differs from the file import's")
			}
			res, body := c.send("GET", "/api/v1/quarters/"+heldOutQuarter.String()+"/result?as_of="+url.QueryEscape(heldOutAsOf.Format(time.RFC3339)), nil)
			if res.StatusCode != http.StatusOK || !bytes.Equal(body, fileJSON) {
				t.Errorf("the API's result (status %d) differs from the file import's assessment", res.StatusCode)
			}

			v, err := apiDB.DataVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			again := pushAll()
			if len(again) != len(first) {
				t.Fatalf("%d requests the second time, %d the first", len(again), len(first))
			}
			for i, a := range again {
				if a["inserted"] != 0 || a["updated"] != 0 || a["unchanged"] != first[i]["received"] {
					t.Errorf("request %d again: %s; the first time: %s", i, countsText(a), countsText(first[i]))
				}
			}
			if w, _ := apiDB.DataVersion(ctx); w != v {
				t.Errorf("the requests sent again changed the records' version: %d → %d", v, w)
			}
			sameStores(t, fileDB, apiDB)
		})
	}
}

// openStore opens a new store at target, closed when the test ends.
func openStore(t *testing.T, target string) *store.DB {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sameStores fails the test unless the two stores hold the same records.
func sameStores(t *testing.T, a, b *store.DB) {
	t.Helper()
	from, to := time.Date(2000, 1, 1, 0, 0, 0, 0, gs.CST), time.Date(2100, 1, 1, 0, 0, 0, 0, gs.CST)
	ra, err := a.Load(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	rb, err := b.Load(context.Background(), from, to)
	if err != nil {
		t.Fatal(err)
	}
	va, vb := reflect.ValueOf(*ra), reflect.ValueOf(*rb)
	for i := range va.NumField() {
		if fa, fb := va.Field(i).Interface(), vb.Field(i).Interface(); !reflect.DeepEqual(fa, fb) {
			t.Errorf("%s differ: %d records by file, %d by the API", va.Type().Field(i).Name, va.Field(i).Len(), vb.Field(i).Len())
		}
	}
}

// resultJSON is the town's held-out quarter assessed by svc, as DATA.md §3
// JSON.
func resultJSON(t *testing.T, svc *app.Service, town string) []byte {
	t.Helper()
	res, err := svc.AssessTown(context.Background(), town, heldOutQuarter, heldOutAsOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Workers) == 0 {
		t.Fatalf("no worker assessed in %s", town)
	}
	var b bytes.Buffer
	if err := app.WriteResultJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// fileExists reports whether there is a file at path.
func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
