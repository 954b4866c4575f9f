package web_test

import (
	"net/url"
	"regexp"
	"testing"
)

// TestDeductionFormOfNoDeductionSaysWhy: an appeal or a void posted about a
// deduction the page no longer lists (recomputed meanwhile, or the fields
// left out) is answered with the worker's page and the reason at its top,
// not a 400 page that says nothing.
func TestDeductionFormOfNoDeductionSaysWhy(t *testing.T) {
	f := newFixture(t)
	f.publishDemo(t)
	gone := url.Values{"rule": {"R1.9"}, "period": {"2023-07"}, "evidence": {"nothing"}, "reason": {"当天停电"}}
	for _, c := range []struct {
		who, path string
		form      url.Values
	}{
		{"QS013", "/workers/QS013/appeals", gone},
		{"QS013", "/workers/QS013/appeals", url.Values{}},
		{"staff", "/workers/QS013/void", gone},
		{"staff", "/workers/QS013/void", url.Values{}},
	} {
		res, body := f.post(c.path, c.form, f.login(c.who))
		main := regexp.MustCompile(`(?s)<main.*</main>`).FindString(body)
		if res.StatusCode < 400 || res.StatusCode >= 500 || !regexp.MustCompile(`role="alert">[^<]*[\p{Han}]`).MatchString(main) {
			t.Errorf("%s posts %s %s: status %d, no message shown\n%s", c.who, c.path, c.form.Encode(), res.StatusCode, main)
		}
	}
}
