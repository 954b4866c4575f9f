package web

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// WorkersPage lists the workers the user may see, with a search by name or
// 工号 and filters by grid, type and (for the district) town.
type WorkersPage struct {
	Page
	Period Period
	Filter WorkerFilter
	// ShowTown is set for the district, whose list spans towns.
	ShowTown bool
	Towns    []Option
	Grids    []Option
	Types    []Option
	// Header has the columns, each sorting the list when it can; Sort is
	// the list's order (by town for the district, else by 工号, unless the
	// request names one: sorted).
	Header []Column
	listOrder
	// Rows are the workers of this page of the list.
	Rows []WorkerRow
	// Visible is how many workers the user may see before filtering, and
	// Matched how many match the filters.
	Visible, Matched int
	Pager            Pager
	// ExportURL downloads every worker of the list, in its order.
	ExportURL string
}

// WorkerFilter is the list's query, as typed.
type WorkerFilter struct {
	Q, Town, Grid, Type string
}

// Option is one choice of a <select>.
type Option struct {
	Value, Label string
	Selected     bool
}

// WorkerRow is one line of the list.
type WorkerRow struct {
	WorkerID, Name, Type, Town, Grid, Total, Rank, Note, URL string
	// Left says when the worker left in the quarter: 离职（2023-08-15）.
	Left string
	// total and rank are the score and rank the list sorts by and the
	// download writes as numbers (nil: none).
	total *gs.Points
	rank  *int
}

// workerList is /workers, for the centers.
func (s *Server) workerList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page, err := s.workerRows(r, u)
	if err != nil {
		return err
	}
	page.Rows, page.Pager = paginate(page.Rows, s.PageSize, r.URL.Query().Get("page"), func(n int) string {
		v := page.query()
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		return "/workers?" + v.Encode()
	})
	page.Pager.Jump = jumpTo("/workers", page.query())
	return s.render(w, r, http.StatusOK, "workers", page)
}

// workerRows returns the workers page with every row the request's
// filters keep, in the order it asks for. A grid worker has no list.
func (s *Server) workerRows(r *http.Request, u *gs.User) (*WorkersPage, error) {
	if u.Role == gs.RoleWorker {
		return nil, forbidden("网格员只能查看本人的考核结果。")
	}
	p, err := s.period(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	f := WorkerFilter{
		Q:    strings.TrimSpace(q.Get("q")),
		Town: q.Get("town"),
		Grid: q.Get("grid"),
		Type: q.Get("type"),
	}
	var (
		res     *gs.Result
		pending = map[string]bool{} // the workers of towns not computed yet
	)
	if u.Role == gs.RoleDistrict {
		var byTown map[string][]gs.TownWorker
		if res, byTown, err = s.Service.DistrictResult(r.Context(), p.Quarter, p.AsOf); err != nil {
			return nil, err
		}
		for town, ws := range byTown {
			for _, w := range ws {
				pending[w.ID] = true
				res.Workers = append(res.Workers, gs.WorkerResult{WorkerID: w.ID, Name: w.Name, Type: w.Type, Town: town, GridCode: w.GridCode})
			}
		}
	} else {
		st, err := s.Service.QuarterState(r.Context(), u.Town, p.Quarter)
		if err != nil {
			return nil, err
		}
		p = storedIn(p, st)
		if res, err = s.resultIn(r.Context(), p, u.Town, st); err != nil {
			return nil, err
		}
	}
	page := &WorkersPage{Page: s.page(u, "网格员", "workers"), Period: p, Filter: f, ShowTown: u.Role == gs.RoleDistrict}
	towns, grids := map[string]bool{}, map[string]bool{}
	needle := strings.ToLower(f.Q)
	for _, wr := range res.Workers {
		if !u.CanSeeWorker(wr.WorkerID, wr.Town) {
			continue
		}
		page.Visible++
		towns[wr.Town] = true
		if f.Town == "" || wr.Town == f.Town {
			grids[wr.GridCode] = true
		}
		switch {
		case f.Town != "" && wr.Town != f.Town,
			f.Grid != "" && wr.GridCode != f.Grid,
			f.Type != "" && string(wr.Type) != f.Type,
			needle != "" && !strings.Contains(strings.ToLower(wr.WorkerID), needle) && !strings.Contains(wr.Name, f.Q):
			continue
		}
		row := rankRow(wr, workerURL(wr.WorkerID, p))
		if pending[wr.WorkerID] {
			row.Total, row.Note = "未计算", "本镇街本季度尚未计算"
		}
		page.Rows = append(page.Rows, WorkerRow{
			WorkerID: wr.WorkerID, Name: wr.Name, Type: row.Type, Town: wr.Town, Grid: wr.GridCode,
			Total: row.Total, Rank: row.Rank, Note: row.Note, URL: row.URL, total: wr.Total, rank: wr.Rank,
		})
	}
	ids := make([]string, len(page.Rows))
	for i, row := range page.Rows {
		ids[i] = row.WorkerID
	}
	left, err := s.leftBy(r.Context(), ids, p.Quarter)
	if err != nil {
		return nil, err
	}
	for i := range page.Rows {
		page.Rows[i].Left = left[page.Rows[i].WorkerID]
	}
	page.sortRows(q)
	page.Matched = len(page.Rows)
	page.Towns = options(towns, f.Town)
	page.Grids = options(grids, f.Grid)
	page.Types = []Option{
		{Value: string(gs.FullTime), Label: gs.TypeName(gs.FullTime), Selected: f.Type == string(gs.FullTime)},
		{Value: string(gs.PartTime), Label: gs.TypeName(gs.PartTime), Selected: f.Type == string(gs.PartTime)},
	}
	page.ExportURL = "/export/workers?" + page.query().Encode()
	return page, nil
}

// query returns the query of the list with the page's period, filters and
// order.
func (p *WorkersPage) query() url.Values {
	v := p.Period.values(url.Values{"q": {p.Filter.Q}, "town": {p.Filter.Town}, "grid": {p.Filter.Grid}, "type": {p.Filter.Type}})
	if p.sorted {
		p.Sort.set(v)
	}
	return v
}

// paginate returns the rows of the page asked for, size rows a page (the
// last page when past it, the first when not a number, with a note), and
// where that page stands; link returns the URL of page n. The workers list
// and the warnings board page their rows with it.
func paginate[T any](rows []T, size int, asked string, link func(n int) string) ([]T, Pager) {
	pages := pageCount(len(rows), size)
	n, note := pageOf(asked, pages)
	from, to := (n-1)*size, min(n*size, len(rows))
	pg := newPager(n, pages, from+1, to, link)
	pg.Note = note
	return rows[from:to], pg
}

// options turns a set of values into sorted choices, marking the chosen
// one.
func options(set map[string]bool, chosen string) []Option {
	var out []Option
	for v := range set {
		out = append(out, Option{Value: v, Label: v, Selected: v == chosen})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

// Reset is the link that clears the search and filters.
func (p *WorkersPage) Reset() string { return "/workers" + p.Period.Query() }
