package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/gen"
)

// DemoCommand is `gridscore demo`: load demo data into the store or write it
// as DATA.md files. Without --workers it is the hand-made demo town 青山镇
// (package demo); with --workers N a generated town, district or province
// of N workers (package gen), town by town.
type DemoCommand struct {
	m *Main
	storeFlags
	workers int
	quarter string
	seed    int64
	out     string
}

const demoSynopsis = "gridscore demo [--workers N] [--quarter 2023Q3] [--seed 1] [--db 文件 | --dsn URL | --out 文件夹]"

// Run parses the arguments and generates the demo data.
func (c *DemoCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "demo", demoSynopsis)
	c.storeFlags.register(fs, c.m)
	fs.IntVar(&c.workers, "workers", 0, "生成的网格员人数：200 左右为一个镇，5000 约为一个区县，100000 约为一个省（不给出时导入手工编制的示范镇 青山镇）")
	fs.StringVar(&c.quarter, "quarter", demo.Quarter().String(), "生成数据的季度，如 2023Q3")
	fs.Int64Var(&c.seed, "seed", 1, "随机种子：参数相同，生成的数据总是相同")
	fs.StringVar(&c.out, "out", "", "把数据写成 DATA.md 格式的 CSV 文件（每类一个文件）放到此文件夹，而不导入数据库")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("多余的参数 %q", fs.Args())}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	q, err := gs.ParseQuarter(c.quarter)
	if err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	switch {
	case given["workers"] && c.workers < 1:
		return usageError{fmt.Sprintf("--workers 应为正整数（网格员人数），如 --workers 5000：%d", c.workers)}
	case !given["workers"] && q != demo.Quarter():
		return usageError{fmt.Sprintf("示范镇 %s 只有 %s 的数据；生成其他季度的数据请用 --workers 指定人数", demo.TownName, demo.Quarter())}
	case c.out != "" && (given["db"] || given["dsn"]):
		return usageError{"--out 把数据写成文件，不能同时使用 --db 或 --dsn"}
	}

	src := demoSource{quarter: q, towns: 1, label: "示范镇 " + demo.TownName}
	if c.workers > 0 {
		opts := gen.Options{Workers: c.workers, Quarter: q, Seed: c.seed}
		src.towns, src.label = gen.Towns(opts), fmt.Sprintf("生成的 %d 个镇街", gen.Towns(opts))
		src.generate = func(emit func(*gs.Records) error) error { return gen.Generate(opts, emit) }
	} else {
		seed := c.seed
		src.generate = func(emit func(*gs.Records) error) error { return emit(demo.Town(seed)) }
	}
	if c.out != "" {
		return c.writeFiles(ctx, src)
	}
	return c.load(ctx, src)
}

// demoSource is where the demo's records come from: generate calls emit once
// per town, towns times.
type demoSource struct {
	quarter  gs.Quarter
	towns    int
	label    string
	generate func(emit func(*gs.Records) error) error
}

// asOf is the moment to suggest for assessing the demo: 09:00 on the eighth
// day after the quarter, when its records are all in (for 2023Q3 the
// README's 2023-10-08 09:00:00).
func (s demoSource) asOf() string {
	return s.quarter.Last().AddDays(8).Start().Add(9 * time.Hour).Format(time.DateTime)
}

// load writes each town into the store in its own transaction.
func (c *DemoCommand) load(ctx context.Context, src demoSource) error {
	db, err := c.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	p := c.newProgress(src, "已导入")
	err = src.generate(func(town *gs.Records) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := db.Import(ctx, town, nil); err != nil {
			return err
		}
		p.add(town)
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已导入%s（%s）：%s。\n", src.label, src.quarter, p.summary())
	fmt.Fprintf(c.m.Stdout, "查看考核结果：gridscore assess --quarter %s --as-of %q\n", src.quarter, src.asOf())
	return nil
}

// demoKinds are the kinds of DATA.md §1 in order, with how many records of
// each a town has.
var demoKinds = []struct {
	name  string
	count func(*gs.Records) int
}{
	{"grids", func(r *gs.Records) int { return len(r.Grids) }},
	{"workers", func(r *gs.Records) int { return len(r.Workers) }},
	{"events", func(r *gs.Records) int { return len(r.Events) }},
	{"logins", func(r *gs.Records) int { return len(r.Logins) }},
	{"patrols", func(r *gs.Records) int { return len(r.Patrols) }},
	{"leaves", func(r *gs.Records) int { return len(r.Leaves) }},
	{"register", func(r *gs.Records) int { return len(r.Register) }},
	{"rosters", func(r *gs.Records) int { return len(r.Rosters) }},
	{"visits", func(r *gs.Records) int { return len(r.Visits) }},
	{"meetings", func(r *gs.Records) int { return len(r.Meetings) }},
	{"attendance", func(r *gs.Records) int { return len(r.Attendance) }},
	{"findings", func(r *gs.Records) int { return len(r.Findings) }},
	{"quiz", func(r *gs.Records) int { return len(r.Quizzes) }},
	{"ballots", func(r *gs.Records) int { return len(r.Ballots) }},
	{"calendar", func(r *gs.Records) int { return len(r.Calendar) }},
}

// writeFiles writes one CSV file per kind into c.out, town after town, each
// file with its header once. It refuses a folder that already holds a file
// of one of the kinds, so that it never mixes with or overwrites other data.
func (c *DemoCommand) writeFiles(ctx context.Context, src demoSource) (err error) {
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return gs.Errorf(gs.EINVALID, "无法创建文件夹 %s：%v", c.out, err)
	}
	for _, k := range demoKinds {
		if _, err := os.Stat(filepath.Join(c.out, k.name+".csv")); !errors.Is(err, os.ErrNotExist) {
			return gs.Errorf(gs.EINVALID, "文件夹 %s 中已有 %s.csv；请换一个空文件夹，或先删除其中的数据文件", c.out, k.name)
		}
	}
	files := make([]*os.File, len(demoKinds))
	defer func() {
		for _, f := range files {
			if f != nil {
				if cerr := f.Close(); cerr != nil && err == nil {
					err = cerr
				}
			}
		}
	}()
	p := c.newProgress(src, "已写出")
	err = src.generate(func(town *gs.Records) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, k := range demoKinds {
			if k.count(town) == 0 {
				continue
			}
			var w io.Writer = files[i]
			if files[i] == nil {
				f, err := os.Create(filepath.Join(c.out, k.name+".csv"))
				if err != nil {
					return err
				}
				files[i], w = f, f
			} else {
				// The file has its header: drop the BOM and header line
				// WriteKind writes every time.
				w = &afterFirstLine{w: files[i]}
			}
			if err := csvfile.WriteKind(w, k.name, town, csvfile.UTF8); err != nil {
				return fmt.Errorf("%s.csv: %w", k.name, err)
			}
		}
		p.add(town)
		return nil
	})
	if err != nil {
		return err
	}
	n := 0
	for _, f := range files {
		if f != nil {
			n++
		}
	}
	fmt.Fprintf(c.m.Stdout, "已把%s（%s）写成 %d 个 CSV 文件，放在 %s：%s。\n", src.label, src.quarter, n, c.out, p.summary())
	fmt.Fprintf(c.m.Stdout, "导入：gridscore import %s\n", c.out)
	return nil
}

// afterFirstLine passes to w everything after the first line written to it.
type afterFirstLine struct {
	w    io.Writer
	past bool
}

func (a *afterFirstLine) Write(p []byte) (int, error) {
	n := len(p)
	if !a.past {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			return n, nil
		}
		a.past, p = true, p[i+1:]
	}
	if _, err := a.w.Write(p); err != nil {
		return 0, err
	}
	return n, nil
}

// progress counts what has been done and reports it on Stderr every few
// towns.
type progress struct {
	m                   *Main
	verb                string
	towns, step         int
	done, workers, rows int
	start               time.Time
}

func (c *DemoCommand) newProgress(src demoSource, verb string) *progress {
	return &progress{m: c.m, verb: verb, towns: src.towns, step: max(1, src.towns/20), start: time.Now()}
}

// add counts one town and reports when a step is complete.
func (p *progress) add(town *gs.Records) {
	p.done++
	p.workers += len(town.Workers)
	p.rows += gen.Rows(town)
	if p.towns > 1 && (p.done%p.step == 0 || p.done == p.towns) {
		fmt.Fprintf(p.m.Stderr, "%s %d/%d 个镇街：网格员 %d 名，记录 %d 条，用时 %.1f 秒\n",
			p.verb, p.done, p.towns, p.workers, p.rows, time.Since(p.start).Seconds())
	}
}

// summary words the totals: workers, rows, seconds and rows per second.
func (p *progress) summary() string {
	secs := time.Since(p.start).Seconds()
	return fmt.Sprintf("网格员 %d 名，记录 %d 条，用时 %.1f 秒，每秒 %.0f 条", p.workers, p.rows, secs, float64(p.rows)/max(secs, 1e-3))
}
