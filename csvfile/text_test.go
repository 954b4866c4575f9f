package csvfile_test

import (
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// TestInvisibleCharactersAroundKeys: a byte-order mark, a zero-width space
// or a no-break space around a key is not part of it: the row is the same
// event as the one without, and is kept once.
func TestInvisibleCharactersAroundKeys(t *testing.T) {
	t.Parallel()
	b := mustRead(t, writeFiles(t, map[string]string{"events.csv": "\ufeffevent_id,worker_id,flow,reported_at\n" +
		"SJ2307-0004,W1,上报,2023-07-05 09:00\n" +
		"\ufeffSJ2307-0004,W1,上报,2023-07-05 09:00\n" +
		"SJ2307-0004\u200b,\u00a0W1\u3000,上报,2023-07-05 09:00\n" +
		"\u200bSJ2307-0005\ufeff,W1,上报,2023-07-05 10:00\n"}))
	var ids []string
	for _, e := range b.Records.Events {
		ids = append(ids, e.ID+"/"+e.WorkerID)
	}
	if got := strings.Join(ids, " "); got != "SJ2307-0004/W1 SJ2307-0005/W1" {
		t.Errorf("events %q, want SJ2307-0004 once and SJ2307-0005, all of W1", got)
	}

	got := problems(t, writeFiles(t, map[string]string{"events.csv": "event_id,worker_id,flow,reported_at\n" +
		"SJ2307\ufeff-0004,W1,上报,2023-07-05 09:00\n"}))
	want := []string{"events.csv:2: 事件编号（event_id）: 不能含有不可见字符或特殊空格（U+FEFF）"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("an invisible character inside a key:\ngot  %q\nwant %q", got, want)
	}
}

// validRows holds a valid row of every kind, by column key.
var validRows = map[string]map[string]string{
	"grids":      {"grid_code": "G1", "grid_name": "一网格", "community": "一村", "town": "青山镇"},
	"workers":    {"worker_id": "W1", "name": "张三", "type": "专职", "stationed": "否", "grid_code": "G1", "hired_on": "2023-07-01", "phone": "13800000000", "monthly_performance_yuan": "500", "quarterly_subsidy_yuan": "300"},
	"events":     {"event_id": "E1", "worker_id": "W1", "flow": "上报", "severity": "一般", "category": "治安", "occurred_at": "2023-07-05 09:00", "reported_at": "2023-07-05 09:00", "deadline": "2023-07-06 09:00", "closed_at": "2023-07-05 10:00", "card": "黄牌", "irregular": "否"},
	"logins":     {"worker_id": "W1", "channel": "APP", "at": "2023-07-05 09:00"},
	"patrols":    {"patrol_id": "P1", "worker_id": "W1", "started_at": "2023-07-05 09:00", "ended_at": "2023-07-05 12:00", "distance_m": "3000"},
	"leaves":     {"worker_id": "W1", "from": "2023-07-05", "to": "2023-07-06", "reason": "病假"},
	"register":   {"person_id": "R1", "category": "吸毒人员", "grid_code": "G1", "entered_at": "2023-07-01 09:00", "left_at": "2023-07-20 09:00", "name": "李四", "id_number": "110101199001011234"},
	"rosters":    {"person_id": "R1", "category": "吸毒人员", "grid_code": "G1", "listed_on": "2023-07-01", "department": "公安"},
	"visits":     {"visit_id": "V1", "person_id": "R1", "worker_id": "W1", "visited_at": "2023-07-05 09:00", "note": "见到本人"},
	"meetings":   {"meeting_id": "M1", "held_on": "2023-07-05", "title": "例会", "kind": "例会"},
	"attendance": {"meeting_id": "M1", "worker_id": "W1", "status": "出席"},
	"findings":   {"finding_id": "F1", "worker_id": "W1", "kind": "网格手机", "occurred_on": "2023-07-05", "count": "1", "note": "未接", "evidence": "照片"},
	"quiz":       {"quiz_id": "Q1", "worker_id": "W1", "taken_on": "2023-07-05", "wrong_answers": "1"},
	"ballots":    {"ballot_id": "B1", "worker_id": "W1", "rater_group": "群众", "rating": "满意", "cast_at": "2023-07-05 09:00"},
	"calendar":   {"date": "2023-07-05", "kind": "工作日", "name": "调休"},
}

// kindFile is the CSV file of kind with one row: the valid row with column
// key set to v.
func kindFile(t *testing.T, kind, key, v string) string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	var header, row []string
	for _, c := range csvfile.Columns(kind) {
		header = append(header, c.Key)
		cell := validRows[kind][c.Key]
		if c.Key == key {
			cell = v
		}
		row = append(row, cell)
	}
	w.Write(header)
	w.Write(row)
	w.Flush()
	return b.String()
}

// TestEveryColumnRefusesHugeValues: in every column of every kind, a
// value of 5,000 characters and a terminal escape are refused, naming the
// file, the row and the column; for a text column (one with a MaxLength)
// the problem also says what its limit is and which character may not be
// there. The last text column of each kind also refuses a cell of 512,000
// lines (the limits of the others are checked at 5,000 characters). A text
// column missing from the domain's table would take them all.
func TestEveryColumnRefusesHugeValues(t *testing.T) {
	t.Parallel()
	lines := strings.Repeat("x\n", 512_000) + "x"
	for _, kind := range []string{"grids", "workers", "events", "logins", "patrols", "leaves", "register", "rosters",
		"visits", "meetings", "attendance", "findings", "quiz", "ballots", "calendar"} {
		mustRead(t, writeFiles(t, map[string]string{kind + ".csv": kindFile(t, kind, "", "")}))
		linesIn := "" // the kind's last text column: free text (a note, a reason) where it has one
		for _, c := range csvfile.Columns(kind) {
			if gridscore.MaxLength(kind, c.Key) > 0 {
				linesIn = c.Key
			}
		}
		if linesIn == "" {
			t.Errorf("%s has no text column for the 512,000 lines", kind)
		}
		for _, c := range csvfile.Columns(kind) {
			max := gridscore.MaxLength(kind, c.Key)
			for _, tc := range []struct{ what, v, want string }{
				{"5,000 characters", strings.Repeat("长", 5000), "不能超过 " + strconv.Itoa(max) + " 个字（现有 5000 个字）"},
				{"512,000 lines", lines, "不能超过 " + strconv.Itoa(max) + " 个字（现有 1024001 个字）"},
				{"a terminal escape", "A\x1b[2J\x1b[31mB", "不能含有控制字符（U+001B）"},
			} {
				if strings.Contains(tc.what, "lines") && c.Key != linesIn {
					continue // refused at 5,000 characters already
				}
				got := problems(t, writeFiles(t, map[string]string{kind + ".csv": kindFile(t, kind, c.Key, tc.v)}))
				prefix := kind + ".csv:2: " + c.Title + "（" + c.Key + "）: "
				if len(got) != 1 || !strings.HasPrefix(got[0], prefix) {
					t.Errorf("%s.%s with %s: problems %.300q, want one on the column", kind, c.Key, tc.what, got)
					continue
				}
				if max > 0 && got[0] != prefix+tc.want {
					t.Errorf("%s.%s with %s:\ngot  %.300q\nwant %q", kind, c.Key, tc.what, got[0], prefix+tc.want)
				}
			}
		}
	}
}
