package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestWorkerWaitsForPublication: while the center reviews a computed
// quarter a grid worker sees no score of it — not on their quarter's page,
// not in their history — only that it is under review; from publication
// they see their result.
func TestWorkerWaitsForPublication(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	staff, worker := f.login("staff"), f.login("QS013")
	town := "/towns/" + url.PathEscape("青山镇") + "/quarter/"
	if res, body := f.post(town+"compute", url.Values{"as_of": {clock.Format("2006-01-02T15:04")}}, staff); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("compute: status %d\n%s", res.StatusCode, body)
	}
	res, body := f.get("/workers/QS013", worker)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "审核") || strings.Contains(body, "438.00") || strings.Contains(body, "ded-rule") {
		t.Errorf("QS013 during review: status %d, want a notice without scores\n%s", res.StatusCode, body)
	}
	if _, body := f.get("/workers/QS013/history", worker); strings.Contains(body, "438.00") {
		t.Error("QS013's history shows the quarter under review")
	}
	if res, _ := f.get("/workers/QS013", staff); res.StatusCode != http.StatusOK {
		t.Errorf("the center cannot review QS013: status %d", res.StatusCode)
	}
	if res, body := f.post(town+"publish", url.Values{"confirm": {"yes"}}, staff); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: status %d\n%s", res.StatusCode, body)
	}
	if _, body := f.get("/workers/QS013", worker); !strings.Contains(body, "438.00") || !strings.Contains(body, "ded-rule") {
		t.Error("QS013 does not see their published result")
	}
}

// TestSatisfactionSaysWhatItRestsOn: the 满意率 card says how many ballots
// of each rater group and rating the score rests on.
func TestSatisfactionSaysWhatItRestsOn(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, who := range []string{"QS013", "staff"} {
		_, body := f.get("/workers/QS013", f.login(who))
		if want := "依据本季度 20 份满意度评价：干部 5 份（满意 4、不满意 1），群众 15 份（满意 13、基本满意 2）。"; !strings.Contains(body, want) {
			t.Errorf("%s: the satisfaction card does not say %s", who, want)
		}
	}
}
