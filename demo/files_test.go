package demo

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/gridscore/gridscore/csvfile"
)

// writeTown writes Town(seed) into dir, one <kind>.csv file per kind as
// the importer reads them (csvfile.WriteCSV: UTF-8 with BOM, Chinese
// headers and values), creating dir if needed. It lives with the test that
// keeps demo/qingshan true: demo itself only builds records, so that it
// imports no adapter but calendar.
func writeTown(dir string, seed int64) error {
	return csvfile.WriteCSV(dir, Town(seed))
}

var update = flag.Bool("update", false, "rewrite the committed files under demo/"+Dir+" from Town(1)")

// csvNames returns the names of the .csv files of dir, sorted.
func csvNames(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	slices.Sort(names)
	return names
}

// TestCommittedFiles checks that the files under demo/qingshan are exactly
// what writeTown(…, 1) writes, so that the demo a user imports never drifts
// from the generator. Run with -update (or go generate ./demo) to rewrite
// them after changing the generator.
func TestCommittedFiles(t *testing.T) {
	fresh := t.TempDir()
	if err := writeTown(fresh, 1); err != nil {
		t.Fatal(err)
	}
	if *update {
		for _, n := range csvNames(t, Dir) {
			if err := os.Remove(filepath.Join(Dir, n)); err != nil {
				t.Fatal(err)
			}
		}
		if err := writeTown(Dir, 1); err != nil {
			t.Fatal(err)
		}
	}
	got, want := csvNames(t, Dir), csvNames(t, fresh)
	if !slices.Equal(got, want) {
		t.Fatalf("demo/%s has files %v, the generator writes %v; run go generate ./demo", Dir, got, want)
	}
	if len(want) != 15 {
		t.Errorf("the generator writes %d kinds, want all 15 of DATA.md: %v", len(want), want)
	}
	for _, n := range want {
		a, err := os.ReadFile(filepath.Join(Dir, n))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(fresh, n))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("demo/%s/%s differs from what the generator writes; run go generate ./demo", Dir, n)
		}
	}
}

// TestCommittedFilesImport checks that the committed files pass the
// importer's validation and reference checks and read back as Town(1).
func TestCommittedFilesImport(t *testing.T) {
	b, err := csvfile.Read(Dir)
	if err != nil {
		t.Fatalf("import of demo/%s fails:\n%v", Dir, err)
	}
	if err := b.CheckReferences(csvfile.Known{}); err != nil {
		t.Fatalf("reference check of demo/%s fails:\n%v", Dir, err)
	}
	want := Town(1)
	gv, wv := reflect.ValueOf(b.Records), reflect.ValueOf(*want)
	for i := range gv.NumField() {
		name := gv.Type().Field(i).Name
		if g, w := gv.Field(i).Len(), wv.Field(i).Len(); g != w {
			t.Errorf("%s: read %d records, Town(1) has %d", name, g, w)
			continue
		}
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s: the records read back differ from Town(1)", name)
		}
	}
}
