package web

import (
	"net/http"
	"sort"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
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
	Rows     []WorkerRow
	// Visible is how many workers the user may see before filtering.
	Visible int
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
}

// workerList is /workers, for the centers.
func (s *Server) workerList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if u.Role == gs.RoleWorker {
		return forbidden("网格员只能查看本人的考核结果。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := WorkerFilter{
		Q:    strings.TrimSpace(q.Get("q")),
		Town: q.Get("town"),
		Grid: q.Get("grid"),
		Type: q.Get("type"),
	}
	res, err := s.result(r.Context(), p)
	if err != nil {
		return err
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
		page.Rows = append(page.Rows, WorkerRow{
			WorkerID: wr.WorkerID, Name: wr.Name, Type: row.Type, Town: wr.Town, Grid: wr.GridCode,
			Total: row.Total, Rank: row.Rank, Note: row.Note, URL: row.URL,
		})
	}
	sort.SliceStable(page.Rows, func(i, j int) bool {
		a, b := page.Rows[i], page.Rows[j]
		if a.Town != b.Town {
			return a.Town < b.Town
		}
		return a.WorkerID < b.WorkerID
	})
	page.Towns = options(towns, f.Town)
	page.Grids = options(grids, f.Grid)
	page.Types = []Option{
		{Value: string(gs.FullTime), Label: report.TypeName(gs.FullTime), Selected: f.Type == string(gs.FullTime)},
		{Value: string(gs.PartTime), Label: report.TypeName(gs.PartTime), Selected: f.Type == string(gs.PartTime)},
	}
	return s.render(w, r, http.StatusOK, "workers", page)
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
