package engine

import (
	"slices"
	"testing"
)

// TestGroupBy: each group holds its records in their order, and appending
// to one group never writes over the next one's records (they share one
// array).
func TestGroupBy(t *testing.T) {
	type rec struct{ key, id string }
	for _, c := range []struct {
		name string
		rs   []rec
		want map[string][]string
	}{
		{"none", nil, map[string][]string{}},
		{"one group", []rec{{"W1", "a"}, {"W1", "b"}}, map[string][]string{"W1": {"a", "b"}}},
		{"interleaved", []rec{{"W2", "a"}, {"W1", "b"}, {"W2", "c"}, {"W3", "d"}, {"W1", "e"}},
			map[string][]string{"W1": {"b", "e"}, "W2": {"a", "c"}, "W3": {"d"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := groupBy(c.rs, func(r *rec) string { return r.key })
			ids := func(g []*rec) []string {
				var out []string
				for _, r := range g {
					out = append(out, r.id)
				}
				return out
			}
			if len(got) != len(c.want) {
				t.Fatalf("%d groups, want %d", len(got), len(c.want))
			}
			for k, want := range c.want {
				if g := ids(got[k]); !slices.Equal(g, want) {
					t.Errorf("group %s = %q, want %q", k, g, want)
				}
				if got[k][0] != &c.rs[slices.IndexFunc(c.rs, func(r rec) bool { return r.id == want[0] })] {
					t.Errorf("group %s does not point into the records", k)
				}
			}
			extra := &rec{"X", "x"}
			for k := range got {
				_ = append(got[k], extra)
			}
			for k, want := range c.want {
				if g := ids(got[k]); !slices.Equal(g, want) {
					t.Errorf("after appending to every group, group %s = %q, want %q", k, g, want)
				}
			}
		})
	}
}
