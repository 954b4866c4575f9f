package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/report"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store/storetest"
)

// The README's demo, through the real command line on every store, gives
// exactly what the engine gives on the generator's records in memory: the
// store loses nothing on the way.
func TestDemoTownOnEveryStore(t *testing.T) {
	recs := demo.Town(1)
	s := scheme.Default()
	want := engine.Assess(engine.Input{Scheme: &s, Calendar: calendar.New(recs.Calendar), Records: recs, Quarter: demo.Quarter(), AsOf: demo.AsOf()})
	var wantJSON bytes.Buffer
	if err := report.WriteJSON(&wantJSON, want); err != nil {
		t.Fatal(err)
	}
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			target := b.Target(t)
			flag := "--db"
			if strings.HasPrefix(target, "postgres") {
				flag = "--dsn"
			}
			if code, _, errOut := run(t, "", "import", flag, target, "../../demo/"+demo.Dir); code != 0 {
				t.Fatalf("import: %s", errOut)
			}
			code, got, errOut := run(t, "", "assess", flag, target, "--quarter", "2023Q3", "--as-of", "2023-10-08 09:00:00", "--format", "json")
			if code != 0 {
				t.Fatalf("assess: %s", errOut)
			}
			if got != wantJSON.String() {
				t.Errorf("assessment through the %s store differs from the engine's on the generated records", b.Name)
			}
		})
	}
}
