package report

import "testing"

// TestPrintedEvidence: the printed list names a warning's records in full
// up to three, and beyond that the first three and how many in all (a
// month's quota rests on every event so far).
func TestPrintedEvidence(t *testing.T) {
	for _, c := range []struct {
		ids  []string
		want string
	}{
		{nil, ""},
		{[]string{"TS0001"}, "TS0001"},
		{[]string{"A", "B", "C"}, "A、B、C"},
		{[]string{"A", "B", "C", "D"}, "A、B、C 等共 4 条"},
	} {
		if got := printedEvidence(c.ids); got != c.want {
			t.Errorf("printedEvidence(%v) = %q, want %q", c.ids, got, c.want)
		}
	}
}
