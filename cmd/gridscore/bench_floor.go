package main

import (
	"context"
	"fmt"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storebench"
)

// BenchFloorCommand is `gridscore bench-floor`, run by the harness as a
// child process: the floor scan (storebench.FloorScan) of the quarter's
// records in a new process, on a new connection, as `gridscore assess` must
// read them. It prints the number of rows read. It is not in the usage: it
// measures, it does not serve anyone.
type BenchFloorCommand struct {
	m *Main
	storeFlags
	quarter string
}

// Run opens the store without touching its schema and scans.
func (c *BenchFloorCommand) Run(ctx context.Context, args []string) error {
	clock := newStepClock(c.m.Getenv)
	clock.mark("启动")
	defer clock.report(c.m.Stderr)
	fs := newFlagSet(c.m, "bench-floor", "gridscore bench-floor [--db 文件 | --dsn URL] --quarter 2023Q3")
	c.storeFlags.register(fs, c.m)
	fs.StringVar(&c.quarter, "quarter", "", "季度（必填）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	q, err := gs.ParseQuarter(c.quarter)
	if err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	target, err := c.target()
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, target)
	if err != nil {
		return err
	}
	defer db.Close()
	clock.mark("打开")
	from, to := floorWindow(q)
	n, err := storebench.FloorScan(ctx, db, from, to, false)
	if err != nil {
		return err
	}
	clock.mark("读取")
	_, err = fmt.Fprintln(c.m.Stdout, n)
	return err
}
