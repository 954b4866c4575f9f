//go:build linux

package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestAssessOutToPipeAndLink writes the result to a named pipe (as to
// /dev/null or /dev/stdout) and through a symbolic link: the pipe must stay
// a pipe and receive the result, and the link must stay a link to the new
// result, instead of either being replaced by a file.
func TestAssessOutToPipeAndLink(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "import", writeFiles(t, smallTown(t))); code != 0 {
		t.Fatal(errOut)
	}
	dir := t.TempDir()

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	got := make(chan []byte, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens it
		if err != nil {
			got <- nil
			return
		}
		defer f.Close()
		b, _ := io.ReadAll(f)
		got <- b
	}()
	if code, _, errOut := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00", "--format", "json", "--out", fifo); code != 0 {
		t.Fatal(errOut)
	}
	var res struct {
		Workers []struct {
			WorkerID string `json:"worker_id"`
		} `json:"workers"`
	}
	select {
	case b := <-got:
		if json.Unmarshal(b, &res) != nil || len(res.Workers) != 2 {
			t.Errorf("the pipe's reader got %d bytes, not the two workers' result", len(b))
		}
	case <-time.After(10 * time.Second):
		t.Error("nothing was written to the pipe")
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close() // lets the reader go
		}
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the named pipe was replaced: %v %v", fi.Mode(), err)
	}

	target := filepath.Join(dir, "result.json")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "latest.json")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00", "--format", "json", "--out", link); code != 0 {
		t.Fatal(errOut)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(target); json.Unmarshal(b, &res) != nil || len(res.Workers) != 2 {
		t.Errorf("the linked file holds %q, not the result", b)
	}
}

// TestAssessOutPermissions checks the result file's permissions: a new file
// gets what any new file gets under the umask (not the 0600 of a temporary
// file), and a file replaced keeps its own.
func TestAssessOutPermissions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "gs.db")
	if code, _, errOut := run(t, db, "import", writeFiles(t, smallTown(t))); code != 0 {
		t.Fatal(errOut)
	}
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	assess := func(out string) os.FileMode {
		t.Helper()
		if code, _, errOut := run(t, db, "assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00", "--format", "json", "--out", out); code != 0 {
			t.Fatal(errOut)
		}
		fi, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	if got := assess(filepath.Join(dir, "new.json")); got != 0o644 {
		t.Errorf("a new result file has mode %v, want -rw-r--r--", got)
	}
	kept := filepath.Join(dir, "kept.json")
	if err := os.WriteFile(kept, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(kept, 0o640); err != nil {
		t.Fatal(err)
	}
	if got := assess(kept); got != 0o640 {
		t.Errorf("a replaced result file has mode %v, want its own -rw-r-----", got)
	}
}
