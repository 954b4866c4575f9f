package app

import (
	"context"
	"io"
	"slices"
	"strings"
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
	towns, err := s.DB.Towns(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(towns, town) {
		if len(towns) == 0 {
			return nil, gs.Errorf(gs.ENOTFOUND, "没有镇街“%s”：数据库中还没有任何镇街，请先导入数据。", town)
		}
		return nil, gs.Errorf(gs.ENOTFOUND, "没有镇街“%s”。已有的镇街：%s。", town, strings.Join(towns, "、"))
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
