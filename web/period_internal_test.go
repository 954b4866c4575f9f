package web

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestMomentForms: a page's as_of (parseAsOf) takes what the survey's
// window fields take (parseMoment: a datetime-local value, or typed with a
// space, with or without seconds) and also a bare date, the start of that
// day; the survey's fields take no bare date.
func TestMomentForms(t *testing.T) {
	at := func(d, h, m, s int) time.Time { return time.Date(2023, 10, d, h, m, s, 0, gs.CST) }
	for _, c := range []struct {
		in       string
		want     time.Time
		asOf, ok bool // read by parseAsOf, by parseMoment
	}{
		{"2023-10-08T09:00", at(8, 9, 0, 0), true, true},
		{"2023-10-08T09:00:30", at(8, 9, 0, 30), true, true},
		{"2023-10-08 09:00", at(8, 9, 0, 0), true, true},
		{"2023-10-08 09:00:30", at(8, 9, 0, 30), true, true},
		{"2023-10-08", at(8, 0, 0, 0), true, false},
		{"2023/10/08", time.Time{}, false, false},
		{"明天", time.Time{}, false, false},
	} {
		got, ok := parseAsOf(c.in)
		if ok != c.asOf || ok && !got.Equal(c.want) {
			t.Errorf("parseAsOf(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.asOf)
		}
		got, err := parseMoment(c.in)
		if (err == nil) != c.ok || err == nil && !got.Equal(c.want) {
			t.Errorf("parseMoment(%q) = %v, %v; want %v, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}
