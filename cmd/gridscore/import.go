package main

import (
	"context"
	"errors"
	"fmt"
	"sort"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// ImportCommand is `gridscore import`: read DATA.md files and store them, all
// or nothing.
type ImportCommand struct {
	m *Main
	storeFlags
}

// Run parses the arguments and imports.
func (c *ImportCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "import", "gridscore import [--db 文件 | --dsn URL] 路径...")
	c.storeFlags.register(fs, c.m)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"请给出要导入的文件或文件夹"}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	defer app.TuneGCForImport()()
	svc := &app.Service{DB: db}
	res, err := svc.ImportFiles(app.WithActor(ctx, app.ActorCommandLine), fs.Args()...)
	var rep *csvfile.Report
	if errors.As(err, &rep) {
		fmt.Fprintf(c.m.Stderr, "导入失败，未写入任何数据。发现 %d 处问题：\n", rep.Total())
		fmt.Fprintln(c.m.Stderr, rep.Error())
		return gs.Errorf(gs.EINVALID, "数据有误，请修改后重新导入")
	} else if err != nil {
		return err
	}
	stats := res.Stats
	kinds := make([]string, 0, len(stats))
	for k := range stats {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return kindOrder(kinds[i]) < kindOrder(kinds[j]) })
	fmt.Fprintln(c.m.Stdout, "导入成功：")
	for _, k := range kinds {
		s := stats[k]
		fmt.Fprintf(c.m.Stdout, "  %s %d 条：新增 %d，更新 %d，未变 %d\n", gs.KindName[k], s.Received, s.Inserted, s.Updated, s.Unchanged)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(c.m.Stdout, "注意："+n)
	}
	return nil
}

func kindOrder(k string) int {
	for i, x := range store.Kinds() {
		if x == k {
			return i
		}
	}
	return len(gs.KindName)
}
