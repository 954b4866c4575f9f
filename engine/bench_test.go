package engine_test

import (
	"fmt"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/scheme"
)

// benchTown builds a town of n workers, each with a full quarter of records
// (about 170 events, 64 logins, 128 patrols, a ballot), two special-population
// persons per grid with monthly visits, and a few findings.
func benchTown(n int) *gs.Records {
	r := &gs.Records{}
	for i := 0; i < n; i++ {
		id, grid := fmt.Sprintf("W%04d", i), fmt.Sprintf("G%04d", i)
		r.Grids = append(r.Grids, gs.Grid{Code: grid, Town: "XX镇"})
		r.Workers = append(r.Workers, gs.Worker{ID: id, Name: "网格员", Type: gs.FullTime, Stationed: i%5 == 0, GridCode: grid, HiredOn: day("2020-01-01")})
		addPerfectWork(r, id, "2023Q3", nil)
		for k := 0; k < 2; k++ {
			p := fmt.Sprintf("P%04d-%d", i, k)
			r.Register = append(r.Register, gs.Person{PersonID: p, Category: gs.CategoryDrug, GridCode: grid, EnteredAt: ts("2023-01-01 10:00")})
			for _, m := range []string{"07", "08", "09"} {
				r.Visits = append(r.Visits, gs.Visit{ID: p + m, PersonID: p, WorkerID: id, VisitedAt: ts("2023-" + m + "-12 10:00")})
			}
		}
		r.Findings = append(r.Findings, gs.Finding{ID: "F" + id, WorkerID: id, Kind: gs.FindingPhone, OccurredOn: day("2023-08-01"), Count: 1})
	}
	return r
}

// BenchmarkAssess200 measures the engine alone on a 200-worker town quarter
// (records already in memory; the README reports the figure).
func BenchmarkAssess200(b *testing.B) {
	r := benchTown(200)
	s := scheme.Default()
	in := engine.Input{Scheme: &s, Calendar: calendar.New(nil), Records: r, Quarter: quarterOf("2023Q3"), AsOf: ts("2023-10-08 09:00")}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		res := engine.Assess(in)
		if len(res.Workers) != 200 {
			b.Fatal("workers missing")
		}
	}
}
