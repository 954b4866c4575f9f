package csvfile_test

import (
	"reflect"
	"testing"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

const (
	gridsCSV   = "grid_code,grid_name,town\nG1,一网格,XX镇\nG2,二网格,XX镇\n"
	workersHdr = "worker_id,name,type,grid_code,hired_on,left_on\n"
)

// stored is what the database holds in the reference tests: grid G1 with
// worker W1 (张三) in post since 2023-01-01, meeting M1 and person P1.
func stored() csvfile.Known {
	return csvfile.Known{
		GridCodes: []string{"G1"},
		Workers: []gridscore.Worker{{ID: "W1", Name: "张三", Type: gridscore.FullTime, GridCode: "G1",
			HiredOn: gridscore.NewDate(2023, 1, 1)}},
		MeetingIDs: []string{"M1"},
		PersonIDs:  []string{"P1"},
	}
}

func TestCheckReferences(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string // nil: no problem
	}{
		{"stored records resolve every reference", map[string]string{
			"events.csv":     "event_id,worker_id,flow,reported_at\nE1,W1,上报,2023-07-05 09:00\n",
			"attendance.csv": "meeting_id,worker_id,status\nM1,W1,出席\n",
			"visits.csv":     "visit_id,person_id,worker_id,visited_at\nV1,P1,W1,2023-07-05 09:00\n",
			"rosters.csv":    "person_id,category,grid_code,listed_on\nP99,吸毒人员,G1,2023-07-01\n", // not on the register: fine
		}, nil},
		{"records of the batch resolve references", map[string]string{
			"grids.csv":      gridsCSV,
			"workers.csv":    workersHdr + "W2,李四,兼职,G2,2023-01-01,\n",
			"meetings.csv":   "meeting_id,held_on,title\nM2,2023-07-03,例会\n",
			"register.csv":   "person_id,category,grid_code,entered_at\nP2,刑释人员,G2,2023-07-01 08:00\n",
			"attendance.csv": "meeting_id,worker_id,status\nM2,W2,缺席\n",
			"visits.csv":     "visit_id,person_id,worker_id,visited_at\nV1,P2,W2,2023-07-05 09:00\n",
		}, nil},
		{"unknown worker", map[string]string{
			"events.csv": "event_id,worker_id,flow,reported_at\nE1,W1,上报,2023-07-05 09:00\nE2,W9,上报,2023-07-05 09:00\n",
			"quiz.csv":   "quiz_id,worker_id,taken_on,wrong_answers\nQ1,W8,2023-07-05,1\n",
		}, []string{
			`events.csv:3: 工号（worker_id）: 工号 "W9" 没有对应的网格员`,
			`quiz.csv:2: 工号（worker_id）: 工号 "W8" 没有对应的网格员`,
		}},
		{"unknown grid", map[string]string{
			"workers.csv":  workersHdr + "W2,李四,兼职,G7,2023-01-01,\n",
			"register.csv": "person_id,category,grid_code,entered_at\nP2,刑释人员,G8,2023-07-01 08:00\n",
		}, []string{
			`register.csv:2: 网格编码（grid_code）: 网格编码 "G8" 没有对应的网格`,
			`workers.csv:2: 网格编码（grid_code）: 网格编码 "G7" 没有对应的网格`,
		}},
		{"unknown meeting", map[string]string{
			"attendance.csv": "meeting_id,worker_id,status\nM1,W1,出席\nM9,W1,缺席\n",
		}, []string{`attendance.csv:3: 会议编号（meeting_id）: 会议编号 "M9" 没有对应的会议`}},
		{"unknown person in a visit", map[string]string{
			"visits.csv": "visit_id,person_id,worker_id,visited_at\nV1,P9,W1,2023-07-05 09:00\n",
		}, []string{`visits.csv:2: 人员编号（person_id）: 人员编号 "P9" 不在特殊人群登记中`}},
		{"two incoming workers in one grid", map[string]string{
			"grids.csv":   gridsCSV,
			"workers.csv": workersHdr + "W2,李四,专职,G2,2023-01-01,2023-07-10\nW3,王五,专职,G2,2023-07-01,\n",
		}, []string{`workers.csv:3: 网格编码（grid_code）: 网格 "G2" 同一天有两名网格员在岗：与 W2 李四（workers.csv:2）重叠的日期为 2023-07-01 至 2023-07-10`}},
		{"incoming worker overlaps a stored one", map[string]string{
			"workers.csv": workersHdr + "W2,李四,专职,G1,2023-07-01,2023-08-31\n",
		}, []string{`workers.csv:2: 网格编码（grid_code）: 网格 "G1" 同一天有两名网格员在岗：与 W1 张三（已有数据）重叠的日期为 2023-07-01 至 2023-08-31`}},
		{"incoming worker hired the day the stored one leaves", map[string]string{
			"workers.csv": workersHdr + "W1,张三,专职,G1,2023-01-01,2023-06-30\nW2,李四,专职,G1,2023-06-30,\n",
		}, []string{`workers.csv:3: 网格编码（grid_code）: 网格 "G1" 同一天有两名网格员在岗：与 W1 张三（workers.csv:2）重叠的日期为 2023-06-30 至 2023-06-30`}},
		{"stored worker replaced with a left_on: no overlap", map[string]string{
			"workers.csv": workersHdr + "W1,张三,专职,G1,2023-01-01,2023-06-30\nW2,李四,专职,G1,2023-07-01,\n",
		}, nil},
		{"stored worker moved to another grid: no overlap", map[string]string{
			"grids.csv":   gridsCSV,
			"workers.csv": workersHdr + "W1,张三,专职,G2,2023-01-01,\nW2,李四,专职,G1,2023-07-01,\n",
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			b := mustRead(t, dir)
			scanAgrees(t, stored(), dir)
			err := b.CheckReferences(stored())
			if tc.want == nil {
				if err != nil {
					t.Fatalf("unexpected problems:\n%v", err)
				}
				return
			}
			if got := reportLines(t, err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
