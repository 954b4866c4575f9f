package web

import (
	"net/http"
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// DistrictPage is the district center's overview: every town's numbers and
// quarter state, each linking to the town's dashboard, and how far the
// towns are with filing (报备).
type DistrictPage struct {
	Page
	Period Period
	// Open is set while the moment is inside the quarter: each town's row
	// then tells the workers and the points at risk (WarningSummary).
	Open bool
	// Warming counts the towns whose live result is being computed in the
	// background: their numbers (and warnings) come on the next refresh.
	Warming int
	Notes   []string
	// Stats, Histogram and Categories cover every town: the stored result
	// of those computed, the live standing of the others. Stats.Workers
	// counts the workers of every town, including those of the towns
	// Pending leaves out of the other numbers.
	Stats      Stats
	Histogram  Histogram
	Categories CategoryChart
	Towns      []TownRow
	// Pending counts the workers of the towns whose numbers are not known
	// yet (being computed, or a quarter not begun), whom Stats' other
	// numbers, Histogram and Categories leave out.
	Pending int
	// Provisional is set when a number of the page may still change: some
	// town's quarter is not finalized (gs.QuarterState.Final).
	Provisional bool
	Filing      FilingProgress
}

// TownRow is one town of the district overview.
type TownRow struct {
	Town, URL string
	// State is the name of the state of the town's quarter (进行中 …
	// 已报备), Changed when it reached it ("" for a quarter nobody computed).
	State, Changed string
	// Source says where the numbers come from and whether they are final
	// (实时 · 暂定, 已计算 · 暂定, 定稿); Provisional marks those not final.
	Source      string
	Provisional bool
	// Pending is set for a town whose numbers are not known yet: Stats
	// then gives only the number of workers, and Why says why (计算中,
	// 季度未开始).
	Pending bool
	Why     string
	Stats   Stats
	// Risk sums up the town's warnings as of the moment, while the quarter
	// is open, when known (nil otherwise: Warming says they are being
	// computed in the background).
	Risk    *WarningSummary
	Warming bool
	// WarningsURL is the town's warnings board.
	WarningsURL string
}

// FilingProgress is how far the towns are with filing (报备) the quarter
// against the deadline of the scheme's quarter.filing_workdays.
type FilingProgress struct {
	// Deadline is the last day to file; Workdays how many workdays after
	// the quarter's last day it falls.
	Deadline string
	Workdays int
	// Today is the day the statuses are judged on (the page's moment).
	Today              string
	Towns, Filed, Late int
	// Ended is set once the quarter is over, when filing is due.
	Ended bool
	Rows  []FilingRow
}

// FilingRow is one town's filing status.
type FilingRow struct {
	Town, URL, State, Status, FiledAt string
	Late, Filed                       bool
}

// district renders the district's overview.
func (s *Server) district(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role != gs.RoleDistrict {
		return forbidden("只有区中心可以查看全区总览。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	towns, err := s.Service.DistrictQuarters(ctx, p.Quarter)
	if err != nil {
		return err
	}
	res, _, err := s.Service.DistrictResult(ctx, p.Quarter, p.AsOf)
	if err != nil {
		return err
	}
	stored := map[string][]gs.WorkerResult{}
	for _, wr := range res.Workers {
		stored[wr.Town] = append(stored[wr.Town], wr)
	}
	state := warningState(p)
	if p, err = s.withChoices(ctx, p, ""); err != nil {
		return err
	}
	page := &DistrictPage{Page: s.page(u, "全区 "+p.Quarter.String()+" 考核总览", "home"), Period: p, Open: state == "open"}
	// warned are the towns' results the warnings come from: the live ones
	// as of the page's moment, also for a town whose numbers come from its
	// stored snapshot.
	warned := map[string][]gs.WorkerResult{}
	var all []gs.WorkerResult
	var live, computed, final, risksWarming int
	for _, t := range towns {
		st := t.State
		if !u.CanSeeTown(st.Town) || st.Town == "" {
			continue
		}
		row := TownRow{Town: st.Town, URL: townPath(st.Town) + p.Query(), State: s.quarterStateName(st, p.Quarter),
			WarningsURL: townPath(st.Town) + "/warnings" + p.Query(), Stats: Stats{Workers: t.Workers}}
		if !t.ChangedAt.IsZero() {
			row.Changed = t.ChangedAt.In(gs.CST).Format("2006-01-02 15:04")
		}
		ws, ok := stored[st.Town]
		switch {
		case ok:
			row.Source, row.Provisional = "已计算 · 暂定", true
			if st.Final() {
				row.Source, row.Provisional = "定稿", false
				final++
			} else {
				computed++
			}
			if state != "open" {
				break
			}
			if p.Live {
				s.viewedLive(st.Town, p.Quarter)
			}
			kept, err := s.Service.CachedTown(ctx, st.Town, p.Quarter, p.AsOf)
			if err != nil {
				return err
			}
			if kept == nil {
				s.warmLive(r, st.Town)
				row.Warming = true
				risksWarming++ // the notes say to look again
				break
			}
			warned[st.Town] = inTown(kept.Workers, st.Town)
		case state == "early":
			row.Pending, row.Why = true, "季度尚未开始"
		default:
			if p.Live {
				s.viewedLive(st.Town, p.Quarter) // its next moments are computed ahead
			}
			kept, err := s.Service.CachedTown(ctx, st.Town, p.Quarter, p.AsOf)
			if err != nil {
				return err
			}
			if kept == nil {
				s.warmLive(r, st.Town)
				row.Pending, row.Why, row.Warming = true, "计算中", true
				page.Warming++
				break
			}
			ws, ok = inTown(kept.Workers, st.Town), true
			warned[st.Town] = ws
			row.Source, row.Provisional = "实时 · 暂定", true
			live++
		}
		if ok {
			all = append(all, ws...)
			row.Stats = statsOf(summarize(ws))
		} else {
			page.Pending += row.Stats.Workers
		}
		page.Provisional = page.Provisional || row.Provisional || row.Pending
		page.Towns = append(page.Towns, row)
	}
	if page.Open {
		page.townRisks(p, warned)
	}
	sum := summarize(all)
	page.Stats = statsOf(sum)
	page.Stats.Workers += page.Pending
	page.Histogram = newHistogram(all)
	page.Categories = newCategoryChart(sum, s.Service.Scheme.Max)
	page.Notes = districtNotes(p, live, computed, final, page.Warming, page.Pending, risksWarming)
	if page.Filing, err = s.filingProgress(r, p, towns, u); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "district", page)
}

// districtNotes says which of the overview's numbers are provisional and
// which are final, and which towns it leaves out for now.
func districtNotes(p Period, live, computed, final, warming, pending, risksWarming int) []string {
	var notes []string
	if live > 0 {
		notes = append(notes, strconv.Itoa(live)+" 个镇街（进行中）的数字是截至 "+p.AsOfText()+" 的实时结果，为暂定数字，会随记录的录入而变化。")
	}
	if computed > 0 {
		notes = append(notes, strconv.Itoa(computed)+" 个镇街的数字是已计算并保存、尚未定稿的结果，为暂定数字：作废扣分、申诉和重新计算都可能改变它们。")
	}
	if final > 0 {
		notes = append(notes, strconv.Itoa(final)+" 个镇街已定稿，数字为最终结果。")
	}
	if warming > 0 {
		notes = append(notes, strconv.Itoa(warming)+" 个镇街的结果正在后台计算（共 "+strconv.Itoa(pending)+
			" 名网格员），暂未计入平均分、最高分、最低分和图表，只计入网格员人数；请稍后刷新本页。")
	}
	if risksWarming > 0 {
		notes = append(notes, strconv.Itoa(risksWarming)+" 个已计算的镇街的预警正在后台按当前时刻计算，请稍后刷新本页。")
	}
	return notes
}

// townRisks puts into each town's row of page the warnings of its live
// result as of the page's moment, when kept (never a stored snapshot's: it
// keeps the warnings of its own moment); a town still being computed gets
// its warnings on the next refresh.
func (page *DistrictPage) townRisks(p Period, warned map[string][]gs.WorkerResult) {
	for i := range page.Towns {
		row := &page.Towns[i]
		if ws := warned[row.Town]; hasWarnings(ws) {
			sw := summarizeWarnings(ws, row.Town, p)
			row.Risk = &sw
		}
	}
}

// filingProgress is how far the towns u may see are with filing quarter
// p.Quarter, judged on the day of the page's moment against the deadline.
func (s *Server) filingProgress(r *http.Request, p Period, towns []gs.TownQuarter, u *gs.User) (FilingProgress, error) {
	deadline, err := s.Service.FilingDeadline(r.Context(), p.Quarter)
	if err != nil {
		return FilingProgress{}, err
	}
	today := gs.DateOf(p.AsOf)
	f := FilingProgress{Deadline: deadline.String(), Workdays: s.Service.Scheme.FilingWorkdays, Today: today.String()}
	f.Ended = today > p.Quarter.Last()
	for _, t := range towns {
		if !u.CanSeeTown(t.State.Town) || t.State.Town == "" {
			continue
		}
		status := t.Filing(deadline, today)
		row := FilingRow{Town: t.State.Town, URL: townPath(t.State.Town) + p.Query(), State: s.quarterStateName(t.State, p.Quarter),
			Status: gs.FilingStatusName[status], Late: status.Late(), Filed: t.State.State == gs.StateFiled}
		if row.Filed {
			row.FiledAt = t.State.FiledAt.In(gs.CST).Format("2006-01-02 15:04")
			f.Filed++
		}
		if status == gs.FilingLate {
			f.Late++
		}
		f.Towns++
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}
