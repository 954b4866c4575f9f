package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/gen"
)

// assessedWorker is what the demo tests read of a worker's result.
type assessedWorker struct {
	WorkerID string   `json:"worker_id"`
	Eligible bool     `json:"eligible"`
	Total    *float64 `json:"total"`
}

// assessJSON runs `gridscore assess --format json` on db and returns the
// output and its workers.
func assessJSON(t *testing.T, db, quarter, asOf string) (string, []assessedWorker) {
	t.Helper()
	code, out, errOut := run(t, db, "assess", "--quarter", quarter, "--as-of", asOf, "--format", "json")
	if code != 0 {
		t.Fatalf("assess exit %d: %s", code, errOut)
	}
	var res struct {
		Workers []assessedWorker `json:"workers"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("assess output is not JSON: %v", err)
	}
	return out, res.Workers
}

func TestDemoLoadsQingshan(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "gs.db")
	code, out, errOut := run(t, db, "demo")
	if code != 0 {
		t.Fatalf("demo exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "青山镇") || !strings.Contains(out, "网格员 21 名") || !strings.Contains(out, `--as-of "2023-10-08 09:00:00"`) {
		t.Errorf("demo summary:\n%s", out)
	}
	_, workers := assessJSON(t, db, "2023Q3", "2023-10-08 09:00:00")
	if len(workers) != 21 {
		t.Errorf("%d workers assessed after demo, want the demo town's 21", len(workers))
	}
	// Loading the demo again changes nothing.
	if code, _, errOut := run(t, db, "demo"); code != 0 {
		t.Fatalf("second demo exit %d: %s", code, errOut)
	}
	if _, again := assessJSON(t, db, "2023Q3", "2023-10-08 09:00:00"); len(again) != 21 {
		t.Errorf("%d workers after loading the demo twice, want 21", len(again))
	}
}

// TestDemoGeneratedFilesAndStore generates 300 workers as files, imports
// them with `gridscore import` (which checks every row and reference), and
// compares the assessment with that of the same workers generated straight
// into another store: both ways store the same records.
func TestDemoGeneratedFilesAndStore(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "out")
	code, out, errOut := run(t, "", "demo", "--workers", "300", "--quarter", "2023Q3", "--seed", "4", "--out", dir)
	if code != 0 {
		t.Fatalf("demo --out exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "网格员 300 名") {
		t.Errorf("demo --out summary:\n%s", out)
	}
	viaFiles := filepath.Join(t.TempDir(), "files.db")
	if code, _, errOut := run(t, viaFiles, "import", dir); code != 0 {
		t.Fatalf("import of the generated files exit %d: %s", code, errOut)
	}
	fromFiles, workers := assessJSON(t, viaFiles, "2023Q3", "2023-10-08 09:00:00")
	if len(workers) != 300 {
		t.Fatalf("%d workers assessed, want 300", len(workers))
	}
	ineligible, below80 := 0, 0
	for _, w := range workers {
		switch {
		case !w.Eligible:
			ineligible++
		case *w.Total < 80:
			below80++
		}
	}
	if ineligible == 0 || below80 == 0 {
		t.Errorf("%d ineligible and %d below 80 of 300 generated workers; want some of each", ineligible, below80)
	}

	direct := filepath.Join(t.TempDir(), "direct.db")
	code, out, errOut = run(t, direct, "demo", "--workers", "300", "--seed", "4")
	if code != 0 {
		t.Fatalf("demo --workers exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "网格员 300 名") || !strings.Contains(out, "每秒") {
		t.Errorf("demo summary:\n%s", out)
	}
	if fromStore, _ := assessJSON(t, direct, "2023Q3", "2023-10-08 09:00:00"); fromStore != fromFiles {
		t.Error("the generated workers assess differently through files and straight into the store")
	}
}

// TestDemoFilesSeveralTowns writes two towns into one set of files and reads
// them back: one header per file, every record of both towns.
func TestDemoFilesSeveralTowns(t *testing.T) {
	t.Parallel()
	opts := gen.Options{Workers: 450, Quarter: gs.Quarter{Year: 2024, Q: 1}, Seed: 2}
	if gen.Towns(opts) < 2 {
		t.Fatalf("450 workers make %d town; the test needs two", gen.Towns(opts))
	}
	want := map[string]int{}
	if err := gen.Generate(opts, func(r *gs.Records) error {
		for _, k := range demoKinds {
			want[k.name] += k.count(r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	code, out, errOut := run(t, "", "demo", "--workers", "450", "--quarter", "2024Q1", "--seed", "2", "--out", dir)
	if code != 0 {
		t.Fatalf("demo --out exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "已写出 2/2 个镇街") {
		t.Errorf("progress on stderr:\n%s", errOut)
	}
	if !strings.Contains(out, "15 个 CSV 文件") {
		t.Errorf("summary:\n%s", out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "events.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(data), "事件编号"); n != 1 || !strings.HasPrefix(string(data), "\ufeff事件编号") || strings.Count(string(data), "\ufeff") != 1 {
		t.Errorf("events.csv has %d headers, want one after a single BOM", n)
	}
	b, err := csvfile.Read(dir)
	if err != nil {
		t.Fatalf("reading the generated files: %v", err)
	}
	got := map[string]int{}
	for _, k := range demoKinds {
		got[k.name] = k.count(&b.Records)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d records read back, %d generated", k, got[k], n)
		}
	}
	if err := b.CheckReferences(csvfile.Known{}); err != nil {
		t.Errorf("references of the generated files: %v", err)
	}
}

func TestDemoRejectsBadArguments(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "events.csv"), []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no workers", []string{"--workers", "0"}, 2, "--workers 应为正整数"},
		{"negative workers", []string{"--workers", "-5"}, 2, "--workers 应为正整数"},
		{"bad quarter", []string{"--workers", "10", "--quarter", "2023Q5"}, 2, "季度格式"},
		{"demo town in another quarter", []string{"--quarter", "2024Q1"}, 2, "只有 2023Q3"},
		{"extra argument", []string{"--workers", "10", "extra"}, 2, "多余的参数"},
		{"files and a store", []string{"--workers", "10", "--out", t.TempDir(), "--db", "x.db"}, 2, "--out"},
		{"folder with data", []string{"--workers", "10", "--out", full}, 1, "已有 events.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "gs.db")
			code, _, errOut := run(t, db, append([]string{"demo"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.code, tt.want)
			}
		})
	}
}
