// Command gridscore assesses grid workers (网格员) each quarter by a town's
// regulation. It is the only place that wires the adapters together.
//
//	gridscore import [--db FILE | --dsn URL] PATH...
//	gridscore assess --quarter 2023Q3 [--as-of TIME] [--format table|json|xlsx] [--out FILE]
//	gridscore warnings --town TOWN [--quarter 2023Q3] [--as-of TIME] [--format table|json|xlsx] [--out FILE]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/report"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now, Exits: true}
	os.Exit(m.Run(ctx, os.Args[1:]))
}

// Main is the program: its output streams, its environment and its clock
// are fields so that a test can run it in-process.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// Exits says that the process ends when Run returns (main), so that a
	// command may leave to the system what it would only free
	// (store.DB.CloseAtExit); a test running Main in-process leaves it
	// false.
	Exits bool
}

// closeStore closes db as the last thing a command does with it: at the
// process's exit (Exits) without freeing what the system frees anyway.
func (m *Main) closeStore(ctx context.Context, db *store.DB) error {
	if m.Exits {
		return db.CloseAtExit(ctx)
	}
	return db.Close()
}

const usage = `gridscore —— 网格员季度考核

用法：
  gridscore import [--db 文件 | --dsn URL] [--mapping 名称]... 路径...
                                                      导入数据文件或文件夹（全部成功才写入），并计算、保存所涉及的已结束
                                                      季度的考核结果；--mapping 按保存的映射读取其他系统导出的文件
  gridscore mapping list|export|import|delete         管理导入映射（其他系统导出文件的列、取值、日期的对应关系）
  gridscore assess --quarter 2023Q3 [--as-of 时间] [--format table|json|xlsx] [--out 文件]
                                                      计算季度考核结果（不修改数据；结果已保存且未过时则直接读取，
                                                      --recompute 总是重新计算）
  gridscore warnings --town 镇街 [--as-of 时间] [--format table|json|xlsx] [--out 文件]
                                                      按网格列出本季度的预警（将被扣分的事项），可打印下发
  gridscore demo [--workers N --quarter 2023Q3 --seed S] [--out 文件夹]
                                                      生成示范数据：默认导入示范镇 青山镇，--workers 生成任意规模
  gridscore bench [--workers 200,5000,100000] [--stores sqlite,postgres] [--out BENCHMARKS.md]
                                                      性能基准：导入、计算与基准扫描、数据库自身的批量装载，写入 BENCHMARKS.md
  gridscore serve [--addr :8080] [--demo]             启动网页服务（--demo：载入示范镇和示范账号）
  gridscore user add|passwd|list                      管理账号
  gridscore migrate [--db 文件 | --dsn URL]           将数据库表结构升级到最新版本
  gridscore scheme                                    输出默认考核方案（YAML），可修改后用 --scheme 加载
  gridscore export filing --town 镇街 --quarter 2023Q3 [--out 文件]
                                                      镇街：写出已定稿季度的报备包（签名的 .zip，发给区中心）
  gridscore filing-key --town 镇街 [--register --key 公钥]
                                                      显示本镇街的公钥；区中心加 --register 登记镇街的公钥
  gridscore import-filing 报备包.zip...               区中心：核对签名后导入镇街的报备包
  gridscore template [--out 文件 | --dir 文件夹] [类别...]
                                                      生成导入模板（XLSX：中文表头、每列说明、下拉选项）

每个命令的选项：gridscore 命令 -h
`

// Run runs one command and returns the exit code: 0 success, 1 the command
// failed (bad data, a store error), 2 the command line was wrong.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "import":
		err = (&ImportCommand{m: m}).Run(ctx, args[1:])
	case "assess":
		err = (&AssessCommand{m: m}).Run(ctx, args[1:])
	case "warnings":
		err = (&WarningsCommand{m: m}).Run(ctx, args[1:])
	case "bench":
		err = (&BenchCommand{m: m}).Run(ctx, args[1:])
	case "bench-floor": // the harness's child, not in the usage
		err = (&BenchFloorCommand{m: m}).Run(ctx, args[1:])
	case "demo":
		err = (&DemoCommand{m: m}).Run(ctx, args[1:])
	case "serve":
		err = (&ServeCommand{m: m}).Run(ctx, args[1:])
	case "user":
		err = (&UserCommand{m: m}).Run(ctx, args[1:])
	case "migrate":
		err = (&MigrateCommand{m: m}).Run(ctx, args[1:])
	case "template":
		err = (&TemplateCommand{m: m}).Run(ctx, args[1:])
	case "export":
		err = (&ExportCommand{m: m}).Run(ctx, args[1:])
	case "filing-key":
		err = (&FilingKeyCommand{m: m}).Run(ctx, args[1:])
	case "mapping":
		err = (&MappingCommand{m: m}).Run(ctx, args[1:])
	case "import-filing":
		err = (&ImportFilingCommand{m: m}).Run(ctx, args[1:])
	case "scheme":
		_, err = m.Stdout.Write(scheme.DefaultYAML())
	case "help", "-h", "--help":
		fmt.Fprint(m.Stdout, usage)
		return 0
	default:
		fmt.Fprintf(m.Stderr, "未知命令 %q\n\n%s", args[0], usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(m.Stderr, "gridscore %s：%s\n", args[0], ue.msg)
		return 2
	default:
		// A message may quote a file's name or cell: shown, not obeyed.
		fmt.Fprintf(m.Stderr, "gridscore %s：%s\n", args[0], report.TerminalText(gs.ErrorMessage(err)))
		if gs.ErrorCode(err) == gs.EINTERNAL {
			fmt.Fprintf(m.Stderr, "（详细信息：%v）\n", err)
		}
		return 1
	}
}

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// storeFlags are the options every command that opens the store shares.
type storeFlags struct {
	db, dsn string
	// existing is set for a command that only reads (assess, warnings,
	// export): a SQLite file that does not exist is refused rather than
	// created, so that a mistyped --db is not answered with an empty result.
	existing bool
}

// registerExisting is register for a command that only reads the store.
func (s *storeFlags) registerExisting(fs *flag.FlagSet, m *Main) {
	s.register(fs, m)
	s.existing = true
}

func (s *storeFlags) register(fs *flag.FlagSet, m *Main) {
	fs.StringVar(&s.db, "db", envOr(m.Getenv, "GRIDSCORE_DB", "gridscore.db"), "内置 SQLite 数据库文件（环境变量 GRIDSCORE_DB）")
	fs.StringVar(&s.dsn, "dsn", m.Getenv("GRIDSCORE_DSN"), "PostgreSQL 连接串 postgres://…（环境变量 GRIDSCORE_DSN），设置后不使用 --db")
}

// target returns the store to open: the PostgreSQL URL when given, else the
// SQLite file.
func (s *storeFlags) target() (string, error) {
	if s.dsn == "" {
		return s.db, nil
	}
	if !strings.HasPrefix(s.dsn, "postgres://") && !strings.HasPrefix(s.dsn, "postgresql://") {
		return "", usageError{"--dsn 应为 postgres:// 开头的 PostgreSQL 连接串"}
	}
	return s.dsn, nil
}

// open opens the chosen store and brings its schema up to date.
func (s *storeFlags) open(ctx context.Context, opts ...store.Option) (*store.DB, error) {
	target, err := s.target()
	if err != nil {
		return nil, err
	}
	if s.existing && s.dsn == "" {
		if _, err := os.Stat(target); errors.Is(err, os.ErrNotExist) {
			return nil, gs.Errorf(gs.ENOTFOUND, "数据库文件 %s 不存在：请检查 --db（或环境变量 GRIDSCORE_DB）；数据要先用 gridscore import 导入。", target)
		}
	}
	return store.OpenAndMigrate(ctx, target, opts...)
}

// schemeFlag loads the default scheme or the one named by --scheme.
type schemeFlag struct{ path string }

func (s *schemeFlag) register(fs *flag.FlagSet, m *Main) {
	fs.StringVar(&s.path, "scheme", m.Getenv("GRIDSCORE_SCHEME"), "考核方案 YAML 文件（默认内置 xx-town-2023；环境变量 GRIDSCORE_SCHEME）")
}

func (s *schemeFlag) load() (gs.Scheme, error) {
	if s.path == "" {
		return scheme.Default(), nil
	}
	return scheme.Load(s.path)
}

// asOfFlag reads --as-of (now when empty), to the second.
func asOfFlag(m *Main, given string) (time.Time, error) {
	if given == "" {
		return m.Now().Truncate(time.Second), nil
	}
	t, err := csvfile.ParseTimestamp(given)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("--as-of 时间格式有误：%q（可用 2023-10-08 09:00:00、2023/10/8 9:00 或 RFC 3339）", given)}
	}
	return t.Truncate(time.Second), nil
}

// byFormat picks the writer of --format: table, json or xlsx.
func byFormat[W any](format string, table, json, xlsx W) (W, error) {
	switch format {
	case "table":
		return table, nil
	case "json":
		return json, nil
	case "xlsx":
		return xlsx, nil
	}
	var none W
	return none, usageError{fmt.Sprintf("不支持的格式 %q：可用 table、json、xlsx", format)}
}

// service loads the scheme and opens the store of a command that computes;
// the caller closes the store.
func service(ctx context.Context, st *storeFlags, sf *schemeFlag, opts ...store.Option) (*app.Service, *store.DB, error) {
	// A scheme file is read first, so that a bad one opens no store; the
	// built-in scheme is parsed while the store is opened (about a
	// millisecond of YAML against a connection's wait).
	var sch gs.Scheme
	var parsed chan gs.Scheme
	if sf.path != "" {
		var err error
		if sch, err = sf.load(); err != nil {
			return nil, nil, err
		}
	} else {
		parsed = make(chan gs.Scheme, 1)
		go func() { parsed <- scheme.Default() }()
	}
	db, err := st.open(ctx, opts...)
	if parsed != nil {
		sch = <-parsed
	}
	if err != nil {
		return nil, nil, err
	}
	return &app.Service{DB: db, Scheme: sch}, db, nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// newFlagSet returns a flag set that reports errors instead of exiting and
// prints its usage on the command's stderr.
func newFlagSet(m *Main, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "用法：%s\n\n选项：\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
