package csvfile_test

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// split returns recs as one Records per record, in kind order, so that every
// kind's file is appended to many times.
func split(recs *gridscore.Records) []*gridscore.Records {
	var parts []*gridscore.Records
	add := func(r gridscore.Records) { parts = append(parts, &r) }
	for _, x := range recs.Grids {
		add(gridscore.Records{Grids: []gridscore.Grid{x}})
	}
	for _, x := range recs.Workers {
		add(gridscore.Records{Workers: []gridscore.Worker{x}})
	}
	for _, x := range recs.Events {
		add(gridscore.Records{Events: []gridscore.Event{x}})
	}
	// The remaining kinds go in two appends, logins and attendance split
	// between them.
	first := *recs
	first.Grids, first.Workers, first.Events = nil, nil, nil
	first.Logins, first.Attendance = recs.Logins[:1], recs.Attendance[:2]
	second := gridscore.Records{Logins: recs.Logins[1:], Attendance: recs.Attendance[2:]}
	return append(parts, &first, &second)
}

func TestDirWriterAppendsThenReadGivesBackTheRecords(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		enc  csvfile.Encoding
	}{{"UTF-8", csvfile.UTF8}, {"GB18030", csvfile.GB18030}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := fullRecords()
			dir := filepath.Join(t.TempDir(), "out")
			w, err := csvfile.NewDirWriter(dir, tc.enc)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range split(want) {
				if err := w.Append(part); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Append(&gridscore.Records{}); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			b := mustRead(t, dir)
			if !reflect.DeepEqual(&b.Records, want) {
				t.Errorf("read back:\n%+v\nwant:\n%+v", b.Records, *want)
			}

			// The files are byte for byte what WriteCSV writes in one go:
			// one BOM and one header per file.
			whole := t.TempDir()
			if err := csvfile.WriteCSVEncoded(whole, want, tc.enc); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(whole)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				got, err := os.ReadFile(filepath.Join(dir, e.Name()))
				if err != nil {
					t.Fatal(err)
				}
				exp, _ := os.ReadFile(filepath.Join(whole, e.Name()))
				if string(got) != string(exp) {
					t.Errorf("%s written in parts =\n%q\nwritten at once =\n%q", e.Name(), got, exp)
				}
			}
			if got, _ := os.ReadDir(dir); len(got) != len(entries) {
				t.Errorf("%d files written in parts, %d at once", len(got), len(entries))
			}
		})
	}
}

func TestDirWriterWritesNoFileForAnAbsentKind(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	w, err := csvfile.NewDirWriter(dir, csvfile.UTF8)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(&gridscore.Records{Grids: fullRecords().Grids}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "grids.csv" {
		t.Errorf("files = %v, want only grids.csv", entries)
	}
	if err := w.Append(&gridscore.Records{Grids: fullRecords().Grids}); err == nil {
		t.Error("Append after Close succeeded")
	}
}
