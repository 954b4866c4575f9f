package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
)

// TestAuditObjectsInChinese: the operation log names what each entry
// concerns in Chinese (账号 admin, 网格员 QS009 · 请假 …, 青山镇 2023年第3季度),
// not the log's internal keys such as user:admin or worker:QS009/leaves:….
func TestAuditObjectsInChinese(t *testing.T) {
	f := newFixture(t)
	admin := f.login("admin")
	ctx := app.WithActor(context.Background(), "admin")
	if err := f.server.Service.Compute(ctx, f.user("admin"), demo.TownName, demo.Quarter(), demo.AsOf()); err != nil {
		t.Fatal(err)
	}
	f.mustSave(admin, "/records/leaves", url.Values{"worker_id": {"QS004"}, "from": {"2023-09-11"}, "to": {"2023-09-12"}})
	f.mustSave(admin, "/records/quiz", url.Values{"quiz_id": {"Q-9"}, "worker_id": {"QS002"}, "taken_on": {"2023-09-25"}, "wrong_answers": {"2"}})
	f.mustSave(admin, "/records/calendar", url.Values{"date": {"2023-09-30"}, "kind": {"workday"}})
	district := f.login("district")
	f.mustSave(district, "/records/calendar", url.Values{"date": {"2023-08-12"}, "kind": {"workday"}})
	f.mustSave(district, "/records/calendar", url.Values{"date": {"2023-08-19"}, "kind": {"workday"}, "town": {"青山镇"}})
	res, body := f.get("/audit", admin)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("audit: status %d", res.StatusCode)
	}
	cells := regexp.MustCompile(`<tr><td>[^<]*</td><td>[^<]*</td><td>[^<]*</td><td>(.*?)</td>`).FindAllStringSubmatch(body, -1)
	if len(cells) == 0 {
		t.Fatalf("no entries in the log:\n%s", body)
	}
	var objects []string
	for _, c := range cells {
		objects = append(objects, c[1])
		if regexp.MustCompile(`\b(user|worker|quarter|appeal|upload|leaves|quiz):`).MatchString(c[1]) {
			t.Errorf("an entry names its object by an internal key: %q", c[1])
		}
	}
	all := strings.Join(objects, "\n")
	for _, want := range []string{"账号 admin", "网格员 QS004 · 请假 QS004/2023-09-11", "网格员 QS002 · 应知应会 Q-9", "青山镇 2023年第3季度",
		"工作日历 2023-09-30（青山镇）", "工作日历 2023-08-19（青山镇）"} { // the last set by the district
		if !strings.Contains(all, want) {
			t.Errorf("no entry names %q; objects:\n%s", want, all)
		}
	}
	// The district's day is the district's entry, not 青山镇's.
	if strings.Contains(all, "2023-08-12") {
		t.Errorf("青山镇's log shows the district's calendar day:\n%s", all)
	}
	if _, body := f.get("/audit", district); !strings.Contains(body, "工作日历 2023-08-12（全区）") {
		t.Error("the district's log does not name its calendar day")
	}
}
