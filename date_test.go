package gridscore_test

import (
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	t.Parallel()
	cases := []struct {
		from   gs.Date
		months int
		want   string
	}{
		{gs.NewDate(2023, 8, 31), 6, "2024-02-29"},
		{gs.NewDate(2022, 8, 31), 6, "2023-02-28"},
		{gs.NewDate(2023, 3, 31), 6, "2023-09-30"},
		{gs.NewDate(2023, 1, 15), 6, "2023-07-15"},
		{gs.NewDate(2023, 12, 31), 2, "2024-02-29"},
		{gs.NewDate(2023, 7, 1), -1, "2023-06-01"},
	}
	for _, c := range cases {
		if got := c.from.AddMonths(c.months).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.months, got, c.want)
		}
	}
}

func TestDateOfIsTheCSTDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2023, 7, 3, 23, 59, 59, 0, gs.CST), "2023-07-03"},
		{time.Date(2023, 7, 4, 0, 0, 0, 0, gs.CST), "2023-07-04"},
		{time.Date(2023, 7, 3, 16, 0, 0, 0, time.UTC), "2023-07-04"}, // 00:00 CST
		{time.Date(2023, 7, 3, 15, 59, 0, 0, time.UTC), "2023-07-03"},
		{time.Date(1969, 12, 31, 15, 0, 0, 0, time.UTC), "1969-12-31"},
	}
	for _, c := range cases {
		if got := gs.DateOf(c.at).String(); got != c.want {
			t.Errorf("DateOf(%s) = %s, want %s", c.at, got, c.want)
		}
	}
	d := gs.NewDate(2023, 7, 3)
	if d.Start() != time.Date(2023, 7, 3, 0, 0, 0, 0, gs.CST) || !d.End().Equal(time.Date(2023, 7, 4, 0, 0, 0, 0, gs.CST)) {
		t.Errorf("Start/End of %s: %s %s", d, d.Start(), d.End())
	}
	if gs.Date(0).String() != "" || !gs.Date(0).IsZero() {
		t.Error("zero Date must print empty and be zero")
	}
}

func TestParseQuarter(t *testing.T) {
	t.Parallel()
	q, err := gs.ParseQuarter("2023Q3")
	if err != nil || q.First().String() != "2023-07-01" || q.Last().String() != "2023-09-30" || q.String() != "2023Q3" {
		t.Errorf("2023Q3 → %v %v", q, err)
	}
	for _, bad := range []string{"2023Q5", "2023Q0", "2023-3", "23Q3", "2023Q3x", ""} {
		if _, err := gs.ParseQuarter(bad); err == nil {
			t.Errorf("ParseQuarter(%q) accepted", bad)
		}
	}
}

func TestHundredthsAreExact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{"200": 20000, "0.5": 50, "0.29": 29, "1234.57": 123457, "0.10": 10, ".5": 50, "-1.5": -150} {
		if got, ok := gs.ParseHundredths(in); !ok || got != want {
			t.Errorf("ParseHundredths(%q) = %d %v, want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "1.234", "abc", "1e3", "1.2.3", "."} {
		if _, ok := gs.ParseHundredths(bad); ok {
			t.Errorf("ParseHundredths(%q) accepted", bad)
		}
	}
	if s := gs.Points(8750).String(); s != "87.5" {
		t.Errorf("87.50 points print %s", s)
	}
	if s := gs.Points(2200).String(); s != "22" {
		t.Errorf("22.00 points print %s", s)
	}
	if s := gs.Points(-50).String(); s != "-0.5" {
		t.Errorf("-0.50 points print %s", s)
	}
	if s := gs.Fen(52500).String(); s != "525.00" {
		t.Errorf("525 yuan prints %s", s)
	}
	if s := gs.Fen(5).String(); s != "0.05" {
		t.Errorf("5 fen prints %s", s)
	}
}

func TestMasking(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"张三": "张*", "欧阳小明": "欧***", "李": "李", "": ""} {
		if got := gs.MaskName(in); got != want {
			t.Errorf("MaskName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"110101199001011234": "110101********1234", "12345": "*****"} {
		if got := gs.MaskIDNumber(in); got != want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
