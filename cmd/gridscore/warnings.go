package main

import (
	"context"
	"fmt"
	"io"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// WarningsCommand is `gridscore warnings`: a town's early warnings (预警,
// RULES.md §9) as of a moment inside the quarter, grid by grid, to print
// or send out in the morning.
type WarningsCommand struct {
	m *Main
	storeFlags
	schemeFlag
	town, quarter, asOf, format, out string
}

// Run parses the arguments, computes the town's result and writes its
// warnings.
func (c *WarningsCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "warnings", "gridscore warnings --town 镇街 [--quarter 2023Q3] [--as-of 时间] [--format table|json|xlsx] [--out 文件]")
	c.storeFlags.registerExisting(fs, c.m)
	c.schemeFlag.register(fs, c.m)
	fs.StringVar(&c.town, "town", c.m.Getenv("GRIDSCORE_TOWN"), "镇街名称，如 青山镇（必填；环境变量 GRIDSCORE_TOWN）")
	fs.StringVar(&c.quarter, "quarter", "", "考核季度，如 2023Q3（默认 --as-of 所在的季度）")
	fs.StringVar(&c.asOf, "as-of", "", "计算时点，如 \"2023-08-15 09:00\"（北京时间；默认现在）")
	fs.StringVar(&c.format, "format", "table", "输出格式：table（终端表格）、json、xlsx（可打印的预警清单）")
	fs.StringVar(&c.out, "out", "", "输出到文件（默认标准输出；xlsx 建议指定）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("多余的参数 %q", fs.Args())}
	}
	if c.town == "" {
		return usageError{"请用 --town 指定镇街，如 --town 青山镇"}
	}
	asOf, err := asOfFlag(c.m, c.asOf)
	if err != nil {
		return err
	}
	q := gs.QuarterOf(gs.DateOf(asOf))
	if c.quarter != "" {
		if q, err = gs.ParseQuarter(c.quarter); err != nil {
			return usageError{gs.ErrorMessage(err)}
		}
	}
	write, err := byFormat(c.format, report.WriteWarningsTable, report.WriteWarningsJSON, report.WriteWarningsXLSX)
	if err != nil {
		return err
	}
	svc, db, err := service(ctx, &c.storeFlags, &c.schemeFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := svc.TownWarnings(ctx, c.town, q, asOf)
	if err != nil {
		return err
	}
	return c.m.output(c.out, res, func(w io.Writer) error { return write(w, c.town, res) })
}
