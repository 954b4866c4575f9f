package app

import (
	"context"
	"io"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// The early warnings (预警) of a town, RULES.md §9, listed grid by grid:
// for the command line (`gridscore warnings`) and as a workbook for the
// town's center and the district on the web.

// TownWarnings computes town's quarter q as of asOf from the town's stored
// records (AssessTown), for a list of its warnings; the result carries
// warnings only when asOf is inside the quarter (gs.WarningsClosed says
// why not). A town that is not in the store is ENOTFOUND, naming the towns
// that are. It changes nothing.
func (s *Service) TownWarnings(ctx context.Context, town string, q gs.Quarter, asOf time.Time) (*gs.Result, error) {
	if err := s.KnownTown(ctx, town, "请先导入数据。"); err != nil {
		return nil, err
	}
	return s.AssessTown(ctx, town, q, asOf)
}

// WriteWarnings writes the warnings of town's result, computed live as of
// the page's moment, as the one-sheet XLSX workbook 预警清单
// (report.WriteWarningsXLSX). The web serves it, as the result workbook and
// the pay sheet, to the town's center and the district, never to a grid
// worker.
func WriteWarnings(w io.Writer, town string, res *gs.Result) error {
	return report.WriteWarningsXLSX(w, town, res)
}
