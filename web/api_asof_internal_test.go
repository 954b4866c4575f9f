package web

import (
	"net/http/httptest"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestAPIAsOfForms: the API's ?as_of= takes what the command line's
// --as-of takes (DATA.md §2: every timestamp form of §1, and a date alone),
// and the documented 2023-10-08T09:00:00+08:00 written into a URL as it
// stands, whose '+' the query decodes to a space.
func TestAPIAsOfForms(t *testing.T) {
	nine := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
	for _, c := range []struct {
		query string
		want  time.Time // zero: refused
	}{
		{"2023-10-08T09:00:00+08:00", nine},
		{"2023-10-08T09:00:00%2B08:00", nine},
		{"2023-10-08T01:00:00Z", nine},
		{"2023-10-08T10:00:00%2B09:00", nine},
		{"2023-10-08T10:00:00+0900", nine},
		{"2023-10-08T09:00", nine},
		{"2023-10-08+09:00:00", nine},
		{"2023/10/8%209:00", nine},
		{"2023/10/8%209:00:00", nine},
		{"2023年10月8日%209:00", nine},
		{"2023年10月8日%2009:00:00", nine},
		{"2023-10-08%2009:00", nine},
		{"2023-10-08", time.Date(2023, 10, 8, 0, 0, 0, 0, gs.CST)},
		{"2023-10-08T09:00:00%20CST", time.Time{}},
		{"tomorrow", time.Time{}},
		{"2023-13-01", time.Time{}},
	} {
		r := httptest.NewRequest("GET", "/api/v1/warnings?as_of="+c.query, nil)
		got, given, err := apiAsOf(r)
		switch {
		case c.want.IsZero() && gs.ErrorCode(err) != gs.EINVALID:
			t.Errorf("as_of=%s: %v, %v; want refused", c.query, got, err)
		case !c.want.IsZero() && (err != nil || !given || !got.Equal(c.want)):
			t.Errorf("as_of=%s: %v, %v; want %v", c.query, got, err, c.want)
		}
	}
}
