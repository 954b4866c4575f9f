package gen

import (
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// trainings are the titles of the quarter's training session.
var trainings = []string{
	"网格员业务培训（平安建设与矛盾纠纷排查化解）",
	"网格员业务培训（基础信息采集与录入规范）",
	"网格员业务培训（特殊人群服务管理）",
	"网格员业务培训（安全生产与消防隐患排查）",
	"应知应会知识培训",
}

// addMeetings adds the town's meetings (a regular meeting early in each
// month and a training in the middle of the quarter) and every worker's
// attendance: present, on leave when the worker had approved leave that day
// (and now and then otherwise), absent as the profile says.
func (t *town) addMeetings() {
	r, d := t.r, t.g.days
	var held [4]int
	for m := range 3 {
		held[m] = d.firstWorkday(d.monthStart[m] + 2)
	}
	held[3] = d.firstWorkday(d.monthStart[1] + 19)
	for k, day := range held {
		if day < 0 {
			continue
		}
		date := d.first.AddDays(day)
		m := gs.Meeting{ID: t.prefix + "HY" + compactDate(date), HeldOn: date, Town: t.name}
		if k < 3 {
			m.Title, m.Kind = strconv.Itoa(int(date.Month()))+"月份网格员工作例会", "例会"
		} else {
			m.Title, m.Kind = trainings[r.IntN(len(trainings))], "培训"
		}
		t.recs.Meetings = append(t.recs.Meetings, m)
		for i := range t.workers {
			w := &t.workers[i]
			if !w.inPost.has(day) {
				continue
			}
			status := gs.StatusPresent
			switch {
			case w.onLeave.has(day):
				status = gs.StatusLeave
			case int(w.f.absent) == k:
				status = gs.StatusAbsent
			case r.IntN(100) == 0:
				status = gs.StatusLeave
			}
			t.recs.Attendance = append(t.recs.Attendance, gs.Attendance{MeetingID: m.ID, WorkerID: w.id, Status: status})
		}
	}
}

// firstWorkday returns the first workday of the quarter on or after day i,
// or -1.
func (d *days) firstWorkday(i int) int {
	for ; i < d.n; i++ {
		if d.work[i] {
			return i
		}
	}
	return -1
}

// compactDate formats d as 230703.
func compactDate(d gs.Date) string {
	var b [6]byte
	putDigits(b[0:2], d.Year()%100)
	putDigits(b[2:4], int(d.Month()))
	putDigits(b[4:6], d.Day())
	return string(b[:])
}

// addQuizzes adds the spot checks of the handbook (应知应会抽查) at the
// training: about a third of the workers present, and every poor performer
// with the quiz fault.
func (t *town) addQuizzes() {
	r, d := t.r, t.g.days
	day := d.firstWorkday(d.monthStart[1] + 19)
	if day < 0 {
		return
	}
	date := d.first.AddDays(day)
	for i := range t.workers {
		w := &t.workers[i]
		if !w.duty.has(day) || (w.f.quizWrong == 0 && r.IntN(3) != 0) {
			continue
		}
		wrong := int(w.f.quizWrong)
		if wrong == 0 {
			wrong = [...]int{0, 0, 0, 0, 0, 0, 1, 1, 1, 2}[r.IntN(10)]
		}
		t.recs.Quizzes = append(t.recs.Quizzes, gs.Quiz{
			ID: t.prefix + "CC" + pad(len(t.recs.Quizzes)+1, 4), WorkerID: w.id, TakenOn: date, WrongAnswers: wrong,
		})
	}
}

// findingPlan is a kind of finding with how often the center records it
// and what it writes.
type findingPlan struct {
	kind     gs.FindingKind
	weight   int
	notes    []string
	evidence []string
}

var findingPlans = []findingPlan{
	{gs.FindingInfoIncomplete, 20, []string{"1户住户联系电话录入错误", "2处出租房屋未填写房屋用途", "3户出租房屋承租人信息录入不全", "1名新迁入人员户籍地址录入有误"},
		[]string{"入户核查记录", "镇网格中心信息核查表"}},
	{gs.FindingInfoStale, 12, []string{"辖区新开业商铺一个月未录入单位信息", "2户人口迁出后未及时更新", "辖区新建充电桩未录入设施信息"},
		[]string{"镇网格中心信息核查表", "现场核查照片"}},
	{gs.FindingOmitGeneral, 12, []string{"邻里噪音纠纷已调处但未录入上报", "路灯损坏未上报", "占道经营未录入上报"},
		[]string{"村社区调解登记簿", "镇网格中心巡查记录"}},
	{gs.FindingItemsUnhandled, 12, []string{"平台居民诉求工单超期3天未签收处理", "平台转办事项逾期未反馈"},
		[]string{"平台待办事项截图"}},
	{gs.FindingPhone, 8, []string{"工作时间网格手机关机，镇中心2小时联系不上", "网格手机未随身携带"},
		[]string{"镇网格中心值班记录"}},
	{gs.FindingInspection, 8, []string{"暗访组上午检查，网格员不在岗且无法说明去向", "居民举报网格员长期不入户走访，经核属实"},
		[]string{"区网格中心暗访通报", "镇网格中心核查报告"}},
	{gs.FindingOmitMajor, 6, []string{"一处民房墙体开裂存在倒塌风险，未上报", "河道护栏缺失存在溺水隐患，未上报"},
		[]string{"镇村建站现场核查照片", "镇网格中心巡查记录"}},
	{gs.FindingLostControl, 3, []string{"1名社区矫正人员擅自外出失联2天，网格员未及时发现上报"},
		[]string{"司法所情况通报"}},
	{gs.FindingSeriousUnreported, 3, []string{"辖区发生一起群体性纠纷，未向综治中心报告"},
		[]string{"区综治中心通报"}},
	{gs.FindingDisobey, 2, []string{"拒不服从镇网格中心防汛应急值守临时调配"},
		[]string{"镇网格中心工作通报"}},
}

// addFindings adds the findings (核查记录) of poor performers, and the odd
// small slip the center finds in a good worker's data.
func (t *town) addFindings() {
	r := t.r
	total := 0
	for _, p := range findingPlans {
		total += p.weight
	}
	for i := range t.workers {
		w := &t.workers[i]
		if w.f.findings == 0 && r.IntN(100) < 4 {
			t.finding(w, &findingPlans[0]) // a small slip
		}
		for range w.f.findings {
			x := r.IntN(total)
			j := 0
			for x >= findingPlans[j].weight {
				x -= findingPlans[j].weight
				j++
			}
			t.finding(w, &findingPlans[j])
		}
	}
}

// finding adds one finding of the plan on a duty day of the worker.
func (t *town) finding(w *workerPlan, p *findingPlan) {
	r, d := t.r, t.g.days
	duty := w.duty.list(0, d.n, t.dayBuf[:0])
	t.dayBuf = duty
	if len(duty) == 0 {
		return
	}
	count := 1
	if (p.kind == gs.FindingInfoIncomplete || p.kind == gs.FindingOmitGeneral) && r.IntN(10) < 3 {
		count = 2
	}
	t.recs.Findings = append(t.recs.Findings, gs.Finding{
		ID:         t.prefix + "HC" + pad(len(t.recs.Findings)+1, 4),
		WorkerID:   w.id,
		Kind:       p.kind,
		OccurredOn: d.first.AddDays(int(duty[r.IntN(len(duty))])),
		Count:      count,
		Note:       p.notes[r.IntN(len(p.notes))],
		Evidence:   p.evidence[r.IntN(len(p.evidence))],
	})
}

// addBallots adds the satisfaction survey the town runs in the quarter's
// last month, from the 10th to the 25th: 15 to 25 ballots for each worker in
// post then (fewer for a worker hired in the quarter), a quarter of them
// from village or community cadres, mostly satisfied. A worker who left
// before the survey has none.
func (t *town) addBallots() {
	r, d := t.r, t.g.days
	window := d.workMask.list(d.monthStart[2]+9, d.monthStart[2]+25, t.dayBuf2[:0])
	t.dayBuf2 = window
	for i := range t.workers {
		w := &t.workers[i]
		days := t.dayBuf[:0]
		for _, x := range window {
			if w.inPost.has(int(x)) {
				days = append(days, x)
			}
		}
		t.dayBuf = days
		if len(days) == 0 {
			continue
		}
		n := 15 + r.IntN(11)
		if !w.inPost.has(0) {
			n = 8 + r.IntN(5)
		}
		for k := range n {
			group := gs.RaterResident
			if k < n/4 {
				group = gs.RaterCadre
			}
			rating := gs.RatingSatisfied
			switch x := r.IntN(100); {
			case x < int(w.f.unsatisfied):
				rating = gs.RatingUnsatisfied
			case x < int(w.f.unsatisfied)+12:
				rating = gs.RatingBasic
			}
			t.recs.Ballots = append(t.recs.Ballots, gs.Ballot{
				WorkerID:   w.id,
				RaterGroup: group,
				Rating:     rating,
				CastAt:     d.at(int(days[r.IntN(len(days))]), 9*3600+r.IntN(8*3600+30*60)),
			})
		}
	}
}
