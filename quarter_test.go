package gridscore_test

import (
	"encoding/json"
	"testing"

	gs "github.com/gridscore/gridscore"
)

// A stored snapshot is a WorkerResult through JSON and back: the amounts
// come back exactly.
func TestWorkerResultJSONRoundTrip(t *testing.T) {
	total, rank := gs.Points(8725), 3
	in := gs.WorkerResult{WorkerID: "QS001", Eligible: true, Total: &total, Rank: &rank, Pay: 52350,
		Categories: &gs.CategoryScores{Info: 500, Events: 2650, KeyWork: 3000, Discipline: 1075, Satisfaction: 1500},
		Deductions: []gs.Deduction{{Rule: gs.RuleDisciplineLogin, Period: "2023-07", Count: 1, Points: 25, Evidence: []string{"a", "b"}}}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out gs.WorkerResult
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if *out.Total != total || out.Pay != 52350 || *out.Categories != *in.Categories || out.Deductions[0].Points != 25 ||
		gs.RefOf("QS001", out.Deductions[0]) != gs.RefOf("QS001", in.Deductions[0]) {
		t.Errorf("round trip changed the result: %s → %+v", b, out)
	}
	var p gs.Points
	if err := json.Unmarshal([]byte(`1.234`), &p); err == nil {
		t.Errorf("three decimals accepted as %v", p)
	}
}
