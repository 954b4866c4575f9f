package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/report"
)

// AssessCommand is `gridscore assess`: the provisional result of a quarter.
type AssessCommand struct {
	m *Main
	storeFlags
	schemeFlag
	quarter, asOf, format, out string
	recompute                  bool
}

// Run parses the arguments, computes and writes the result.
func (c *AssessCommand) Run(ctx context.Context, args []string) error {
	clock := newStepClock(c.m.Getenv)
	clock.mark("启动")
	defer clock.report(c.m.Stderr)
	fs := newFlagSet(c.m, "assess", "gridscore assess --quarter 2023Q3 [--as-of 时间] [--format table|json|xlsx] [--out 文件]")
	c.storeFlags.registerExisting(fs, c.m)
	c.schemeFlag.register(fs, c.m)
	fs.StringVar(&c.quarter, "quarter", "", "考核季度，如 2023Q3（必填）")
	fs.StringVar(&c.asOf, "as-of", "", "计算时点，如 \"2023-10-08 09:00:00\"（北京时间；默认现在）")
	fs.StringVar(&c.format, "format", "table", "输出格式：table（终端表格）、json、xlsx")
	fs.StringVar(&c.out, "out", "", "输出到文件（默认标准输出；xlsx 建议指定）")
	fs.BoolVar(&c.recompute, "recompute", false, "不读取已保存的结果，从全部记录重新计算（结果相同，用于核对和测速）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("多余的参数 %q", fs.Args())}
	}
	if c.quarter == "" {
		return usageError{"请用 --quarter 指定季度，如 --quarter 2023Q3"}
	}
	q, err := gs.ParseQuarter(c.quarter)
	if err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	asOf, err := asOfFlag(c.m, c.asOf)
	if err != nil {
		return err
	}
	write, err := byFormat(c.format, report.WriteTable, report.WriteJSON, report.WriteXLSX)
	if err != nil {
		return err
	}
	// The collector is off for the command (up to a gigabyte of heap), and
	// the heap a town's assessment needs is reserved before the store is
	// opened, so that the collection freeing the reservation (reserveHeap)
	// runs while the store connects. Turning the collector off waits for a
	// collection under way, so it comes first.
	defer app.TuneGCForBatch(1 << 30)()
	reserveHeap(assessEarlyHeap)
	// Kept results are read on one connection. A computation reads on
	// two: on PostgreSQL the second is connected when it is first asked
	// for (connecting both at once saved nothing measurable at 200
	// workers, BENCHMARKS.md 2026-12-05 15:58).
	svc, db, err := service(ctx, &c.storeFlags, &c.schemeFlag)
	if err != nil {
		return err
	}
	// A computed quarter is kept in the background, after the output: an
	// assessment is a reading command, and does not wait long for a store
	// that another program is writing (keepWait).
	svc.KeepInBackground = true
	defer func() {
		if !svc.KeepWait(keepWait) {
			if c.m.Exits {
				return // the store is left to the process's end, its save unfinished
			}
			svc.Wait()
		}
		if err := c.m.closeStore(ctx, db); err != nil {
			fmt.Fprintf(c.m.Stderr, "注意：关闭数据库时出错：%v\n", err)
		}
	}()
	clock.mark("打开")
	// A gigabyte in all for the heap and the store's mapping of its file;
	// when the quarter is computed, more than the early reservation is
	// reserved as far as the records will need it.
	budget := 1<<30 - db.MappedBytes()
	defer app.TuneGCForBatch(budget)()
	computed := false
	svc.Computing = func() {
		computed = true
		if need := min(db.ExpectedRows(ctx)*assessBytesPerRecord, budget); need > assessEarlyHeap {
			reserveHeap(need)
		}
		clock.mark("预留")
	}
	if clock != nil {
		svc.RecordsRead = func() { clock.mark("读取") }
	}
	assess := svc.AssessKept
	if c.recompute {
		svc.Computing()
		assess = svc.Assess
	}
	res, err := assess(ctx, q, asOf)
	if err != nil {
		return err
	}
	if computed {
		clock.mark("计算")
	} else {
		clock.mark("读取结果")
	}
	err = c.m.output(c.out, res, func(w io.Writer) error { return write(w, res) })
	clock.mark("输出")
	return err
}

// keepWait is how long `gridscore assess` waits, after its output, for the
// results it computed to be kept (a cache for the next assessment): longer
// only when another program holds the store's writing.
const keepWait = 2 * time.Second

// assessBytesPerRecord is about how much memory the assessment allocates
// per stored record (measured: 360 bytes on SQLite, 280 on PostgreSQL, at
// 200 and 5,000 workers).
const assessBytesPerRecord = 384

// assessEarlyHeap is the heap reserved before the store is opened: about
// what a town of 350 workers needs (one of 200 took 37 MB).
const assessEarlyHeap = 64 << 20

// output prints res's notes on stderr, then writes with write to the file
// at path, or to stdout when path is "".
func (m *Main) output(path string, res *gs.Result, write func(io.Writer) error) error {
	for _, n := range res.Notes {
		fmt.Fprintln(m.Stderr, "注意："+n)
	}
	if path == "" {
		w := bufio.NewWriter(m.Stdout)
		if err := write(w); err != nil {
			return err
		}
		return w.Flush()
	}
	return writeFile(path, write)
}

// writeFile writes a file through a temporary name and renames it into
// place, so that a failed write never leaves half a file. A path that names
// something other than a regular file (/dev/null, /dev/stdout, a named pipe)
// is written in place: renaming over it would replace the device or pipe
// with a file. A symbolic link is followed, so that the file it points to
// is replaced, not the link.
func writeFile(path string, write func(io.Writer) error) error {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	fi, err := os.Stat(path)
	if err == nil && !fi.Mode().IsRegular() {
		return writeInPlace(path, write)
	}
	tmp, err := createTemp(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("无法写入 %s：%w", path, err)
	}
	defer os.Remove(tmp.Name())
	if fi != nil { // a file replaced keeps its permissions
		if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
			tmp.Close()
			return fmt.Errorf("无法写入 %s：%w", path, err)
		}
	}
	if err := writeClose(tmp, path, write); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeBytes writes data to the file at path as writeFile does.
func writeBytes(path string, data []byte) error {
	return writeFile(path, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// createTemp creates a new file in dir under an unused hidden name, with
// the permissions any new file gets (0666 less the process's umask), not
// os.CreateTemp's 0600: a result written for others to open is readable as
// any file the user saves.
func createTemp(dir string) (*os.File, error) {
	for {
		name := filepath.Join(dir, ".gridscore-"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// writeInPlace writes to the device or pipe at path.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("无法写入 %s：%w", path, err)
	}
	return writeClose(f, path, write)
}

// writeClose writes to f through a buffer and closes it; path names f in
// errors.
func writeClose(f *os.File, path string, write func(io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("无法写入 %s：%w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("无法写入 %s：%w", path, err)
	}
	return nil
}
