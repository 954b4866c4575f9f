package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The town's warnings board (预警看板, RULES.md §9): every warning of every
// assessed worker of a town as of the page's moment, always from the live
// standing then (townWarningResults: never a stored snapshot's, which keeps
// the warnings of the moment it was computed at), filtered by rule, grid
// and due date, the warnings per rule, and who may lose points this week.

// WarningsPage is a town's warnings board for its center and the district.
type WarningsPage struct {
	Page
	Period Period
	Town   string
	// ToDistrict is set for the district center, which came from the
	// district's overview.
	ToDistrict bool
	// State is "open" while the page's moment is inside the quarter (the
	// warnings are listed), "ended" at or after the quarter's end (there
	// are none) and "early" before the quarter began.
	State string
	// DashboardURL is the town's dashboard, where the result is; ExportURL
	// the warnings as an Excel workbook (export.go).
	DashboardURL, ExportURL string
	Filter                  WarningFilter
	Rules, Grids, Dues      []Option
	// Counts are the warnings per rule that the grid and due filters leave,
	// with the points at risk, each a link that filters by the rule: without
	// a rule filter they add up to the list.
	Counts []RuleCount
	// Matched, MatchedWorkers and MatchedPoints count the warnings the
	// filters leave, the workers they concern and the points at risk.
	Matched, MatchedWorkers int
	MatchedPoints           string
	// Week answers "who may lose points this week" (in the grid chosen).
	Week  RiskList
	Rows  []WarningRow
	Pager Pager
	// Action is where the filter form goes; Reset clears the filters.
	Action, Reset string
}

// WarningFilter is the board's filter form as typed, with the message
// beside a date that could not be read.
type WarningFilter struct {
	Rule, Grid, Due, From, To string
	FromError, ToError        string
}

// RuleCount is how many warnings of one rule there are and the points at
// risk.
type RuleCount struct {
	Rule, Name string
	Count      int
	Points     string
	// URL filters the board by the rule; Selected marks the rule chosen.
	URL      string
	Selected bool
}

// RiskList is the short ranked list of the workers with the most points at
// risk in warnings due this week.
type RiskList struct {
	Rows []RiskRow
	// Workers and Points are the whole list's, of which Rows are the first.
	Workers int
	Points  string
	// More is how many workers the list leaves out.
	More int
}

// RiskRow is one worker of a RiskList: the points at risk this week, in how
// many warnings, when the first falls due, and the points at risk in all
// the worker's warnings.
type RiskRow struct {
	WorkerID, Name, Grid, URL string
	Points, All               string
	Count                     int
	Next                      string
}

// WarningRow is one warning of the board.
type WarningRow struct {
	WorkerID, Name, Grid, URL string
	Rule, RuleName, Period    string
	Points, Detail            string
	// Due is the moment in words ("08-15 周二 24:00 前"), Left how long is
	// left ("今天", "明天", "还剩 3 天"); Today marks a warning due today.
	Due, Left string
	Today     bool
}

// warningsPerPage caps the board's rows per page when the server's page
// size is larger.
const warningsPerPage = 100

// riskListSize is how many workers the list of who may lose points this
// week names.
const riskListSize = 10

// townWarnings is GET /towns/{town}/warnings: the town's warnings board.
func (s *Server) townWarnings(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.PathValue("town")
	if err := checkTownBoard(u, town); err != nil {
		return err
	}
	p, _, _, ws, err := s.townResult(r, u, town)
	if err != nil {
		return err
	}
	if ws, err = s.townWarningResults(r.Context(), p, town, ws); err != nil {
		return err
	}
	base := townPath(town)
	page := &WarningsPage{
		Page:         s.page(u, town+" "+p.Quarter.String()+" 预警看板", "warnings"),
		Period:       p,
		Town:         town,
		ToDistrict:   u.Role == gs.RoleDistrict,
		State:        warningState(p),
		DashboardURL: base + p.Query(),
		ExportURL:    base + "/export/warnings.xlsx" + p.Query(),
		Action:       base + "/warnings",
		Reset:        base + "/warnings" + p.Query(),
	}
	if page.State != "open" {
		return s.render(w, r, http.StatusOK, "warnings", page)
	}
	q := r.URL.Query()
	f := WarningFilter{
		Rule: strings.TrimSpace(q.Get("rule")), Grid: strings.TrimSpace(q.Get("grid")),
		Due: q.Get("due"), From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
	}
	win, status := readWindow(&f, gs.DateOf(p.AsOf))
	page.Filter = f
	items := collectWarnings(ws)
	link := func(v url.Values) string { return base + "/warnings" + p.With(v) }
	values := func(rule string, n int) url.Values {
		v := url.Values{"rule": {rule}, "grid": {f.Grid}, "due": {f.Due}, "from": {f.From}, "to": {f.To}}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return v
	}
	page.choices(items, f)
	var faceted, matched []warnItem
	for _, it := range items {
		if (f.Grid == "" || it.w.GridCode == f.Grid) && win.has(it.due) {
			faceted = append(faceted, it)
			if f.Rule == "" || string(it.Rule) == f.Rule {
				matched = append(matched, it)
			}
		}
	}
	for _, c := range countRules(faceted) {
		c.Selected = c.Rule == f.Rule
		c.URL = link(values(c.Rule, 1))
		page.Counts = append(page.Counts, c)
	}
	page.Matched = len(matched)
	page.MatchedWorkers, page.MatchedPoints = workersAndPoints(matched)
	page.Week = riskList(items, f.Grid, weekEnd(gs.DateOf(p.AsOf)), p)
	rows := make([]WarningRow, 0, len(matched))
	for _, it := range matched {
		rows = append(rows, warningRow(it, p))
	}
	page.Rows, page.Pager = paginate(rows, min(s.PageSize, warningsPerPage), q.Get("page"), func(n int) string {
		return link(values(f.Rule, n))
	})
	return s.render(w, r, status, "warnings", page)
}

// warningState tells whether the page's moment, which its warnings are
// as of (townWarningResults), is inside the quarter ("open"), after its end
// ("ended") or before it began ("early").
func warningState(p Period) string { return momentState(p.Quarter, p.AsOf) }

// resultState is warningState for the result the page shows: as of the
// stored snapshot's moment when the page shows one.
func resultState(p Period) string {
	if p.Stored != "" {
		return momentState(p.Quarter, p.StoredAsOf)
	}
	return momentState(p.Quarter, p.AsOf)
}

// momentState tells whether at is inside quarter q ("open"), at or after
// its end ("ended") or before it began ("early").
func momentState(q gs.Quarter, at time.Time) string {
	switch {
	case !at.Before(q.Last().End()):
		return "ended"
	case at.Before(q.First().Start()):
		return "early"
	}
	return "open"
}

// townPath is the path of a town's dashboard, which its other pages extend.
func townPath(town string) string { return "/towns/" + url.PathEscape(town) }

// choices puts the rules, grids and due windows the board may be filtered
// by into page, marking those of f.
func (page *WarningsPage) choices(items []warnItem, f WarningFilter) {
	rules, grids := map[string]bool{}, map[string]bool{}
	for _, it := range items {
		rules[string(it.Rule)] = true
		grids[it.w.GridCode] = true
	}
	if f.Rule != "" {
		rules[f.Rule] = true
	}
	if f.Grid != "" {
		grids[f.Grid] = true
	}
	page.Rules = options(rules, f.Rule)
	for i := range page.Rules {
		page.Rules[i].Label = gs.NameOr(gs.RuleName, gs.RuleID(page.Rules[i].Value))
	}
	page.Grids = options(grids, f.Grid)
	page.Dues = []Option{
		{Value: "today", Label: "今天到期", Selected: f.Due == "today"},
		{Value: "week", Label: "本周到期", Selected: f.Due == "week"},
	}
}

// warnItem is one warning of a worker, with the day it falls due: a
// warning due at midnight falls due at the end of the day before.
type warnItem struct {
	w *gs.WorkerResult
	gs.Warning
	due gs.Date
}

// collectWarnings returns every warning of ws, by due, then worker and
// rule.
func collectWarnings(ws []gs.WorkerResult) []warnItem {
	var out []warnItem
	for i := range ws {
		if ws[i].Warnings == nil {
			continue
		}
		for _, wn := range *ws[i].Warnings {
			out = append(out, warnItem{w: &ws[i], Warning: wn, due: dueDay(wn.Due)})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		if a.w.WorkerID != b.w.WorkerID {
			return a.w.WorkerID < b.w.WorkerID
		}
		return a.Rule < b.Rule
	})
	return out
}

// dueDay is the day a moment falls due in: the day before for midnight
// (the end of that day).
func dueDay(t time.Time) gs.Date { return gs.DateOf(t.Add(-time.Nanosecond)) }

// window is a range of due days, both ends included; a zero end is open.
type window struct{ from, to gs.Date }

func (w window) has(d gs.Date) bool {
	return (w.from == 0 || d >= w.from) && (w.to == 0 || d <= w.to)
}

// weekEnd is the Sunday of the week (Monday to Sunday) of day d.
func weekEnd(d gs.Date) gs.Date {
	wd := (int(d.Start().Weekday()) + 6) % 7 // Monday 0
	return d + gs.Date(6-wd)
}

// readWindow reads the due filters of f (today, this week, a date range)
// into a window as of day today, with 400 and the message beside a date
// that cannot be read.
func readWindow(f *WarningFilter, today gs.Date) (window, int) {
	var w window
	status := http.StatusOK
	switch f.Due {
	case "today":
		w.to = today
	case "week":
		w.to = weekEnd(today)
	default:
		f.Due = ""
	}
	for _, end := range []struct {
		text, msg *string
		set       func(gs.Date)
	}{
		{&f.From, &f.FromError, func(d gs.Date) { w.from = max(w.from, d) }},
		{&f.To, &f.ToError, func(d gs.Date) {
			if w.to == 0 || d < w.to {
				w.to = d
			}
		}},
	} {
		if *end.text == "" {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02", *end.text, gs.CST)
		if err != nil {
			*end.msg = "日期应写作 2023-08-15 这样的格式。"
			status = http.StatusBadRequest
			continue
		}
		end.set(gs.DateOf(t))
	}
	return w, status
}

// countRules counts items by rule, the rules with the most points at risk
// first (then the most warnings, then by id).
func countRules(items []warnItem) []RuleCount {
	by := map[gs.RuleID]*struct {
		n   int
		pts gs.Points
	}{}
	for _, it := range items {
		c := by[it.Rule]
		if c == nil {
			c = &struct {
				n   int
				pts gs.Points
			}{}
			by[it.Rule] = c
		}
		c.n++
		c.pts += it.Points
	}
	rules := make([]gs.RuleID, 0, len(by))
	for r := range by {
		rules = append(rules, r)
	}
	sort.Slice(rules, func(i, j int) bool {
		a, b := by[rules[i]], by[rules[j]]
		if a.pts != b.pts {
			return a.pts > b.pts
		}
		if a.n != b.n {
			return a.n > b.n
		}
		return rules[i] < rules[j]
	})
	out := make([]RuleCount, 0, len(rules))
	for _, r := range rules {
		out = append(out, RuleCount{Rule: string(r), Name: gs.NameOr(gs.RuleName, r), Count: by[r].n, Points: by[r].pts.String()})
	}
	return out
}

// workersAndPoints counts the workers items concern and adds up their
// points at risk.
func workersAndPoints(items []warnItem) (int, string) {
	seen := map[string]bool{}
	var pts gs.Points
	for _, it := range items {
		seen[it.w.WorkerID] = true
		pts += it.Points
	}
	return len(seen), pts.String()
}

// riskList ranks the workers of grid ("" for all) by the points at risk in
// their warnings due by the end of day last, the most first (then the
// soonest due, then by id), and keeps the first riskListSize.
func riskList(items []warnItem, grid string, last gs.Date, p Period) RiskList {
	type acc struct {
		w        *gs.WorkerResult
		pts, all gs.Points
		n        int
		next     time.Time
	}
	by := map[string]*acc{}
	for _, it := range items {
		if grid != "" && it.w.GridCode != grid {
			continue
		}
		a := by[it.w.WorkerID]
		if a == nil {
			a = &acc{w: it.w}
			by[it.w.WorkerID] = a
		}
		a.all += it.Points
		if it.due <= last {
			if a.n == 0 || it.Due.Before(a.next) {
				a.next = it.Due
			}
			a.pts += it.Points
			a.n++
		}
	}
	var list []*acc
	var total gs.Points
	for _, a := range by {
		if a.n > 0 {
			list = append(list, a)
			total += a.pts
		}
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.pts != b.pts {
			return a.pts > b.pts
		}
		if !a.next.Equal(b.next) {
			return a.next.Before(b.next)
		}
		return a.w.WorkerID < b.w.WorkerID
	})
	out := RiskList{Workers: len(list), Points: total.String(), More: max(len(list)-riskListSize, 0)}
	for _, a := range list[:min(len(list), riskListSize)] {
		due, _ := dueWords(a.next, p.AsOf)
		out.Rows = append(out.Rows, RiskRow{
			WorkerID: a.w.WorkerID, Name: a.w.Name, Grid: a.w.GridCode, URL: workerURL(a.w.WorkerID, p),
			Points: a.pts.String(), All: a.all.String(), Count: a.n, Next: due,
		})
	}
	return out
}

// warningRow is a warning of the board in words.
func warningRow(it warnItem, p Period) WarningRow {
	due, left := dueWords(it.Due, p.AsOf)
	return WarningRow{
		WorkerID: it.w.WorkerID, Name: it.w.Name, Grid: it.w.GridCode, URL: workerURL(it.w.WorkerID, p),
		Rule: string(it.Rule), RuleName: gs.NameOr(gs.RuleName, it.Rule), Period: it.Period,
		Points: it.Points.String(), Detail: it.Detail, Due: due, Left: left, Today: it.due == gs.DateOf(p.AsOf),
	}
}

// weekdayName is the Chinese name of each day of the week.
var weekdayName = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// dueWords writes a due moment as the board shows it ("08-15 周二 24:00
// 前"; midnight is the end of the day before) and how long is left as of
// asOf ("今天", "明天", "还剩 3 天").
func dueWords(due, asOf time.Time) (string, string) {
	d := dueDay(due)
	clock := due.In(gs.CST).Format("15:04")
	if due.Equal(d.End()) {
		clock = "24:00"
	}
	text := d.Start().Format("01-02") + " " + weekdayName[d.Start().Weekday()] + " " + clock + " 前"
	switch n := int(d - gs.DateOf(asOf)); {
	case n <= 0:
		return text, "今天"
	case n == 1:
		return text, "明天"
	default:
		return text, "还剩 " + strconv.Itoa(n) + " 天"
	}
}
