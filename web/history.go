package web

import (
	"net/http"
	"net/url"
	"strconv"

	gs "github.com/gridscore/gridscore"
)

// HistoryPage is a worker's quarters side by side: each quarter with a
// stored result that was published (published, finalized or filed), and the
// current quarter computed live when it has none, with the category
// scores, total, rank and pay of each, and the trend of the total.
type HistoryPage struct {
	Page
	WorkerID, Name, Town string
	// WorkerURL links back to the worker's current quarter.
	WorkerURL string
	Columns   []HistoryColumn
	// Rows are the lines of the table: each category, then the total.
	Rows  []HistoryRow
	Chart LineChart
}

// HistoryColumn is one quarter of the table.
type HistoryColumn struct {
	Quarter, QuarterText string
	// State names where the quarter stands (已定稿, 实时计算…).
	State string
	// Live is set for the current quarter computed live, not stored.
	Live            bool
	Rank, Pay, Note string
	Deductions      int
	URL             string
}

// HistoryRow is one line of the table: a category (or the total) in each
// quarter.
type HistoryRow struct {
	Name, Full string
	Values     []string
	Total      bool
}

// historyQuarter is one quarter of a worker, stored or live.
type historyQuarter struct {
	state  gs.QuarterState
	live   bool
	result gs.WorkerResult
	// gap marks a quarter the chart shows without a result, between two
	// that have one.
	gap bool
}

// workerHistory is GET /workers/{id}/history, with the access rules of the
// worker's page: a grid worker only themself, a town's center its own
// town's workers, the district every worker.
func (s *Server) workerHistory(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id := r.PathValue("id")
	p, town, err := s.workerAccess(r, u, id)
	if err != nil {
		return err
	}
	stored, err := s.Service.WorkerQuarters(r.Context(), id)
	if err != nil {
		return err
	}
	var qs []historyQuarter
	current := false
	for _, sq := range stored {
		// A worker who moved has quarters in other towns: only those the
		// user may see.
		if u.Role != gs.RoleWorker && !u.CanSeeTown(sq.State.Town) {
			continue
		}
		// A stored current quarter, even one under review, is not computed live.
		current = current || (sq.State.Quarter == p.Quarter.String() && sq.State.Town == town)
		// A quarter never published (computed, under review) is left out:
		// its results may yet change, or it was computed by mistake.
		if !sq.State.PublishedAt.IsZero() && !underReview(u, sq.State) {
			qs = append(qs, historyQuarter{state: sq.State, result: sq.Result})
		}
	}
	// While the town's survey runs a grid worker's live quarter, whose
	// satisfaction moves with each answer, is left out (app.BallotsWithheld).
	withheld, err := s.Service.BallotsWithheld(r.Context(), u, p.Quarter)
	if err != nil {
		return err
	}
	if !current && !withheld {
		live, err := s.liveQuarter(r, p, town, id)
		if err != nil {
			return err
		}
		if live != nil {
			qs = append(qs, *live)
		}
	}
	if len(qs) == 0 && withheld {
		// The worker's only quarter is the one the survey withholds.
		return s.render(w, r, http.StatusOK, "error", &ErrorPage{Page: s.page(u, "历次考核与趋势", "home"),
			Heading: "满意度评价进行中",
			Message: p.QuarterText() + "的满意度评价正在进行，评价结束后显示本季度的得分；此前还没有公示过的季度。",
			LinkURL: workerURL(id, p), LinkText: "返回本人的考核页"})
	}
	if len(qs) == 0 {
		return gs.Errorf(gs.ENOTFOUND, "还没有工号为“%s”的网格员的考核结果。", id)
	}
	last := qs[len(qs)-1].result
	page := &HistoryPage{
		Page:      s.page(u, last.Name+" 历次考核与趋势", "home"),
		WorkerID:  id,
		Name:      last.Name,
		Town:      last.Town,
		WorkerURL: workerURL(id, p),
		Chart:     newTrendChart(qs, s.fullScore()),
	}
	if u.Role != gs.RoleWorker {
		page.Nav = "workers"
	}
	page.Columns, page.Rows = s.historyTable(id, qs)
	return s.render(w, r, http.StatusOK, "history", page)
}

// liveQuarter computes the worker's current quarter p live, as the
// worker's page does, or returns nil when the worker has no result in it.
func (s *Server) liveQuarter(r *http.Request, p Period, town, id string) (*historyQuarter, error) {
	st, err := s.Service.QuarterState(r.Context(), town, p.Quarter)
	if err != nil {
		return nil, err
	}
	if st.HasSnapshot() {
		return nil, nil // stored: listed already, or the worker is not in it
	}
	res, err := s.assessTown(r.Context(), p, town)
	if err != nil {
		return nil, err
	}
	for _, wr := range res.Workers {
		if wr.WorkerID == id {
			st.AsOf = p.AsOf
			return &historyQuarter{state: st, live: true, result: wr}, nil
		}
	}
	return nil, nil
}

// historyTable lays the quarters out side by side.
func (s *Server) historyTable(id string, qs []historyQuarter) ([]HistoryColumn, []HistoryRow) {
	var cols []HistoryColumn
	rows := make([]HistoryRow, len(gs.AllCategories)+1)
	for i, c := range gs.AllCategories {
		rows[i] = HistoryRow{Name: gs.CategoryName[c], Full: s.Service.Scheme.Max[c].String()}
	}
	rows[len(rows)-1] = HistoryRow{Name: "总分", Full: s.fullScore().String(), Total: true}
	for _, q := range qs {
		wr := q.result
		quarter, _ := gs.ParseQuarter(q.state.Quarter)
		col := HistoryColumn{
			Quarter: q.state.Quarter, QuarterText: Period{Quarter: quarter}.QuarterText(),
			State: gs.StateName[q.state.State], Live: q.live, Rank: "—", Pay: wr.Pay.String(),
			Deductions: len(wr.Deductions),
			URL:        "/workers/" + url.PathEscape(id) + "?" + url.Values{"quarter": {q.state.Quarter}}.Encode(),
		}
		if q.live {
			col.State = "实时计算（" + fmtTime(q.state.AsOf) + "）"
		}
		if !wr.Eligible {
			col.Note = "不参加考核"
		}
		if wr.Rank != nil {
			col.Rank = strconv.Itoa(*wr.Rank)
		}
		cols = append(cols, col)
		for i, c := range gs.AllCategories {
			v := "—"
			if wr.Categories != nil {
				v = wr.Categories.Get(c).String()
			}
			rows[i].Values = append(rows[i].Values, v)
		}
		v := "—"
		if wr.Total != nil {
			v = wr.Total.String()
		}
		rows[len(rows)-1].Values = append(rows[len(rows)-1].Values, v)
	}
	return cols, rows
}

// fullScore is the scheme's full total, the sum of the categories' full
// scores.
func (s *Server) fullScore() gs.Points {
	var full gs.Points
	for _, c := range gs.AllCategories {
		full += s.Service.Scheme.Max[c]
	}
	return full
}
