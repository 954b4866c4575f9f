package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
)

// TestDashboardSaysNoRecords: a quarter with no record of the town's work
// (the demo's 2023Q2, where every worker scores 40) is headed by a notice
// that nothing was imported, for the town's center and the district; the
// demo's 2023Q3, which has records, is not.
func TestDashboardSaysNoRecords(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const notice = "本季度没有导入任何记录，以下得分按无记录计算，仅供参考。"
	town := "/towns/" + url.PathEscape(demo.TownName)
	for _, user := range []string{"admin", "district"} {
		token := f.login(user)
		if _, body := f.get(town+"?quarter=2023Q2", token); !strings.Contains(body, notice) {
			t.Errorf("%s: the dashboard of 2023Q2, without records, does not say %s", user, notice)
		}
		if _, body := f.get(town+"?quarter=2023Q3", token); strings.Contains(body, notice) {
			t.Errorf("%s: the dashboard of 2023Q3, with records, says %s", user, notice)
		}
	}
	// A quarter with only a survey's ballots has records: its satisfaction
	// scores rest on them.
	ballot := gs.Ballot{ID: "B-Q2-1", WorkerID: "QS013", RaterGroup: gs.RaterResident, Rating: gs.RatingSatisfied,
		CastAt: time.Date(2023, 6, 10, 10, 0, 0, 0, gs.CST)}
	if _, err := f.db.Import(context.Background(), &gs.Records{Ballots: []gs.Ballot{ballot}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(town+"?quarter=2023Q2", f.login("admin")); strings.Contains(body, notice) {
		t.Errorf("the dashboard of 2023Q2 with a ballot says %s", notice)
	}
}
