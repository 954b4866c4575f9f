package app

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFilesSize checks the size that decides whether an import is large:
// files given by name and files anywhere inside a folder count, a missing
// path counts nothing.
func TestFilesSize(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	one := write("events.csv", 100)
	write("quarter/workers.csv", 20)
	write("quarter/more/logins.csv", 3)
	for _, c := range []struct {
		paths []string
		want  int64
	}{
		{[]string{one}, 100},
		{[]string{filepath.Join(dir, "quarter")}, 23},
		{[]string{one, filepath.Join(dir, "quarter"), filepath.Join(dir, "missing.csv")}, 123},
		{nil, 0},
	} {
		if got := filesSize(c.paths); got != c.want {
			t.Errorf("filesSize(%v) = %d, want %d", c.paths, got, c.want)
		}
	}
}
