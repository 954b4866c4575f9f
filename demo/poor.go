package demo

import (
	"time"

	gs "github.com/gridscore/gridscore"
)

// profile is what shapes one worker's quarter beyond the defaults of a
// diligent worker (events above quota, every login and patrol, visits on
// time, satisfied residents).
type profile struct {
	months      map[time.Month]monthPlan // event counts that replace the default
	extraEvents []eventPlan              // events entered on top of the month's
	irregular   int                      // July events a reviewer marked irregular
	missApp     []string                 // duty days without an app login
	missPC      []string                 // duty days without a pc login (stationed)
	patrolGaps  []patrolGap
	leaves      []leavePlan
	quiz        []quizPlan
	findings    []findingPlan
	meetings    map[string]gs.AttendanceStatus // by meeting date, other than present
	ballots     int                            // ballots cast about the worker; 0 = 20
	noBallots   bool                           // no ballot at all (the survey missed the worker)
	unsatisfied int                            // of the ballots, how many unsatisfied
}

// monthPlan fixes a worker's events of one month: how many, how many of them
// reported upwards, and whether they were held back and entered in the last
// days of the month (events.batch).
type monthPlan struct {
	total, reported int
	burst           bool
}

// eventPlan is one event written out in full. Times are 2006-01-02 15:04;
// deadline and closed may be empty.
type eventPlan struct {
	flow                                 gs.Flow
	severity                             gs.Severity
	category                             string
	occurred, reported, deadline, closed string
	card                                 gs.Card
}

// gapKind is how a patrol went wrong.
type gapKind int

const (
	gapMissing gapKind = iota // no patrol at all
	gapNoEnd                  // started, never ended (the app lost it)
	gapShort                  // ended after less than three hours
)

// patrolGap is one patrol of a duty day that did not count.
type patrolGap struct {
	day       string
	afternoon bool
	kind      gapKind
}

type leavePlan struct{ from, to, reason string }

type quizPlan struct {
	day   string
	wrong int
}

type findingPlan struct {
	kind     gs.FindingKind
	day      string
	count    int
	note     string
	evidence string
}

// profiles are the workers' quarters. Seven workers perform poorly and
// between them trigger every rule; the rest lose a point or two at most.
//
//	QS003 张志强  events.quota (July, 50 events), discipline.login (app 1 day,
//	              pc 2 days), discipline.items, info.stale
//	QS006 陈静    events.yellow (derived: closed a day late), events.red
//	              (derived: still open at as_of), events.serious_late (a fire
//	              reported 3 hours after it broke out)
//	QS008 周斌    events.serious_late (finding serious_unreported),
//	              discipline.login (app)
//	QS011 刘伟    events.batch (August), events.yellow (card given),
//	              events.irregular ×2, info.incomplete, discipline.quiz
//	QS013 赵磊    key.missing_entry, key.visits (August), key.lost_control,
//	              discipline.meeting, events.omit_general ×2, events.omit_major
//	QS015 黄丽    events.quota (September, reported events only), events.red
//	              (card given), discipline.disobey (interview due)
//	QS017 孙浩    discipline.patrol ×4 (two missing, one never ended, one
//	              short), discipline.inspection, discipline.phone,
//	              discipline.quiz; the category floors at 0
//
// Besides: QS010 何俊 was hired on 2023-03-31 and is just eligible (six
// months later is 2023-09-30 by end-of-month clamping); QS019 高建军 left on
// 2023-08-15 (two months' pay, and no ballots: flag no_ballots); QS021 谢雨欣
// took over his grid on 2023-08-16 and is not yet eligible; QS005 吴敏 took a
// week of annual leave; QS003 and QS011 tie at 78, QS004 and QS007 at 98.
var profiles = map[string]profile{
	"QS001": {extraEvents: []eventPlan{{
		flow: gs.FlowReported, severity: gs.SeveritySerious, category: "消防安全",
		occurred: "2023-07-25 14:20", reported: "2023-07-25 14:52", deadline: "2023-07-27 14:52", closed: "2023-07-26 18:00",
	}}},
	"QS002": {quiz: []quizPlan{{"2023-08-23", 1}}},
	"QS003": {
		months:  map[time.Month]monthPlan{time.July: {total: 50, reported: 8}},
		missApp: []string{"2023-07-20"},
		missPC:  []string{"2023-08-08", "2023-09-12"},
		findings: []findingPlan{
			{gs.FindingItemsUnhandled, "2023-08-22", 1, "网格E通平台居民诉求工单超期3天未签收处理", "平台待办事项截图"},
			{gs.FindingInfoStale, "2023-09-06", 1, "辖区新开业“好邻居”便利店一个月未录入单位信息", "镇网格中心9月信息核查表"},
		},
		unsatisfied: 2,
	},
	"QS004": {
		findings:    []findingPlan{{gs.FindingInfoIncomplete, "2023-08-09", 1, "1户住户联系电话录入错误", "入户核查记录"}},
		unsatisfied: 1,
	},
	"QS005": {leaves: []leavePlan{{"2023-08-14", "2023-08-18", "年休假"}}, unsatisfied: 1},
	"QS006": {
		extraEvents: []eventPlan{
			// Closed 25.5 hours past a 48-hour limit: a yellow card the engine derives.
			{flow: gs.FlowSelfHandled, category: "环境卫生",
				occurred: "2023-07-12 09:10", reported: "2023-07-12 09:30", deadline: "2023-07-14 09:30", closed: "2023-07-15 11:05"},
			// A fire reported 3 hours 5 minutes after it broke out.
			{flow: gs.FlowReported, severity: gs.SeveritySerious, category: "消防安全",
				occurred: "2023-08-09 14:05", reported: "2023-08-09 17:10", deadline: "2023-08-11 17:10", closed: "2023-08-10 16:30"},
			// Still open at as_of, far past its 5-day limit: a red card.
			{flow: gs.FlowAssigned, category: "民生服务",
				occurred: "2023-09-15 15:00", reported: "2023-09-15 15:20", deadline: "2023-09-20 15:20"},
		},
		quiz:        []quizPlan{{"2023-08-23", 0}},
		unsatisfied: 1,
	},
	"QS007": {quiz: []quizPlan{{"2023-08-23", 2}}, unsatisfied: 1},
	"QS008": {
		missApp: []string{"2023-09-05"},
		findings: []findingPlan{{gs.FindingSeriousUnreported, "2023-09-19", 1,
			"辖区发生一起约30人聚集的群体性纠纷，未向区、镇综治中心报告", "区综治中心通报〔2023〕12号"}},
		unsatisfied: 1,
	},
	"QS009": {
		leaves:     []leavePlan{{"2023-09-11", "2023-09-11", "事假"}},
		patrolGaps: []patrolGap{{"2023-07-27", true, gapShort}},
		quiz:       []quizPlan{{"2023-09-21", 0}},
	},
	"QS010": {
		quiz:     []quizPlan{{"2023-08-23", 3}},
		findings: []findingPlan{{gs.FindingInfoIncomplete, "2023-07-13", 1, "2处出租房屋未填写房屋用途", "镇网格中心7月信息核查表"}},
	},
	"QS011": {
		months: map[time.Month]monthPlan{time.August: {total: 60, reported: 10, burst: true}},
		extraEvents: []eventPlan{{
			flow: gs.FlowAssigned, category: "矛盾纠纷",
			occurred: "2023-09-04 09:40", reported: "2023-09-04 10:12", deadline: "2023-09-09 10:12", closed: "2023-09-10 16:30",
			card: gs.CardYellow,
		}},
		irregular:   2,
		quiz:        []quizPlan{{"2023-08-23", 2}},
		findings:    []findingPlan{{gs.FindingInfoIncomplete, "2023-07-19", 1, "3户出租房屋承租人信息录入不全", "镇网格中心7月信息核查表"}},
		unsatisfied: 3,
	},
	"QS012": {unsatisfied: 3},
	"QS013": {
		findings: []findingPlan{
			{gs.FindingOmitGeneral, "2023-08-16", 2, "2起邻里噪音纠纷已调处但未录入上报", "村委会调解登记簿"},
			{gs.FindingOmitMajor, "2023-09-08", 1, "一处民房墙体开裂存在倒塌风险，未上报", "镇村建站现场核查照片"},
			{gs.FindingLostControl, "2023-09-14", 1, "1名社区矫正人员擅自外出失联2天，网格员未及时发现上报", "青山司法所情况通报"},
		},
		meetings:    map[string]gs.AttendanceStatus{"2023-09-04": gs.StatusAbsent},
		quiz:        []quizPlan{{"2023-09-21", 0}},
		unsatisfied: 1,
	},
	"QS014": {leaves: []leavePlan{{"2023-07-20", "2023-07-21", "病假"}}, unsatisfied: 4},
	"QS015": {
		months: map[time.Month]monthPlan{time.September: {total: 56, reported: 2}},
		extraEvents: []eventPlan{{
			flow: gs.FlowAssigned, category: "矛盾纠纷",
			occurred: "2023-08-03 08:30", reported: "2023-08-03 09:00", deadline: "2023-08-06 09:00", closed: "2023-08-14 10:00",
			card: gs.CardRed,
		}},
		findings:    []findingPlan{{gs.FindingDisobey, "2023-07-26", 1, "拒不服从镇网格中心防汛应急值守临时调配", "镇网格中心工作通报"}},
		unsatisfied: 2,
	},
	"QS016": {
		missApp: []string{"2023-08-29"},
		extraEvents: []eventPlan{{
			flow: gs.FlowReported, severity: gs.SeveritySerious, category: "自然灾害",
			occurred: "2023-08-07 06:40", reported: "2023-08-07 07:25", deadline: "2023-08-09 07:25", closed: "2023-08-08 17:00",
		}},
		meetings:    map[string]gs.AttendanceStatus{"2023-08-23": gs.StatusLeave},
		quiz:        []quizPlan{{"2023-09-21", 0}},
		unsatisfied: 1,
	},
	"QS017": {
		patrolGaps: []patrolGap{
			{"2023-07-18", true, gapMissing},
			{"2023-08-10", true, gapNoEnd},
			{"2023-08-24", true, gapMissing},
			{"2023-09-14", false, gapShort},
		},
		findings: []findingPlan{
			{gs.FindingInspection, "2023-08-17", 1, "区暗访组上午10时检查，网格员不在岗且无法说明去向", "区网格中心暗访通报〔2023〕8号"},
			{gs.FindingPhone, "2023-09-07", 1, "工作时间网格手机关机，镇中心2小时联系不上", "镇网格中心值班记录"},
		},
		quiz:        []quizPlan{{"2023-08-23", 3}, {"2023-09-21", 1}},
		unsatisfied: 6,
	},
	"QS018": {findings: []findingPlan{{gs.FindingInfoIncomplete, "2023-09-13", 1, "1名新迁入人员户籍地址录入有误", "入户核查记录"}}},
	"QS019": {noBallots: true},
	"QS020": {patrolGaps: []patrolGap{{"2023-09-20", false, gapMissing}}, unsatisfied: 2},
	"QS021": {ballots: 10},
}

// lateVisits are visits made after the 28th (key.visits): in grid QS-13 one
// person's August visit was made on the 30th.
var lateVisits = []struct {
	grid  string
	month time.Month
	at    string
}{
	{"QS-13", time.August, "2023-08-30 10:20"},
}
