package csvfile_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// itemProblems reads body as JSON records of kind and returns each problem
// as "index field: message" (index -1 for the whole request), failing the
// test when there is none.
func itemProblems(t *testing.T, kind, body string) []string {
	t.Helper()
	_, err := csvfile.ReadJSON(kind, strings.NewReader(body), 100)
	var rep *csvfile.Report
	if !errors.As(err, &rep) {
		t.Fatalf("ReadJSON(%s): %v, want a report", body, err)
	}
	var out []string
	for _, p := range rep.Problems {
		out = append(out, fmt.Sprintf("%d %s: %s", csvfile.ItemIndex(p), p.Key, p.Message))
	}
	return out
}

func TestReadJSONRecords(t *testing.T) {
	body := `[
	 {"event_id": "E1", "worker_id": "W1", "flow": "reported", "reported_at": "2023-07-03 09:15", "irregular": true},
	 {"event_id": "E2", "worker_id": "W1", "flow": "自办", "severity": null, "reported_at": "2023-07-03T10:00:00+08:00",
	  "closed_at": "2023/7/4 9:00", "card": "yellow"},
	 {"event_id": "E1", "worker_id": "W1", "flow": "reported", "reported_at": "2023-07-03 09:15", "irregular": true}
	]`
	b, err := csvfile.ReadJSON("events", strings.NewReader(body), 100)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2023, 7, 3, 9, 15, 0, 0, gridscore.CST)
	want := []gridscore.Event{
		{ID: "E1", WorkerID: "W1", Flow: gridscore.FlowReported, Severity: gridscore.SeverityGeneral,
			OccurredAt: at, ReportedAt: at, Irregular: true},
		{ID: "E2", WorkerID: "W1", Flow: gridscore.FlowSelfHandled, Severity: gridscore.SeverityGeneral,
			OccurredAt: at.Add(45 * time.Minute), ReportedAt: at.Add(45 * time.Minute),
			ClosedAt: time.Date(2023, 7, 4, 9, 0, 0, 0, gridscore.CST), Card: gridscore.CardYellow},
	}
	if len(b.Records.Events) != 2 {
		t.Fatalf("events = %+v, want the repeated item once", b.Records.Events)
	}
	for i := range want {
		if got := b.Records.Events[i]; !reflect.DeepEqual(got, want[i]) {
			t.Errorf("event %d = %+v, want %+v", i, got, want[i])
		}
	}
	if got := b.Origins.Events[1]; csvfile.ItemIndex(csvfile.Problem{Row: got.Row}) != 1 {
		t.Errorf("origin of the second event = %+v, want item 1", got)
	}
}

func TestReadJSONNumbers(t *testing.T) {
	b, err := csvfile.ReadJSON("patrols", strings.NewReader(
		`[{"patrol_id": "P1", "worker_id": "W1", "started_at": "2023-07-03 08:00", "ended_at": "2023-07-03 11:10", "distance_m": 1200}]`), 10)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Records.Patrols[0].DistanceM; got != 1200 {
		t.Errorf("distance = %d, want 1200", got)
	}
}

func TestReadJSONProblems(t *testing.T) {
	event := `"event_id": "E1", "worker_id": "W1", "flow": "reported", "reported_at": "2023-07-03 09:15"`
	tests := []struct {
		name, kind, body string
		want             []string
	}{
		{"not an array", "events", `{"event_id": "E1"}`,
			[]string{"-1 : 请求体应为 JSON 数组，每项是一条记录：[{…}, {…}]"}},
		{"an empty array", "events", `[]`, []string{"-1 : 数组是空的：请求中没有任何记录"}},
		{"something after the array", "events", `[{` + event + `}] []`,
			[]string{"-1 : JSON 数组之后还有内容：请求体应只是一个数组"}},
		{"an item that is not an object", "events", `[{` + event + `}, "E2"]`,
			[]string{`1 : 每项应为一个 JSON 对象（{"event_id": …}），不是字符串`}},
		{"broken JSON in the second item", "events", `[{` + event + `}, {"event_id": "E2",]`,
			[]string{"1 : 不是正确的 JSON（第 112 个字节附近：invalid character ']' looking for beginning of object key string），其后的内容没有读取"}},
		{"a number for a text", "events", `[{"event_id": 1001, "worker_id": "W1", "flow": "reported", "reported_at": "2023-07-03 09:15"}]`,
			[]string{"0 event_id: 应为 JSON 字符串，不是数值 1001"}},
		{"a string for a boolean", "events", `[{` + event + `, "irregular": "是"}]`,
			[]string{`0 irregular: 应为 true 或 false，不是字符串 "是"`}},
		{"a string for a number", "patrols", `[{"patrol_id": "P1", "worker_id": "W1", "started_at": "2023-07-03 08:00", "distance_m": "1200"}]`,
			[]string{`0 distance_m: 应为 JSON 数值（如 1200），不是字符串 "1200"`}},
		{"a fraction for a whole number", "patrols", `[{"patrol_id": "P1", "worker_id": "W1", "started_at": "2023-07-03 08:00", "distance_m": 1.5}]`,
			[]string{`0 distance_m: 应为整数："1.5"`}},
		{"an unknown key", "events", `[{` + event + `, "reportedAt": "2023-07-03 09:15"}]`,
			[]string{"0 reportedAt: 没有这个字段：事件的字段为 event_id、worker_id、flow、severity、category、occurred_at、reported_at、deadline、closed_at、card、irregular"}},
		{"a key twice", "events", `[{` + event + `, "flow": "assigned"}]`,
			[]string{"0 flow: 字段重复：同一项中只能出现一次"}},
		{"a required value left out and a wrong value, in the order of the columns", "events",
			`[{"event_id": "E1", "worker_id": "W1", "flow": "x", "reported_at": null}]`,
			[]string{`0 flow: 无法识别的值 "x"，应为：自办、上报、转办（或 self_handled、reported、assigned）`, "0 reported_at: 必填，不能为空"}},
		{"an object for a date, a required one", "leaves", `[{"worker_id": "W1", "from": {"y": 2023}, "to": "2023-07-05"}]`,
			[]string{"0 from: 应为 JSON 字符串，不是对象"}},
		{"one key with two different records", "events", `[{` + event + `}, {` + event + `, "card": "red"}]`,
			[]string{`1 event_id: 与 第 0 项 重复（"E1"），但两行内容不同`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := itemProblems(t, tt.kind, tt.body); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestReadJSONTooManyItems(t *testing.T) {
	item := `{"worker_id": "W1", "channel": "app", "at": "2023-07-03 08:00"}`
	body := "[" + strings.Repeat(item+",", 3) + item + "]"
	if _, err := csvfile.ReadJSON("logins", strings.NewReader(body), 3); !errors.Is(err, csvfile.ErrTooManyItems) {
		t.Errorf("4 items, at most 3: %v, want ErrTooManyItems", err)
	}
	if _, err := csvfile.ReadJSON("logins", strings.NewReader(body), 4); err != nil {
		t.Errorf("4 items, at most 4: %v", err)
	}
}
