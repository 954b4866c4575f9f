package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

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
	schemeFlag
	mappings []string
	assess   bool
}

// importBytesPerFileByte is about how much memory an import takes per byte
// of its files (measured: 100 MB for a 200-worker town's 9.4 MB, 400–650
// MB for 5,000 workers' 231 MB).
const importBytesPerFileByte = 3

// smallImportBytes is the size of files up to which an import runs without
// collecting garbage: a 200-worker town's 9.4 MB then took 126 MB instead
// of 61 MB and 5–7 % less time (PostgreSQL, six alternating runs each); up
// to this size that stays well under the import's heap limit, which still
// starts a collection if reached.
const smallImportBytes = 16 << 20

// filesSize is the total size of the regular files at paths and under the
// folders among them; what cannot be read counts nothing (the import says
// why).
func filesSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		filepath.WalkDir(p, func(_ string, d iofs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				if fi, err := d.Info(); err == nil {
					n += fi.Size()
				}
			}
			return nil
		})
	}
	return n
}

// Run parses the arguments and imports.
func (c *ImportCommand) Run(ctx context.Context, args []string) error {
	clock := newStepClock(c.m.Getenv)
	clock.mark("启动")
	defer clock.report(c.m.Stderr)
	fs := newFlagSet(c.m, "import", "gridscore import [--db 文件 | --dsn URL] [--mapping 名称]... [--assess=false] [--scheme 方案.yaml] 路径...")
	c.storeFlags.register(fs, c.m)
	fs.Func("mapping", "按导入映射读取其他系统导出的文件：映射的名称（几个镇街有同名的映射时写作 镇街/名称，全区的写作 /名称），"+
		"或映射文件（.json）；可给多次", func(v string) error {
		c.mappings = append(c.mappings, v)
		return nil
	})
	c.schemeFlag.register(fs, c.m)
	fs.BoolVar(&c.assess, "assess", true, "导入后计算所涉及的已结束季度的考核结果并保存，之后 gridscore assess 和网页直接读取（--assess=false 不计算）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"请给出要导入的文件或文件夹"}
	}
	// The scheme is read first: a bad file imports nothing.
	var sch gs.Scheme
	if c.assess {
		var err error
		if sch, err = c.schemeFlag.load(); err != nil {
			return err
		}
	}
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if err := c.m.closeStore(ctx, db); err != nil {
			fmt.Fprintf(c.m.Stderr, "注意：关闭数据库时出错：%v\n", err)
		}
		clock.mark("关闭")
	}()
	clock.mark("打开")
	size := filesSize(fs.Args())
	defer app.TuneGCForImport(size <= smallImportBytes)()
	// The import's memory, mapped at once in huge pages (a 200-worker
	// town's import took 0.59 s instead of 0.67 s on SQLite), as much as
	// its files will need and no more: on a server that does not
	// overcommit memory a larger mapping could be refused.
	reserveHeap(min(importBytesPerFileByte*size+64<<20, app.ImportHeapLimit))
	svc := &app.Service{DB: db}
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	var mappings []gs.Mapping
	for _, ref := range c.mappings {
		m, err := findMapping(ctx, svc, ref)
		if err != nil {
			return err
		}
		mappings = append(mappings, *m)
	}
	var res *app.ImportResult
	if len(mappings) > 0 {
		res, err = svc.ImportMappedFiles(ctx, mappings, fs.Args()...)
	} else {
		res, err = svc.ImportFiles(ctx, fs.Args()...)
	}
	clock.mark("导入")
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
	for _, f := range res.Mapped {
		fmt.Fprintf(c.m.Stdout, "  %s 按映射“%s”读取\n", f.File, f.Mapping)
		if f.Totals != "" {
			fmt.Fprintf(c.m.Stdout, "  %s 跳过合计行（%s）\n", f.File, f.Totals)
		}
	}
	for _, k := range kinds {
		s := stats[k]
		fmt.Fprintf(c.m.Stdout, "  %s %d 条：新增 %d，更新 %d，未变 %d\n", gs.KindName[k], s.Received, s.Inserted, s.Updated, s.Unchanged)
	}
	for _, n := range res.Notes {
		fmt.Fprintln(c.m.Stdout, "注意："+n)
	}
	if !c.assess {
		return nil
	}
	err = c.keepAssessed(ctx, svc, sch, res.Quarters)
	clock.mark("计算")
	return err
}

// keepAssessed computes the results of the quarters the import's records
// fall in that are over, as `gridscore assess` would, and keeps them for it
// and for the pages (app.Service.KeepAssessed), telling the terminal which
// quarter it computes. The records are committed already: a failure to
// compute is reported, and the import stands.
func (c *ImportCommand) keepAssessed(ctx context.Context, svc *app.Service, sch gs.Scheme, qs []gs.Quarter) error {
	svc.Scheme = sch
	svc.Now = c.m.Now
	// The import's garbage is collected first (it runs without collecting
	// until its heap limit, TuneGCForImport), so that the assessment reuses
	// memory the import touched instead of faulting in new pages: a
	// 200-worker town's took 105–114 ms instead of 160–190 ms.
	runtime.GC()
	if db, ok := svc.DB.(*store.DB); ok {
		db.PreferWarmReads()
	}
	done, err := svc.KeepAssessed(ctx, qs, func(q gs.Quarter) {
		fmt.Fprintf(c.m.Stderr, "正在计算 %s 考核结果……\n", q)
	})
	for _, q := range done {
		fmt.Fprintf(c.m.Stdout, "已计算 %s 考核结果并保存（方案 %s），gridscore assess 与网页可直接读取。\n", q, sch.ID)
	}
	if err != nil {
		return fmt.Errorf("数据已导入，但计算考核结果未完成（gridscore assess 时会重新计算）：%w", err)
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

// findMapping returns the mapping ref names: a mapping file (a path
// ending in .json), or a saved mapping by name (app.Service.FindMapping).
func findMapping(ctx context.Context, svc *app.Service, ref string) (*gs.Mapping, error) {
	if strings.EqualFold(filepath.Ext(ref), ".json") {
		data, err := os.ReadFile(ref)
		if err != nil {
			return nil, gs.Errorf(gs.EINVALID, "无法读取映射文件 %s：%v", ref, err)
		}
		m, err := csvfile.DecodeMapping(data)
		if err != nil {
			return nil, gs.Errorf(gs.EINVALID, "映射文件 %s：%s", ref, gs.ErrorMessage(err))
		}
		return m, nil
	}
	return svc.FindMapping(ctx, ref)
}
