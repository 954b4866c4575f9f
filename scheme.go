package gridscore

// RuleID names one rule of RULES.md, such as "events.quota".
type RuleID string

// The rule ids of RULES.md §2–§5.
const (
	RuleInfoStale         RuleID = "info.stale"
	RuleInfoIncomplete    RuleID = "info.incomplete"
	RuleEventsQuota       RuleID = "events.quota"
	RuleEventsBatch       RuleID = "events.batch"
	RuleEventsYellow      RuleID = "events.yellow"
	RuleEventsRed         RuleID = "events.red"
	RuleEventsIrregular   RuleID = "events.irregular"
	RuleEventsOmitGeneral RuleID = "events.omit_general"
	RuleEventsOmitMajor   RuleID = "events.omit_major"
	RuleEventsSeriousLate RuleID = "events.serious_late"
	RuleKeyMissingEntry   RuleID = "key.missing_entry"
	RuleKeyVisits         RuleID = "key.visits"
	RuleKeyLostControl    RuleID = "key.lost_control"
	RuleDisciplineLogin   RuleID = "discipline.login"
	RuleDisciplineItems   RuleID = "discipline.items"
	RuleDisciplinePatrol  RuleID = "discipline.patrol"
	RuleDisciplineMeeting RuleID = "discipline.meeting"
	RuleDisciplineInspect RuleID = "discipline.inspection"
	RuleDisciplineDisobey RuleID = "discipline.disobey"
	RuleDisciplinePhone   RuleID = "discipline.phone"
	RuleDisciplineQuiz    RuleID = "discipline.quiz"
)

// AllRules lists every rule id, in the order of RULES.md.
var AllRules = []RuleID{
	RuleInfoStale, RuleInfoIncomplete,
	RuleEventsQuota, RuleEventsBatch, RuleEventsYellow, RuleEventsRed, RuleEventsIrregular,
	RuleEventsOmitGeneral, RuleEventsOmitMajor, RuleEventsSeriousLate,
	RuleKeyMissingEntry, RuleKeyVisits, RuleKeyLostControl,
	RuleDisciplineLogin, RuleDisciplineItems, RuleDisciplinePatrol, RuleDisciplineMeeting,
	RuleDisciplineInspect, RuleDisciplineDisobey, RuleDisciplinePhone, RuleDisciplineQuiz,
}

// CategoryID names one of the five score categories.
type CategoryID string

// The five categories of RULES.md.
const (
	CatInfo         CategoryID = "info"
	CatEvents       CategoryID = "events"
	CatKeyWork      CategoryID = "key_work"
	CatDiscipline   CategoryID = "discipline"
	CatSatisfaction CategoryID = "satisfaction"
)

// AllCategories lists the categories in the order of the regulation.
var AllCategories = []CategoryID{CatInfo, CatEvents, CatKeyWork, CatDiscipline, CatSatisfaction}

// CategoryOf returns the category a rule deducts from ("events.quota" → events).
func CategoryOf(r RuleID) CategoryID {
	switch {
	case len(r) > 5 && r[:5] == "info.":
		return CatInfo
	case len(r) > 7 && r[:7] == "events.":
		return CatEvents
	case len(r) > 4 && r[:4] == "key.":
		return CatKeyWork
	default:
		return CatDiscipline
	}
}

// Quota is a monthly event quota: total events, of which reported events.
type Quota struct {
	Total    int
	Reported int
}

// IneligiblePay says what a worker who is not assessed is paid.
type IneligiblePay string

// Ineligible pay options.
const (
	IneligiblePayFull IneligiblePay = "full"
	IneligiblePayNone IneligiblePay = "none"
)

// Scheme is one town's assessment scheme: every parameter RULES.md marks
// *param*, every points value, cap, quota, threshold and weight. The engine
// reads all its numbers from here; none is hard-coded.
type Scheme struct {
	ID            string
	Name          string
	EffectiveFrom Month

	// MinTenureMonths: a worker is assessed if hired_on + this many months ≤
	// the last day of the quarter.
	MinTenureMonths int

	// Max is each category's full score, in hundredths.
	Max map[CategoryID]Points
	// Points is what one occurrence of each rule deducts, in hundredths.
	Points map[RuleID]Points

	// Quotas is the monthly event quota per worker type.
	Quotas map[WorkerType]Quota
	// BatchDays is how many calendar days at the end of a month count as the
	// burst window (5).
	BatchDays int
	// BatchShare is the share of the month's events, in hundredths (50 = half),
	// entered in the burst window at which events.batch applies.
	BatchShare int64
	// RedFactor, in hundredths (200 = twice): an event whose handling took more
	// than RedFactor × its time limit gets a red card.
	RedFactor int64
	// WarnShare, in hundredths (70 = 70 %): an open event that has used this
	// share of its time limit is warned about (RULES.md §9 events.yellow).
	WarnShare int64
	// SeriousReportMinutes is the time within which a serious event must be
	// reported (120 = 2 hours).
	SeriousReportMinutes int64

	// EntryDays: a roster row is due listed_on + EntryDays.
	EntryDays int
	// VisitDay is the day of the month by whose end visits are due (28).
	VisitDay int
	// VisitsPerMonth is the visits each person needs per month, by category.
	VisitsPerMonth map[Category]int

	// PatrolAppliesTo lists the worker types that must patrol.
	PatrolAppliesTo []WorkerType
	// PatrolsPerDay is the number of patrols needed per duty day (2).
	PatrolsPerDay int
	// PatrolMinMinutes is the least length of a patrol that counts (180).
	PatrolMinMinutes int64

	// RatingWeights is each rating's weight in hundredths (satisfied 100).
	RatingWeights map[Rating]int64
	// GroupWeights, when not empty, weights the rater groups' rates; empty
	// means all ballots are pooled.
	GroupWeights map[RaterGroup]int64
	// MinBallots is how many answers a grid needs in a survey before its
	// rate is taken to mean something: the survey's dashboard warns about
	// a grid with fewer (it changes no score).
	MinBallots int

	// MonthlyPerformance is the default monthly performance pay of a
	// full-time worker; QuarterlySubsidy the default quarterly subsidy of a
	// part-time worker. A worker's own amount replaces these.
	MonthlyPerformance Fen
	QuarterlySubsidy   Fen
	// IneligiblePay is what a worker not assessed is paid.
	IneligiblePay IneligiblePay

	// AppealWorkdays is how many workdays after publication appeals are open.
	AppealWorkdays int
	// FilingWorkdays is the filing deadline the district sets (RULES.md §8
	// names none): a town's quarter is due filed (报备) by the
	// FilingWorkdays-th workday after the quarter's last day, and is late
	// after it.
	FilingWorkdays int
}

// PatrolApplies reports whether workers of type t must patrol.
func (s *Scheme) PatrolApplies(t WorkerType) bool {
	for _, x := range s.PatrolAppliesTo {
		if x == t {
			return true
		}
	}
	return false
}

// Validate checks that the scheme is complete and its numbers make sense.
func (s *Scheme) Validate() error {
	switch {
	case s.ID == "":
		return Errorf(EINVALID, "方案缺少 id")
	case s.MinTenureMonths < 0:
		return Errorf(EINVALID, "min_tenure_months 不能为负数")
	case s.BatchDays < 1 || s.BatchDays > 27:
		return Errorf(EINVALID, "batch_days 应在 1 到 27 之间")
	case s.BatchShare <= 0 || s.BatchShare > 100:
		return Errorf(EINVALID, "batch_share 应大于 0 且不超过 1")
	case s.RedFactor < 100:
		return Errorf(EINVALID, "red_factor 不能小于 1")
	case s.WarnShare <= 0 || s.WarnShare > 100:
		return Errorf(EINVALID, "warn_share 应大于 0 且不超过 1")
	case s.FilingWorkdays < 1:
		return Errorf(EINVALID, "filing_workdays 应为不小于 1 的整数")
	case s.SeriousReportMinutes <= 0:
		return Errorf(EINVALID, "serious_report_hours 应大于 0")
	case s.EntryDays < 0:
		return Errorf(EINVALID, "entry_days 不能为负数")
	case s.VisitDay < 1 || s.VisitDay > 28:
		return Errorf(EINVALID, "visit_day 应在 1 到 28 之间")
	case s.PatrolsPerDay < 0:
		return Errorf(EINVALID, "patrols_per_day 不能为负数")
	case s.PatrolMinMinutes < 0:
		return Errorf(EINVALID, "patrol_min_hours 不能为负数")
	case s.IneligiblePay != IneligiblePayFull && s.IneligiblePay != IneligiblePayNone:
		return Errorf(EINVALID, "ineligible_pay 应为 full 或 none")
	case s.MonthlyPerformance < 0 || s.QuarterlySubsidy < 0:
		return Errorf(EINVALID, "绩效金额不能为负数")
	}
	var sum Points
	for _, c := range AllCategories {
		m, ok := s.Max[c]
		if !ok || m < 0 {
			return Errorf(EINVALID, "缺少类别 %s 的满分", c)
		}
		sum += m
	}
	if sum != 10000 {
		return Errorf(EINVALID, "五个类别满分之和应为 100，现为 %s", sum)
	}
	for _, r := range AllRules {
		if p, ok := s.Points[r]; !ok || p < 0 {
			return Errorf(EINVALID, "缺少规则 %s 的扣分值", r)
		}
	}
	for _, t := range []WorkerType{FullTime, PartTime} {
		q, ok := s.Quotas[t]
		if !ok || q.Total < 0 || q.Reported < 0 || q.Reported > q.Total {
			return Errorf(EINVALID, "%s 的事件定额缺失或不合理", t)
		}
	}
	for _, c := range Categories {
		if v, ok := s.VisitsPerMonth[c]; !ok || v < 0 {
			return Errorf(EINVALID, "缺少人群类别 %s 的每月走访次数", c)
		}
	}
	for _, r := range []Rating{RatingSatisfied, RatingBasic, RatingUnsatisfied} {
		if w, ok := s.RatingWeights[r]; !ok || w < 0 || w > 100 {
			return Errorf(EINVALID, "评价 %s 的权重应在 0 到 1 之间", r)
		}
	}
	for g, w := range s.GroupWeights {
		if g != RaterCadre && g != RaterResident {
			return Errorf(EINVALID, "未知的评价人类别 %s", g)
		}
		if w < 0 {
			return Errorf(EINVALID, "评价人类别 %s 的权重不能为负数", g)
		}
	}
	return nil
}
