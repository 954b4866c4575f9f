package web

import (
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
)

// TestQuarterSteps: the dashboard's 考核流程 lists the five steps in every
// state: before the first computation all are to come, 计算 next (the list
// was empty); each step taken says when.
func TestQuarterSteps(t *testing.T) {
	t.Parallel()
	at := time.Date(2023, 10, 8, 9, 0, 0, 0, gs.CST)
	tests := []struct {
		name string
		st   gs.QuarterState
		want string
	}{
		{"never computed: all five to come, 计算 next", gs.QuarterState{State: gs.StateOpen},
			"next 计算（下一步）|todo 公示|todo 申诉|todo 定稿|todo 报备"},
		{"computed: 公示 next", gs.QuarterState{State: gs.StateComputed, ComputedAt: at, AsOf: at},
			"done 计算于 2023-10-08 09:00（计算时点 2023-10-08 09:00）|next 公示（下一步）|todo 申诉|todo 定稿|todo 报备"},
		{"published: appeals under way", gs.QuarterState{State: gs.StatePublished, ComputedAt: at, AsOf: at, PublishedAt: at},
			"done 计算于 2023-10-08 09:00（计算时点 2023-10-08 09:00）|done 公示于 2023-10-08 09:00|next 申诉（公示期间）|todo 定稿|todo 报备"},
		{"filed: all done", gs.QuarterState{State: gs.StateFiled, ComputedAt: at, AsOf: at, PublishedAt: at, FinalizedAt: at, FiledAt: at},
			"done 计算于 2023-10-08 09:00（计算时点 2023-10-08 09:00）|done 公示于 2023-10-08 09:00|done 申诉期已结束|done 定稿于 2023-10-08 09:00|done 报备于 2023-10-08 09:00"},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range quarterSteps(&tt.st) {
			got = append(got, s.Status+" "+s.Text)
		}
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, strings.Join(got, "|"), tt.want)
		}
	}
}
