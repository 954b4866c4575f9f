package csvfile

import (
	"testing"

	"github.com/gridscore/gridscore"
)

// TestKeyColumnsInColumnOrder: Columns marks the key by a flag, so the
// key's columns must come in the order of the kind's columns (a form
// matches a record's key to its columns that way).
func TestKeyColumnsInColumnOrder(t *testing.T) {
	for _, k := range kinds {
		var inKey []string
		for _, c := range Columns(k.name) {
			if c.InKey {
				inKey = append(inKey, c.Key)
			}
		}
		if len(inKey) != len(k.keyCols) {
			t.Errorf("%s: key columns %v, want %d", k.name, inKey, len(k.keyCols))
			continue
		}
		for i, c := range k.keyCols {
			if inKey[i] != c.key {
				t.Errorf("%s: key column %d is %s, column order gives %s", k.name, i, c.key, inKey[i])
			}
		}
	}
}

// TestValuesByKey: Values gives a record's cells as the export writes
// them, by key; nothing for a record that is not there.
func TestValuesByKey(t *testing.T) {
	recs := &gridscore.Records{Findings: []gridscore.Finding{{ID: "F1", WorkerID: "W1", Kind: gridscore.FindingKinds[0],
		OccurredOn: gridscore.NewDate(2023, 9, 4), Count: 2, Note: "说明", Evidence: "照片"}}}
	got := Values("findings", recs, 0)
	want := map[string]string{"finding_id": "F1", "worker_id": "W1", "kind": findingKinds.label(string(gridscore.FindingKinds[0])),
		"occurred_on": "2023-09-04", "count": "2", "note": "说明", "evidence": "照片"}
	if len(got) != len(want) {
		t.Fatalf("Values = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("Values[%s] = %q, want %q", k, got[k], v)
		}
	}
	if v := Values("findings", recs, 1); v != nil {
		t.Errorf("Values of a missing record = %v", v)
	}
	if v := Values("no such kind", recs, 0); v != nil {
		t.Errorf("Values of an unknown kind = %v", v)
	}
}
