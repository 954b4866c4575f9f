// Package app holds the product's services: the use cases that join the
// adapters (the store, the file reader) to the domain and the pure engine.
// Each service method is one transaction of the store.
package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/calendar"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/engine"
	"github.com/gridscore/gridscore/store"
)

// Service runs the use cases on one store with one scheme.
type Service struct {
	DB     *store.DB
	Scheme gs.Scheme
}

// ImportFiles reads the DATA.md files or folders at paths and writes every
// record, all or nothing: a file that cannot be read, a bad row anywhere or
// a reference to an unknown worker, grid, meeting or person writes nothing
// and returns a *csvfile.Report naming every bad row.
func (s *Service) ImportFiles(ctx context.Context, paths ...string) (store.ImportStats, error) {
	batch, err := csvfile.Read(paths...)
	var readProblems *csvfile.Report
	if err != nil && !errors.As(err, &readProblems) {
		return nil, err
	}
	recs := &batch.Records
	if readProblems != nil {
		// Nothing will be written, but the rows that could be read still have
		// their references checked, so that one report lists every bad row.
		recs = &gs.Records{}
	}
	stats, err := s.DB.Import(ctx, recs, func(stored *store.Known) error {
		refErr := batch.CheckReferences(csvfile.Known{
			GridCodes:  keys(stored.Grids),
			Workers:    stored.Workers,
			MeetingIDs: keys(stored.MeetingIDs),
			PersonIDs:  keys(stored.PersonIDs),
		})
		var refProblems *csvfile.Report
		if refErr != nil && !errors.As(refErr, &refProblems) {
			return refErr
		}
		return csvfile.JoinReports(readProblems, refProblems)
	})
	if err != nil {
		return nil, err
	}
	return stats, nil
}

// patrolMargin is how far before the quarter patrols are loaded, so that a
// patrol of the last evening before the quarter that runs into its first day
// merges as RULES.md §5 says.
const patrolMargin = 7

// Assess computes the provisional result of quarter q as of asOf from the
// stored records. It changes nothing.
func (s *Service) Assess(ctx context.Context, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	from := q.First().AddDays(-patrolMargin).Start()
	to := q.Last().End()
	recs, err := s.DB.Load(ctx, from, to)
	if err != nil {
		return nil, err
	}
	cal := calendar.New(recs.Calendar)
	res := engine.Assess(engine.Input{Scheme: &s.Scheme, Calendar: cal, Records: recs, Quarter: q, AsOf: asOf})
	if y := q.Year; !cal.HasOfficial(y) {
		res.Notes = append(res.Notes, fmt.Sprintf("%d年没有国家法定节假日数据，工作日按周一至周五计算（本中心在工作日历中录入的调整仍然有效）。", y))
	}
	return res, nil
}

func keys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
