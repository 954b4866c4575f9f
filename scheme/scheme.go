// Package scheme reads an assessment scheme (考核方案) from YAML into a
// gridscore.Scheme. The scheme is data, so another town can change any number
// of RULES.md marked *param* without a new build. The default scheme, the
// town regulation XX镇网格员管理考核办法 of 2023, is embedded.
//
// Decimal settings (points, shares, factors, hours, weights, yuan) are read
// exactly from the text of the YAML scalar, never through float64. Every
// error names the file, the line and the setting, in Chinese, because the
// person reading it is a town administrator editing the file.
package scheme

import (
	"bytes"
	_ "embed"
	"errors"
	"io"
	"io/fs"
	"os"
	"regexp"

	"github.com/gridscore/gridscore"
	"go.yaml.in/yaml/v3"
)

// defaultFile is the name of the embedded default scheme, as errors name it.
const defaultFile = "xx-town-2023.yaml"

//go:embed xx-town-2023.yaml
var defaultYAML []byte

// Default returns the embedded default scheme xx-town-2023. It panics only if
// the embedded file is broken, which the package's tests rule out. Each call
// returns a fresh Scheme whose maps the caller may change.
func Default() gridscore.Scheme {
	s, err := Parse(defaultFile, defaultYAML)
	if err != nil {
		panic("scheme: embedded default scheme is broken: " + err.Error())
	}
	return s
}

// DefaultYAML returns a copy of the embedded default scheme's text, with its
// comments, as a starting point for a town that writes its own scheme.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Load reads and parses the scheme file at path.
func Load(path string) (gridscore.Scheme, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return gridscore.Scheme{}, gridscore.Errorf(gridscore.ENOTFOUND, "找不到方案文件 %s", path)
	} else if err != nil {
		return gridscore.Scheme{}, gridscore.Errorf(gridscore.EINVALID, "无法读取方案文件 %s：%v", path, err)
	}
	return Parse(path, data)
}

// yamlLine matches the line number in an error of the YAML parser.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses the YAML text of a scheme; name (usually the file name) is
// used in error messages. The scheme must set every setting of the default
// scheme except satisfaction.group_weights, satisfaction.min_ballots (10
// when absent) and events.warn_share (0.7 when absent); unknown settings are errors, so
// that a misspelt key is not silently ignored. The result has passed
// Scheme.Validate.
func Parse(name string, data []byte) (gridscore.Scheme, error) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); errors.Is(err, io.EOF) {
		return gridscore.Scheme{}, gridscore.Errorf(gridscore.EINVALID, "%s: 方案文件是空的", name)
	} else if err != nil {
		return gridscore.Scheme{}, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return gridscore.Scheme{}, gridscore.Errorf(gridscore.EINVALID, "%s:%d: 方案文件只能包含一个 YAML 文档（去掉多余的 ---）", name, extra.Line)
	} else if !errors.Is(err, io.EOF) {
		return gridscore.Scheme{}, yamlError(name, err)
	}

	p := &parser{file: name}
	s := p.scheme(&root)
	if p.err != nil {
		return gridscore.Scheme{}, p.err
	}
	if err := s.Validate(); err != nil {
		return gridscore.Scheme{}, gridscore.Errorf(gridscore.EINVALID, "%s: %s", name, gridscore.ErrorMessage(err))
	}
	return s, nil
}

// yamlError turns an error of the YAML parser into one that names the file
// and, where the parser gives it, the line.
func yamlError(name string, err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return gridscore.Errorf(gridscore.EINVALID, "%s:%s: 不是有效的 YAML 格式（%s）", name, m[1], m[2])
	}
	return gridscore.Errorf(gridscore.EINVALID, "%s: 不是有效的 YAML 格式（%v）", name, err)
}

// The keys of each section of a scheme file, in the order of the default file.
var (
	topKeys          = []string{"id", "name", "effective_from", "min_tenure_months", "categories", "rules", "events", "key_work", "discipline", "satisfaction", "pay", "quarter"}
	eventsKeys       = []string{"quota", "batch_days", "batch_share", "red_factor", "warn_share", "serious_report_hours"}
	quotaKeys        = []string{"total", "reported"}
	keyWorkKeys      = []string{"entry_days", "visit_day", "visits_per_month"}
	disciplineKeys   = []string{"patrol_applies_to", "patrols_per_day", "patrol_min_hours"}
	satisfactionKeys = []string{"rating_weights", "group_weights", "min_ballots"}
	payKeys          = []string{"monthly_performance_yuan", "quarterly_subsidy_yuan", "ineligible_pay"}
	quarterKeys      = []string{"appeal_workdays", "filing_workdays"}

	workerTypes = []gridscore.WorkerType{gridscore.FullTime, gridscore.PartTime}
	ratings     = []gridscore.Rating{gridscore.RatingSatisfied, gridscore.RatingBasic, gridscore.RatingUnsatisfied}
	raterGroups = []gridscore.RaterGroup{gridscore.RaterCadre, gridscore.RaterResident}
)

// defaultWarnShare is events.warn_share when a scheme file does not set it
// (0.7, RULES.md §9): the setting came after towns had written their own
// scheme files, which keep loading unchanged.
const defaultWarnShare = 70

// defaultMinBallots is satisfaction.min_ballots when a scheme file does
// not set it: the survey's dashboard warns about a grid with fewer
// answers. The setting came with the survey (issue 15), after towns had
// written their own scheme files, which keep loading unchanged.
const defaultMinBallots = 10

// defaultFilingWorkdays is quarter.filing_workdays when a scheme file does
// not set it: towns file (报备) a quarter by the 15th workday after its last
// day. RULES.md §8 names no deadline; the setting came after towns had
// written their own scheme files, which keep loading unchanged.
const defaultFilingWorkdays = 15

// scheme reads the whole document into a Scheme, in the order of the file,
// so that the first error reported is the first one a reader meets.
func (p *parser) scheme(root *yaml.Node) gridscore.Scheme {
	top := p.top(root, topKeys)
	s := gridscore.Scheme{
		ID:              top.text("id"),
		Name:            top.text("name"),
		EffectiveFrom:   top.month("effective_from"),
		MinTenureMonths: top.count("min_tenure_months"),
		Max:             make(map[gridscore.CategoryID]gridscore.Points),
		Points:          make(map[gridscore.RuleID]gridscore.Points),
		Quotas:          make(map[gridscore.WorkerType]gridscore.Quota),
		VisitsPerMonth:  make(map[gridscore.Category]int),
		RatingWeights:   make(map[gridscore.Rating]int64),
		GroupWeights:    make(map[gridscore.RaterGroup]int64),
	}

	cats := top.section("categories", names(gridscore.AllCategories), "不是已知的考核类别")
	for _, c := range gridscore.AllCategories {
		s.Max[c] = gridscore.Points(cats.decimal(string(c)))
	}
	rules := top.section("rules", names(gridscore.AllRules), "不是已知的规则 id")
	for _, r := range gridscore.AllRules {
		s.Points[r] = gridscore.Points(rules.decimal(string(r)))
	}

	events := top.section("events", eventsKeys, "不是已知的设置项")
	quotas := events.section("quota", names(workerTypes), "不是已知的网格员类型")
	for _, t := range workerTypes {
		q := quotas.section(string(t), quotaKeys, "不是已知的设置项")
		s.Quotas[t] = gridscore.Quota{Total: q.count("total"), Reported: q.count("reported")}
	}
	s.BatchDays = events.count("batch_days")
	s.BatchShare = events.decimal("batch_share")
	s.RedFactor = events.decimal("red_factor")
	s.WarnShare = defaultWarnShare
	if events.has("warn_share") {
		s.WarnShare = events.decimal("warn_share")
	}
	s.SeriousReportMinutes = events.minutes("serious_report_hours")

	key := top.section("key_work", keyWorkKeys, "不是已知的设置项")
	s.EntryDays = key.count("entry_days")
	s.VisitDay = key.count("visit_day")
	visits := key.section("visits_per_month", names(gridscore.Categories), "不是已知的特殊人群类别")
	for _, c := range gridscore.Categories {
		s.VisitsPerMonth[c] = visits.count(string(c))
	}

	disc := top.section("discipline", disciplineKeys, "不是已知的设置项")
	for _, t := range disc.list("patrol_applies_to", names(workerTypes), "不是已知的网格员类型") {
		s.PatrolAppliesTo = append(s.PatrolAppliesTo, gridscore.WorkerType(t))
	}
	s.PatrolsPerDay = disc.count("patrols_per_day")
	s.PatrolMinMinutes = disc.minutes("patrol_min_hours")

	sat := top.section("satisfaction", satisfactionKeys, "不是已知的设置项")
	rw := sat.section("rating_weights", names(ratings), "不是已知的评价等级")
	for _, r := range ratings {
		s.RatingWeights[r] = rw.decimal(string(r))
	}
	if sat.has("group_weights") {
		gw := sat.section("group_weights", names(raterGroups), "不是已知的评价人类别")
		for _, g := range raterGroups {
			if gw.has(string(g)) {
				s.GroupWeights[g] = gw.decimal(string(g))
			}
		}
	}

	s.MinBallots = defaultMinBallots
	if sat.has("min_ballots") {
		s.MinBallots = sat.count("min_ballots")
	}

	pay := top.section("pay", payKeys, "不是已知的设置项")
	s.MonthlyPerformance = gridscore.Fen(pay.decimal("monthly_performance_yuan"))
	s.QuarterlySubsidy = gridscore.Fen(pay.decimal("quarterly_subsidy_yuan"))
	s.IneligiblePay = gridscore.IneligiblePay(pay.choice("ineligible_pay", []string{"full", "none"}, "应为 full（照发）或 none（不发）"))

	quarter := top.section("quarter", quarterKeys, "不是已知的设置项")
	s.AppealWorkdays = quarter.count("appeal_workdays")
	s.FilingWorkdays = defaultFilingWorkdays
	if quarter.has("filing_workdays") {
		s.FilingWorkdays = quarter.count("filing_workdays")
	}
	return s
}

// names converts a list of string-based ids to plain strings.
func names[T ~string](ids []T) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
