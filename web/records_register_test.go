package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRegisterListsWhoWasRegisteredInThePeriod: the special-population
// register filtered by dates lists the persons on it during those dates
// (entered before their end, not left before their start), not only those
// entered within them: a grid worker opening 特殊人群 on the quarter saw
// "共 0 条" though two persons of their grid are on the register.
func TestRegisterListsWhoWasRegisteredInThePeriod(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		for _, c := range []struct {
			who, query string
			want, not  []string
		}{
			// QS-01's two persons, entered in 2022 and 2019.
			{"QS001", "", []string{"TS0001", "TS0002", "共 2 条", "在册"}, nil},
			// TS0030 left on 2023-08-15: on the register in July, not in September.
			{"admin", "?grid=QS-09&from=2023-07-01&to=2023-07-31", []string{"TS0030"}, nil},
			{"admin", "?grid=QS-09&from=2023-09-01&to=2023-09-30", nil, []string{"TS0030"}},
			// TS0052 entered on 2023-08-25: not yet on the register in July.
			{"staff", "?grid=QS-16&from=2023-07-01&to=2023-07-31", nil, []string{"TS0052"}},
			{"staff", "?grid=QS-16&from=2023-08-25&to=2023-08-25", []string{"TS0052"}, nil},
		} {
			res, body := f.get("/records/register"+c.query, f.login(c.who))
			if res.StatusCode != http.StatusOK {
				t.Fatalf("%s /records/register%s: status %d", c.who, c.query, res.StatusCode)
			}
			for _, w := range c.want {
				if !strings.Contains(body, w) {
					t.Errorf("%s /records/register%s: %q missing", c.who, c.query, w)
				}
			}
			for _, w := range c.not {
				if strings.Contains(tableOf(body), w) {
					t.Errorf("%s /records/register%s: %q listed", c.who, c.query, w)
				}
			}
		}
	})
}
