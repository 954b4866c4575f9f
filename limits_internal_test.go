package gridscore

import (
	"slices"
	"strings"
	"testing"
)

// TestAtMost: a field with a MaxLength is refused one character over it,
// counted in characters, not bytes; a field without one takes any text.
func TestAtMost(t *testing.T) {
	maxLengths["test"] = map[string]int{"note": 3}
	defer delete(maxLengths, "test")
	for _, c := range []struct {
		field, v string
		want     FieldErrors
	}{
		{"note", "备注啊", nil},
		{"note", "备注啊!", FieldErrors{{Field: "note", Message: "不能超过 3 个字（现有 4 个字）"}}},
		{"title", strings.Repeat("长", 5000), nil},
	} {
		var es FieldErrors
		es.atMost("test", c.field, c.v)
		if !slices.Equal(es, c.want) {
			t.Errorf("atMost(%s, %q) = %v, want %v", c.field, c.v, es, c.want)
		}
	}
	if MaxLength("test", "note") != 3 || MaxLength("test", "title") != 0 {
		t.Errorf("MaxLength does not give the table's limits")
	}
}
