package gridscore_test

import (
	"go/build"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The direction of imports inside the module (README, layout):
//
//	cmd → web → app → (engine, store, csvfile, report, filing, scheme, calendar) → gridscore
//
// Each adapter turns one outside thing (a database, a file format, a
// workbook, a scheme file, the holidays) into domain types and never
// imports another adapter: only app joins them. gen and demo are tools
// that make records for cmd and the tests; they need to know which days
// are workdays as a person preparing files would, so they may use
// calendar, and nothing else of the module but the domain (cmd and the
// tests write their records with csvfile).
const module = "github.com/gridscore/gridscore"

// layerOf is the layer of a package path inside the module ("" for the
// root); a subpackage belongs to its first element (store/storetest is
// the store's).
func layerOf(path string) string {
	rest, ok := strings.CutPrefix(path, module)
	if !ok {
		return "outside"
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
	return first
}

var (
	adapters = []string{"store", "csvfile", "report", "filing", "engine", "scheme", "calendar"}
	tools    = []string{"gen", "demo"}
)

// mayImport reports whether a package of layer from may import one of
// layer to, and why not.
func mayImport(from, to string) (bool, string) {
	switch {
	case to == "outside" || to == "" || from == to:
		return true, ""
	case to == "cmd":
		return false, "nothing imports cmd: it wires the program together"
	case from == "cmd":
		return true, ""
	case from == "web":
		return to == "app", "web talks to app alone"
	case from == "app":
		return slices.Contains(adapters, to), "app uses the adapters, never web or the tools"
	case slices.Contains(tools, from):
		return to == "calendar", "a tool makes domain records, dated with calendar only"
	case slices.Contains(adapters, from):
		return false, "an adapter never imports another adapter, app, web or a tool"
	case from == "":
		return false, "the domain imports nothing of the module"
	}
	return false, "unknown layer " + from
}

// TestImportDirection reads the imports of every package of the module
// (tests excluded) and fails on any that goes against the direction.
func TestImportDirection(t *testing.T) {
	var edges int
	err := filepath.WalkDir(".", func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if name := d.Name(); dir != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
			return filepath.SkipDir
		}
		pkg, err := build.Default.ImportDir(dir, 0)
		if _, none := err.(*build.NoGoError); none {
			return nil
		} else if err != nil {
			return err
		}
		from := layerOf(pathOf(dir))
		for _, imp := range pkg.Imports {
			edges++
			if ok, why := mayImport(from, layerOf(imp)); !ok {
				t.Errorf("%s imports %s: %s", pathOf(dir), imp, why)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if edges < 50 {
		t.Fatalf("read only %d imports: the walk missed the packages", edges)
	}
}

// pathOf is the import path of the module's folder dir.
func pathOf(dir string) string {
	if dir == "." {
		return module
	}
	return module + "/" + filepath.ToSlash(dir)
}

// TestMayImport: the rule refuses what the issue forbids.
func TestMayImport(t *testing.T) {
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"web", "app", true},
		{"web", "", true},
		{"web", "store", false},
		{"web", "csvfile", false},
		{"web", "report", false},
		{"app", "store", true},
		{"app", "calendar", true},
		{"app", "web", false},
		{"app", "cmd", false},
		{"store", "csvfile", false},
		{"csvfile", "calendar", false},
		{"report", "engine", false},
		{"engine", "scheme", false},
		{"demo", "csvfile", false},
		{"gen", "calendar", true},
		{"demo", "store", false},
		{"", "store", false},
		{"cmd", "web", true},
		{"web", "cmd", false},
	} {
		if ok, _ := mayImport(c.from, c.to); ok != c.ok {
			t.Errorf("%q may import %q: %v, want %v", c.from, c.to, ok, c.ok)
		}
	}
}
