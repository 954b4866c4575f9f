package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/demo"
)

// evidenceHref finds the links of a deduction's evidence and period.
var evidenceHref = regexp.MustCompile(`<div class="ded-evidence(?: ded-period)?">(?:[^<]|<(?:a|/a|code|/code)[^>]*>)*`)
var hrefOf = regexp.MustCompile(`href="([^"]+)"(?:><code>([^<]+)</code>)?`)

// TestDeductionsLinkTheirRecords: every deduction on a worker's page links
// the records it rests on, and every link opens a page that shows that
// record: for the administrator on every demo worker's page, and for a grid
// worker on their own.
func TestDeductionsLinkTheirRecords(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin, worker := f.login("admin"), f.login("QS013")
	kinds := map[string]bool{}
	check := func(who, token, page string) (links int) {
		t.Helper()
		res, body := f.get(page, token)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s %s: status %d", who, page, res.StatusCode)
		}
		for _, block := range evidenceHref.FindAllString(body, -1) {
			for _, m := range hrefOf.FindAllStringSubmatch(block, -1) {
				href, id := html.UnescapeString(m[1]), html.UnescapeString(m[2])
				links++
				u, _ := url.Parse(href)
				kinds[strings.Split(strings.TrimPrefix(u.Path, "/records/"), "/")[0]] = true
				res, got := f.get(href, token)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: %s links %s: status %d", who, page, href, res.StatusCode)
					continue
				}
				if id != "" && !strings.Contains(got, ">"+id+"<") && !strings.Contains(got, `value="`+id+`"`) {
					t.Errorf("%s: %s links %s, which does not show %s", who, page, href, id)
				}
				if id != "" && strings.Contains(got, "共 0 条") {
					t.Errorf("%s: %s links %s, an empty list", who, page, href)
				}
			}
		}
		return links
	}
	total := 0
	for _, w := range demo.Town(1).Workers {
		total += check("admin", admin, "/workers/"+w.ID)
	}
	if total < 20 {
		t.Fatalf("only %d evidence links on the demo town's pages", total)
	}
	for _, k := range []string{"events", "findings", "register", "logins", "patrols", "meetings", "quiz"} {
		if !kinds[k] {
			t.Errorf("no deduction of the demo town links %s", k)
		}
	}
	if n := check("QS013", worker, "/workers/QS013"); n == 0 {
		t.Error("QS013's own deductions link no records")
	}
}
