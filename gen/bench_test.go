package gen

import (
	"testing"

	gs "github.com/gridscore/gridscore"
)

// BenchmarkGenerate generates a district of 5,000 workers per iteration and
// reports the rows generated per second.
//
//	go test -run XXX -bench Generate ./gen/
func BenchmarkGenerate(b *testing.B) {
	opts := Options{Workers: 5000, Quarter: gs.Quarter{Year: 2023, Q: 3}, Seed: 1}
	rows := 0
	for b.Loop() {
		if err := Generate(opts, func(r *gs.Records) error {
			rows += Rows(r)
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
}
