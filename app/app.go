// Package app holds the product's services: the use cases that join the
// adapters (the store, the file reader) to the domain and the pure engine.
// Each service method is one transaction of the store.
package app

import (
	"context"
	"errors"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
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

func keys(m map[string]bool) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
