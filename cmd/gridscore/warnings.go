package main

import (
	"context"
	"fmt"
	"io"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
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
	c.storeFlags.register(fs, c.m)
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
	asOf := c.m.Now()
	var err error
	if c.asOf != "" {
		if asOf, err = csvfile.ParseTimestamp(c.asOf); err != nil {
			return usageError{fmt.Sprintf("--as-of 时间格式有误：%q（可用 2023-08-15 09:00、2023/8/15 9:00 或 RFC 3339）", c.asOf)}
		}
	}
	asOf = asOf.In(gs.CST).Truncate(time.Second)
	q := gs.QuarterOf(gs.DateOf(asOf))
	if c.quarter != "" {
		if q, err = gs.ParseQuarter(c.quarter); err != nil {
			return usageError{gs.ErrorMessage(err)}
		}
	}
	var write func(io.Writer, string, *gs.Result) error
	switch c.format {
	case "table":
		write = report.WriteWarningsTable
	case "json":
		write = report.WriteWarningsJSON
	case "xlsx":
		write = report.WriteWarningsXLSX
	default:
		return usageError{fmt.Sprintf("不支持的格式 %q：可用 table、json、xlsx", c.format)}
	}
	sch, err := c.schemeFlag.load()
	if err != nil {
		return err
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := (&app.Service{DB: db, Scheme: sch}).TownWarnings(ctx, c.town, q, asOf)
	if err != nil {
		return err
	}
	return c.m.output(c.out, res, func(w io.Writer) error { return write(w, c.town, res) })
}
