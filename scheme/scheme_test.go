package scheme_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/scheme"
)

// TestDefault checks the embedded scheme against the numbers of RULES.md,
// setting by setting.
func TestDefault(t *testing.T) {
	t.Parallel()
	s := scheme.Default()
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"id", s.ID, "xx-town-2023"},
		{"name", s.Name, "XX镇网格员管理考核办法"},
		{"effective from 2023-06", s.EffectiveFrom, gridscore.Month{Year: 2023, Month: time.June}},
		{"§1 assessed after 6 months in post", s.MinTenureMonths, 6},
		{"§2 info is worth 5", s.Max[gridscore.CatInfo], gridscore.Points(500)},
		{"§3 events are worth 30", s.Max[gridscore.CatEvents], gridscore.Points(3000)},
		{"§4 key work is worth 30", s.Max[gridscore.CatKeyWork], gridscore.Points(3000)},
		{"§5 discipline is worth 15", s.Max[gridscore.CatDiscipline], gridscore.Points(1500)},
		{"§6 satisfaction is worth 20", s.Max[gridscore.CatSatisfaction], gridscore.Points(2000)},
		{"info.stale −2", s.Points[gridscore.RuleInfoStale], gridscore.Points(200)},
		{"info.incomplete −1", s.Points[gridscore.RuleInfoIncomplete], gridscore.Points(100)},
		{"events.quota −1 per missing event", s.Points[gridscore.RuleEventsQuota], gridscore.Points(100)},
		{"events.batch −10 per month", s.Points[gridscore.RuleEventsBatch], gridscore.Points(1000)},
		{"events.yellow −5", s.Points[gridscore.RuleEventsYellow], gridscore.Points(500)},
		{"events.red −10", s.Points[gridscore.RuleEventsRed], gridscore.Points(1000)},
		{"events.irregular −1", s.Points[gridscore.RuleEventsIrregular], gridscore.Points(100)},
		{"events.omit_general −1", s.Points[gridscore.RuleEventsOmitGeneral], gridscore.Points(100)},
		{"events.omit_major −3", s.Points[gridscore.RuleEventsOmitMajor], gridscore.Points(300)},
		{"events.serious_late −10", s.Points[gridscore.RuleEventsSeriousLate], gridscore.Points(1000)},
		{"key.missing_entry −3", s.Points[gridscore.RuleKeyMissingEntry], gridscore.Points(300)},
		{"key.visits −5 per month", s.Points[gridscore.RuleKeyVisits], gridscore.Points(500)},
		{"key.lost_control −10", s.Points[gridscore.RuleKeyLostControl], gridscore.Points(1000)},
		{"discipline.login −3", s.Points[gridscore.RuleDisciplineLogin], gridscore.Points(300)},
		{"discipline.items −3", s.Points[gridscore.RuleDisciplineItems], gridscore.Points(300)},
		{"discipline.patrol −3", s.Points[gridscore.RuleDisciplinePatrol], gridscore.Points(300)},
		{"discipline.meeting −3", s.Points[gridscore.RuleDisciplineMeeting], gridscore.Points(300)},
		{"discipline.inspection −10", s.Points[gridscore.RuleDisciplineInspect], gridscore.Points(1000)},
		{"discipline.disobey −15", s.Points[gridscore.RuleDisciplineDisobey], gridscore.Points(1500)},
		{"discipline.phone −3", s.Points[gridscore.RuleDisciplinePhone], gridscore.Points(300)},
		{"discipline.quiz −0.5 per wrong answer", s.Points[gridscore.RuleDisciplineQuiz], gridscore.Points(50)},
		{"every rule has points", len(s.Points), len(gridscore.AllRules)},
		{"full-time quota 56 with 8 reported", s.Quotas[gridscore.FullTime], gridscore.Quota{Total: 56, Reported: 8}},
		{"part-time quota 52 with 4 reported", s.Quotas[gridscore.PartTime], gridscore.Quota{Total: 52, Reported: 4}},
		{"batch window is the last 5 days", s.BatchDays, 5},
		{"batch share is half", s.BatchShare, int64(50)},
		{"red card at twice the limit", s.RedFactor, int64(200)},
		{"open events warned at 70 % of their time limit", s.WarnShare, int64(70)},
		{"serious events within 2 hours", s.SeriousReportMinutes, int64(120)},
		{"roster entry within 7 days", s.EntryDays, 7},
		{"visits by the 28th", s.VisitDay, 28},
		{"1 visit a month per person, each category", s.VisitsPerMonth, map[gridscore.Category]int{
			gridscore.CategoryDrug: 1, gridscore.CategoryCorrection: 1, gridscore.CategoryReleased: 1, gridscore.CategoryMental: 1,
		}},
		{"both worker types patrol", s.PatrolAppliesTo, []gridscore.WorkerType{gridscore.FullTime, gridscore.PartTime}},
		{"2 patrols a day", s.PatrolsPerDay, 2},
		{"patrols of at least 3 hours", s.PatrolMinMinutes, int64(180)},
		{"satisfied and basic count 1, unsatisfied 0", s.RatingWeights, map[gridscore.Rating]int64{
			gridscore.RatingSatisfied: 100, gridscore.RatingBasic: 100, gridscore.RatingUnsatisfied: 0,
		}},
		{"ballots pooled", len(s.GroupWeights), 0},
		{"a survey's grid wants at least 10 answers", s.MinBallots, 10},
		{"200 yuan a month for full-time", s.MonthlyPerformance, gridscore.Fen(20000)},
		{"no default part-time subsidy", s.QuarterlySubsidy, gridscore.Fen(0)},
		{"not assessed: paid in full", s.IneligiblePay, gridscore.IneligiblePayFull},
		{"5 workdays to appeal", s.AppealWorkdays, 5},
		{"filed by the 15th workday after the quarter", s.FilingWorkdays, 15},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if err := s.Validate(); err != nil {
		t.Errorf("default scheme does not validate: %v", err)
	}
}

// TestDefaultIsFresh checks that a caller changing its copy of the default
// scheme does not change anyone else's.
func TestDefaultIsFresh(t *testing.T) {
	t.Parallel()
	a := scheme.Default()
	a.Points[gridscore.RuleEventsRed] = 0
	if b := scheme.Default(); b.Points[gridscore.RuleEventsRed] != 1000 {
		t.Fatalf("changing one Default() changed the next: events.red = %v", b.Points[gridscore.RuleEventsRed])
	}
}

// edit is a change made to the default scheme's text for a test.
type edit func(t *testing.T, text string) string

// replace changes the one occurrence of old into new.
func replace(old, new string) edit {
	return func(t *testing.T, text string) string {
		t.Helper()
		if n := strings.Count(text, old); n != 1 {
			t.Fatalf("%q occurs %d times in the default scheme, want once", old, n)
		}
		return strings.Replace(text, old, new, 1)
	}
}

// dropLine removes the one line that starts with prefix.
func dropLine(prefix string) edit {
	return func(t *testing.T, text string) string {
		t.Helper()
		lines := strings.SplitAfter(text, "\n")
		var out []string
		for _, l := range lines {
			if !strings.HasPrefix(l, prefix) {
				out = append(out, l)
			}
		}
		if len(out) != len(lines)-1 {
			t.Fatalf("%d lines start with %q, want one", len(lines)-len(out), prefix)
		}
		return strings.Join(out, "")
	}
}

// appendText adds text at the end of the file.
func appendText(s string) edit {
	return func(t *testing.T, text string) string { return text + s }
}

// lineOf returns the line number of the first occurrence of s in text.
func lineOf(t *testing.T, text, s string) int {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in the edited scheme", s)
	}
	// A leading newline in s only anchors it to the start of a line.
	i += len(s) - len(strings.TrimLeft(s, "\n"))
	return strings.Count(text[:i], "\n") + 1
}

func TestParseEditedDefault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edits []edit
		check func(s gridscore.Scheme) string // returns what is wrong, or ""
	}{
		{
			"group weights cadre 40% and resident 60%",
			[]edit{replace("group_weights: {}", "group_weights: {cadre: 0.4, resident: 0.6}")},
			func(s gridscore.Scheme) string {
				want := map[gridscore.RaterGroup]int64{gridscore.RaterCadre: 40, gridscore.RaterResident: 60}
				if !reflect.DeepEqual(s.GroupWeights, want) {
					return fmt.Sprintf("group weights %v, want %v", s.GroupWeights, want)
				}
				return ""
			},
		},
		{
			"group weights left out altogether means pooled",
			[]edit{dropLine("  group_weights:")},
			func(s gridscore.Scheme) string {
				if len(s.GroupWeights) != 0 {
					return "group weights set"
				}
				return ""
			},
		},
		{
			"decimals are exact where float64 would round down (0.29, 0.57, 1234.57)",
			[]edit{
				replace("discipline.quiz: 0.5", "discipline.quiz: 0.29"),
				replace("batch_share: 0.5", "batch_share: 0.57"),
				replace("monthly_performance_yuan: 200", "monthly_performance_yuan: 1234.57"),
			},
			func(s gridscore.Scheme) string {
				if s.Points[gridscore.RuleDisciplineQuiz] != 29 || s.BatchShare != 57 || s.MonthlyPerformance != 123457 {
					return fmt.Sprintf("quiz %d, share %d, pay %d; want 29, 57, 123457", s.Points[gridscore.RuleDisciplineQuiz], s.BatchShare, s.MonthlyPerformance)
				}
				return ""
			},
		},
		{
			"warn share 0.85 is read exactly",
			[]edit{replace("warn_share: 0.7 ", "warn_share: 0.85 ")},
			func(s gridscore.Scheme) string {
				if s.WarnShare != 85 {
					return fmt.Sprintf("warn share %d, want 85", s.WarnShare)
				}
				return ""
			},
		},
		{
			"a scheme file written before the survey (no min_ballots) wants 10 answers a grid",
			[]edit{dropLine("  min_ballots:")},
			func(s gridscore.Scheme) string {
				if s.MinBallots != 10 {
					return fmt.Sprintf("min ballots %d, want 10", s.MinBallots)
				}
				return ""
			},
		},
		{
			"min_ballots 25 is read",
			[]edit{replace("min_ballots: 10 ", "min_ballots: 25 ")},
			func(s gridscore.Scheme) string {
				if s.MinBallots != 25 {
					return fmt.Sprintf("min ballots %d, want 25", s.MinBallots)
				}
				return ""
			},
		},
		{
			"a scheme file written before warnings existed (no warn_share) warns at 0.7",
			[]edit{dropLine("  warn_share:")},
			func(s gridscore.Scheme) string {
				if s.WarnShare != 70 {
					return fmt.Sprintf("warn share %d, want 70", s.WarnShare)
				}
				return ""
			},
		},
		{
			"a scheme file written before filing deadlines existed (no filing_workdays) gives 15 workdays",
			[]edit{dropLine("  filing_workdays:")},
			func(s gridscore.Scheme) string {
				if s.FilingWorkdays != 15 {
					return fmt.Sprintf("filing workdays %d, want 15", s.FilingWorkdays)
				}
				return ""
			},
		},
		{
			"hours become minutes: 1.5 h report limit, 0.25 h patrols",
			[]edit{
				replace("serious_report_hours: 2", "serious_report_hours: 1.5"),
				replace("patrol_min_hours: 3", "patrol_min_hours: 0.25"),
			},
			func(s gridscore.Scheme) string {
				if s.SeriousReportMinutes != 90 || s.PatrolMinMinutes != 15 {
					return fmt.Sprintf("minutes %d and %d, want 90 and 15", s.SeriousReportMinutes, s.PatrolMinMinutes)
				}
				return ""
			},
		},
		{
			"only full-time workers patrol; part-time paid nothing when not assessed",
			[]edit{
				replace("patrol_applies_to: [full_time, part_time]", "patrol_applies_to: [full_time]"),
				replace("ineligible_pay: full", "ineligible_pay: none"),
			},
			func(s gridscore.Scheme) string {
				if s.PatrolApplies(gridscore.PartTime) || !s.PatrolApplies(gridscore.FullTime) || s.IneligiblePay != gridscore.IneligiblePayNone {
					return "wrong patrol or pay"
				}
				return ""
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text := string(scheme.DefaultYAML())
			for _, e := range tt.edits {
				text = e(t, text)
			}
			s, err := scheme.Parse("town.yaml", []byte(text))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if msg := tt.check(s); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edits []edit
		at    string // text whose line the error must name; "" for an error of the whole file
		want  string // the rest of the message
	}{
		{"points with three decimals", []edit{replace("events.red: 10 ", "events.red: 10.555 ")},
			"events.red: 10.555", "rules.events.red: 应为不小于 0 的数字，最多两位小数"},
		{"negative points", []edit{replace("events.red: 10 ", "events.red: -10 ")},
			"events.red: -10", "rules.events.red: 应为不小于 0 的数字，最多两位小数"},
		{"points written as words", []edit{replace("events.red: 10 ", "events.red: ten ")},
			"events.red: ten", "rules.events.red: 应为不小于 0 的数字"},
		{"points in quotes", []edit{replace("events.red: 10 ", `events.red: "10" `)},
			`events.red: "10"`, "rules.events.red: 应为不小于 0 的数字"},
		{"a rule id that does not exist", []edit{replace("\nrules:", "\nrules:\n  events.blue: 3")},
			"events.blue", "rules.events.blue: 不是已知的规则 id"},
		{"a rule left out", []edit{dropLine("  events.red:")},
			"\nrules:", "rules: 缺少设置 events.red"},
		{"an unknown top-level setting", []edit{appendText("colour: red\n")},
			"colour:", "colour: 不是已知的设置项"},
		{"a misspelt setting in a section", []edit{replace("  batch_days: 5", "  batch_day: 5")},
			"batch_day:", "events.batch_day: 不是已知的设置项（可用的有：quota、batch_days"},
		{"an unknown category", []edit{replace("  info: 5 ", "  infos: 5 ")},
			"infos:", "categories.infos: 不是已知的考核类别"},
		{"a whole section left out", []edit{dropLine("quarter:"), dropLine("  appeal_workdays:"), dropLine("  filing_workdays:")},
			"\nid:", "缺少设置 quarter"},
		{"a quota without its reported number", []edit{replace("part_time: {total: 52, reported: 4}", "part_time: {total: 52}")},
			"part_time: {total: 52}", "events.quota.part_time: 缺少设置 reported"},
		{"a section written as a number", []edit{replace("full_time: {total: 56, reported: 8}", "full_time: 56")},
			"full_time: 56", "events.quota.full_time: 应为若干“名称: 值”"},
		{"a section left empty", []edit{replace("\nquarter:", "\nquarter: ~\nunused:"), dropLine("  appeal_workdays:"), dropLine("  filing_workdays:"), dropLine("unused:")},
			"quarter: ~", "quarter: 应为若干“名称: 值”"},
		{"a count with decimals", []edit{replace("entry_days: 7", "entry_days: 7.5")},
			"entry_days:", "key_work.entry_days: 应为不小于 0 的整数"},
		{"a negative count", []edit{replace("min_tenure_months: 6", "min_tenure_months: -6")},
			"min_tenure_months:", "min_tenure_months: 应为不小于 0 的整数"},
		{"a count that is a list", []edit{replace("visit_day: 28", "visit_day: [28]")},
			"visit_day:", "key_work.visit_day: 应为单个值"},
		{"hours that are not whole minutes", []edit{replace("serious_report_hours: 2", "serious_report_hours: 2.01")},
			"serious_report_hours:", "events.serious_report_hours: 换算成分钟应为整数"},
		{"an unknown ineligible pay", []edit{replace("ineligible_pay: full", "ineligible_pay: half")},
			"ineligible_pay:", "pay.ineligible_pay: 应为 full（照发）或 none（不发）"},
		{"a month 13", []edit{replace("effective_from: 2023-06", "effective_from: 2023-13")},
			"effective_from:", "effective_from: 应为年月，如 2023-06"},
		{"a full date instead of a month", []edit{replace("effective_from: 2023-06", "effective_from: 2023-06-01")},
			"effective_from:", "effective_from: 应为年月，如 2023-06"},
		{"an empty id", []edit{replace("id: xx-town-2023", "id: ~")},
			"id: ~", "id: 不能为空"},
		{"an unknown worker type in the patrol list", []edit{replace("[full_time, part_time]", "[full_time, boss]")},
			"patrol_applies_to:", "discipline.patrol_applies_to: boss 不是已知的网格员类型"},
		{"a worker type twice in the patrol list", []edit{replace("[full_time, part_time]", "[full_time, full_time]")},
			"patrol_applies_to:", "discipline.patrol_applies_to: full_time 重复出现"},
		{"the patrol list written as one value", []edit{replace("[full_time, part_time]", "full_time")},
			"patrol_applies_to:", "discipline.patrol_applies_to: 应为列表"},
		{"an unknown rater group", []edit{replace("group_weights: {}", "group_weights: {cadre: 0.4, boss: 0.6}")},
			"group_weights:", "satisfaction.group_weights.boss: 不是已知的评价人类别"},
		{"a rating left out", []edit{dropLine("    basic:")},
			"  rating_weights:", "satisfaction.rating_weights: 缺少设置 basic"},
		{"a setting given twice", []edit{replace("\nname:", "\nid: again\nname:")},
			"id: again", "id: 重复的设置（第"},
		{"a second YAML document", []edit{appendText("---\nid: other\n")},
			"---\nid: other", "方案文件只能包含一个 YAML 文档"},
		{"broken YAML", []edit{appendText("oops: [unclosed\n")},
			"", "不是有效的 YAML 格式"},
		{"tabs for indentation", []edit{replace("  appeal_workdays: 5", "\tappeal_workdays: 5")},
			"", "不是有效的 YAML 格式"},
		// Errors that Scheme.Validate finds name the file but no line.
		{"a batch share above 1", []edit{replace("batch_share: 0.5", "batch_share: 1.5")},
			"", "batch_share 应大于 0 且不超过 1"},
		{"a filing deadline of 0 workdays", []edit{replace("filing_workdays: 15", "filing_workdays: 0")},
			"", "filing_workdays 应为不小于 1 的整数"},
		{"a warn share of 0", []edit{replace("warn_share: 0.7 ", "warn_share: 0 ")},
			"", "warn_share 应大于 0 且不超过 1"},
		{"a warn share above 1", []edit{replace("warn_share: 0.7 ", "warn_share: 1.2 ")},
			"", "warn_share 应大于 0 且不超过 1"},
		{"categories not adding up to 100", []edit{replace("  info: 5 ", "  info: 6 ")},
			"", "五个类别满分之和应为 100，现为 101"},
		{"more reported events than events", []edit{replace("{total: 52, reported: 4}", "{total: 52, reported: 60}")},
			"", "part_time 的事件定额缺失或不合理"},
		{"a red factor below 1", []edit{replace("red_factor: 2", "red_factor: 0.5")},
			"", "red_factor 不能小于 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text := string(scheme.DefaultYAML())
			for _, e := range tt.edits {
				text = e(t, text)
			}
			_, err := scheme.Parse("xx.yaml", []byte(text))
			if err == nil {
				t.Fatal("Parse accepted the broken scheme")
			}
			if code := gridscore.ErrorCode(err); code != gridscore.EINVALID {
				t.Errorf("error code %q, want %q", code, gridscore.EINVALID)
			}
			msg := err.Error()
			prefix := "xx.yaml: "
			if tt.at != "" {
				prefix = fmt.Sprintf("xx.yaml:%d: ", lineOf(t, text, tt.at))
			} else if strings.Contains(tt.want, "YAML") {
				prefix = "xx.yaml:" // the YAML parser's own line
			}
			if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q\nwant   %q…%q", msg, prefix, tt.want)
			}
		})
	}
}

func TestParseNotAScheme(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data string
		want string
	}{
		{"an empty file", "", "xx.yaml: 方案文件是空的"},
		{"only comments", "# 还没写\n", "xx.yaml: 方案文件是空的"},
		{"a sentence, not settings", "这不是考核方案，只是一段话。\n", "xx.yaml:1: 方案文件应由“设置名: 值”组成"},
		{"a list, not settings", "- a\n- b\n", "xx.yaml:1: 方案文件应由“设置名: 值”组成"},
		{"binary data", "\x00\x01\x02", "xx.yaml: 不是有效的 YAML 格式"},
		{"JSON of something else", `{"hello": "world"}`, "xx.yaml:1: hello: 不是已知的设置项"},
	}
	for _, tt := range tests {
		_, err := scheme.Parse("xx.yaml", []byte(tt.data))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one starting %q", tt.name, err, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	good := filepath.Join(dir, "town.yaml")
	text := strings.Replace(string(scheme.DefaultYAML()), "id: xx-town-2023", "id: yy-town-2024", 1)
	if err := os.WriteFile(good, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := scheme.Load(good)
	if err != nil {
		t.Fatalf("Load(%s): %v", good, err)
	}
	if s.ID != "yy-town-2024" {
		t.Errorf("Load read id %q, want yy-town-2024", s.ID)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(strings.Replace(text, "events.red: 10 ", "events.red: x ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := scheme.Load(bad); err == nil || !strings.HasPrefix(err.Error(), bad+":") {
		t.Errorf("Load of a bad file: error %v, want one starting %q", err, bad+":")
	}

	missing := filepath.Join(dir, "nope.yaml")
	_, err = scheme.Load(missing)
	if err == nil || !strings.Contains(err.Error(), missing) || gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
		t.Errorf("Load of a missing file: error %v (code %q), want a not-found error naming %s", err, gridscore.ErrorCode(err), missing)
	}
	var e *gridscore.Error
	if !errors.As(err, &e) {
		t.Errorf("Load of a missing file: error %T, want *gridscore.Error", err)
	}
}
