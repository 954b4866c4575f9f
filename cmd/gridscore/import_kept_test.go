package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestImportKeepsTheQuarterAssessed: an import of a quarter that is over
// computes its results and says so; `gridscore assess` then reads them and
// gives, as of a week after the quarter, as JSON and as a table, exactly
// what `assess --recompute` computes from the records. With --assess=false
// the import computes nothing; assess computes and keeps the result, and
// the next one reads it. A bad scheme file imports nothing, not even the
// database file.
func TestImportKeepsTheQuarterAssessed(t *testing.T) {
	dir := t.TempDir()
	if code, out, errOut := run(t, filepath.Join(dir, "unused.db"), "demo", "--workers", "12", "--seed", "3", "--out", filepath.Join(dir, "files")); code != 0 {
		t.Fatalf("demo exit %d: %s%s", code, out, errOut)
	}
	files := filepath.Join(dir, "files")
	// assessBoth assesses as of a week after the quarter (the import's
	// moment is later: run's clock says 8 October 17:00), from the kept
	// results when kept says so (the command's steps tell: GRIDSCORE_STEPS),
	// and computed again.
	assessBoth := func(db string, kept bool, args ...string) {
		t.Helper()
		base := append([]string{"assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 00:00:00"}, args...)
		var out, errOut bytes.Buffer
		m := &Main{Stdout: &out, Stderr: &errOut, Now: func() time.Time { return time.Date(2023, 10, 8, 9, 0, 0, 0, time.UTC) },
			Getenv: func(k string) string {
				switch k {
				case "GRIDSCORE_DB":
					return db
				case stepsEnv:
					return strconv.FormatInt(time.Now().UnixNano(), 10)
				}
				return ""
			}}
		if code := m.Run(context.Background(), base); code != 0 {
			t.Fatalf("assess %v exit %d: %s", args, code, errOut.String())
		}
		if read := strings.Contains(errOut.String(), "读取结果="); read != kept {
			t.Errorf("assess %v read kept results: %v, want %v:\n%s", args, read, kept, errOut.String())
		}
		code, fresh, errOut2 := run(t, db, append(base, "--recompute")...)
		if code != 0 {
			t.Fatalf("assess --recompute %v exit %d: %s", args, code, errOut2)
		}
		if kept := out.String(); kept == "" || kept != fresh {
			t.Errorf("assess %v differs from assess --recompute:\n%.400s\n---\n%.400s", args, kept, fresh)
		}
	}

	db := filepath.Join(dir, "kept.db")
	code, out, errOut := run(t, db, "import", files)
	if code != 0 {
		t.Fatalf("import exit %d: %s%s", code, out, errOut)
	}
	if !strings.Contains(out, "已计算 2023Q3 考核结果并保存") || !strings.Contains(errOut, "正在计算 2023Q3 考核结果") {
		t.Errorf("the import does not say it computed 2023Q3:\n%s%s", out, errOut)
	}
	if strings.Contains(out, "2023Q4") {
		t.Errorf("the import computed a quarter its records do not belong to:\n%s", out)
	}
	assessBoth(db, true, "--format", "json")
	assessBoth(db, true, "--format", "table")

	plain := filepath.Join(dir, "plain.db")
	code, out, errOut = run(t, plain, "import", "--assess=false", files)
	if code != 0 || strings.Contains(out+errOut, "计算") {
		t.Errorf("import --assess=false exit %d:\n%s%s", code, out, errOut)
	}
	assessBoth(plain, false, "--format", "json") // computed, then kept
	assessBoth(plain, true, "--format", "json")

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("id: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if code, out, errOut := run(t, empty, "import", "--scheme", bad, files); code == 0 || strings.Contains(out, "导入成功") || !strings.Contains(errOut, "bad.yaml") {
		t.Errorf("an import with a bad scheme file: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("an import with a bad scheme file made the database file (%v)", err)
	}
}

// TestImportAtExitLeavesACompleteFile: an import run as the real command
// runs it (the process ends next, so the store is not closed but
// checkpointed) leaves a database file that holds every record by itself:
// a copy of the .db file alone, as someone backing it up would take,
// assesses as the store does.
func TestImportAtExitLeavesACompleteFile(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := run(t, filepath.Join(dir, "unused.db"), "demo", "--workers", "8", "--seed", "5", "--out", filepath.Join(dir, "files")); code != 0 {
		t.Fatalf("demo: %s", errOut)
	}
	db := filepath.Join(dir, "exits.db")
	var out, errOut bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errOut, Now: func() time.Time { return time.Date(2023, 10, 8, 9, 0, 0, 0, time.UTC) },
		Getenv: func(k string) string {
			if k == "GRIDSCORE_DB" {
				return db
			}
			return ""
		}, Exits: true}
	if code := m.Run(context.Background(), []string{"import", filepath.Join(dir, "files")}); code != 0 || strings.Contains(errOut.String(), "注意") {
		t.Fatalf("import exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	copied := filepath.Join(dir, "copy.db")
	if err := os.WriteFile(copied, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"assess", "--quarter", "2023Q3", "--as-of", "2023-10-08 00:00:00", "--format", "json", "--recompute"}
	_, want, _ := run(t, db, args...)
	code, got, errText := run(t, copied, args...)
	if code != 0 || got != want || !strings.Contains(got, "worker_id") {
		t.Errorf("the copied file assesses otherwise (exit %d, %s):\n%.300s\n---\n%.300s", code, errText, got, want)
	}
}
