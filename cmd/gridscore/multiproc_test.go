package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestMain lets the test binary stand in for the gridscore program, so that
// tests can run several real gridscore processes against one store. It
// stops the Chromium the end-to-end tests shared, if they started it.
func TestMain(m *testing.M) {
	if os.Getenv("GRIDSCORE_TEST_AS_MAIN") == "1" {
		main()
		return
	}
	code := m.Run()
	stopChromium()
	os.Exit(code)
}

// process runs gridscore as a separate process.
func process(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "GRIDSCORE_TEST_AS_MAIN=1", "GRIDSCORE_DB=", "GRIDSCORE_DSN=")
	return cmd
}

// Two gridscore processes importing the same quarter into one store at the
// same time, then assessing it at the same time, store every row exactly
// once and give identical results — on SQLite and on PostgreSQL.
func TestTwoProcessesOneStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts several processes")
	}
	dir := "../../demo/" + demo.Dir
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			target := b.Target(t)
			flag := "--db"
			if strings.HasPrefix(target, "postgres") {
				flag = "--dsn"
			}
			runBoth := func(args ...string) [2]string {
				var wg sync.WaitGroup
				var outs [2]string
				for i := range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						cmd := process(t, args...)
						var out, errOut bytes.Buffer
						cmd.Stdout, cmd.Stderr = &out, &errOut
						if err := cmd.Run(); err != nil {
							t.Errorf("process %d: gridscore %v: %v\n%s", i, args, err, errOut.String())
						}
						outs[i] = out.String()
					}()
				}
				wg.Wait()
				return outs
			}
			runBoth("import", flag, target, dir)
			outs := runBoth("assess", flag, target, "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
			if outs[0] == "" || outs[0] != outs[1] {
				t.Fatalf("the two processes' assessments differ")
			}

			db, err := store.Open(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			counts, err := db.Counts(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			recs := demo.Town(1)
			want := map[string]int{"workers": len(recs.Workers), "events": len(recs.Events), "logins": len(recs.Logins),
				"patrols": len(recs.Patrols), "visits": len(recs.Visits), "ballots": len(recs.Ballots)}
			for kind, n := range want {
				if counts[kind] != int64(n) {
					t.Errorf("%s: %d rows stored, want each of the %d exactly once", kind, counts[kind], n)
				}
			}
			// And the result equals a single process's on a store of its own.
			single := b.Target(t)
			if code, _, errOut := run(t, "", "import", flag, single, dir); code != 0 {
				t.Fatal(errOut)
			}
			_, alone, _ := run(t, "", "assess", flag, single, "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
			if alone != outs[0] {
				t.Errorf("two processes on one store differ from one process alone")
			}
		})
	}
}
