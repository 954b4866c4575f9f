package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/web"
)

// ServeCommand is `gridscore serve`: the web application. It refuses a store
// whose schema is not up to date (`gridscore migrate` brings it there),
// creates the first administrator on the first start, and stops gracefully
// when ctx ends (SIGINT or SIGTERM in main). With --demo it serves the demo
// town from a fresh store with demo accounts.
type ServeCommand struct {
	m *Main
	storeFlags
	schemeFlag
	addr, tlsCert, tlsKey, town string
	publicURL, trustedProxies   string
	demo                        bool
	logFormat, logLevel         string

	// ready, when set, is called with the address the server listens on
	// once it accepts connections, so that a test can boot the real server
	// on port 0.
	ready func(addr string)
}

const serveSynopsis = "gridscore serve [--addr :8080] [--db 文件 | --dsn URL] [--scheme 文件] [--tls-cert 文件 --tls-key 文件] [--public-url https://…] [--trusted-proxies 地址,…] [--demo] [--town 镇街] [--log-format text|json] [--log-level info]"

// demoPassword is the password of every demo account.
const demoPassword = "demo1234"

// shutdownTimeout is how long requests in flight may take to finish once
// the server is asked to stop.
const shutdownTimeout = 10 * time.Second

// sessionSweep is how often expired sessions are deleted.
const sessionSweep = 10 * time.Minute

// Run parses the arguments and serves until ctx ends.
func (c *ServeCommand) Run(ctx context.Context, args []string) error {
	given, err := c.parse(args)
	if err != nil {
		return err
	}
	logger, err := newLogger(c.m.Stderr, c.logFormat, c.logLevel)
	if err != nil {
		return err
	}
	tlsConfig, err := c.loadTLS()
	if err != nil {
		return err
	}
	https, err := c.publicHTTPS()
	if err != nil {
		return err
	}
	proxies, err := parseProxies(c.trustedProxies)
	if err != nil {
		return err
	}
	sch, err := c.schemeFlag.load()
	if err != nil {
		return err
	}

	db, cleanup, err := c.openStore(ctx, given)
	if err != nil {
		return err
	}
	defer cleanup()
	// The one clock of the program: the sessions, the pages and the
	// quarter's life all read it.
	auth := &app.Auth{DB: db, Now: c.m.Now}
	srv := &web.Server{
		Service:        &app.Service{DB: db, Scheme: sch, Now: c.m.Now, KeepInBackground: true},
		Auth:           auth,
		Logger:         logger,
		Secure:         tlsConfig != nil || https,
		TrustedProxies: proxies,
		PublicURL:      c.publicURL, // printed in the survey's QR codes and on password slips
	}
	if c.demo {
		if err := c.loadDemo(ctx, db, auth); err != nil {
			return err
		}
		srv.Quarter, srv.AsOf = demo.Quarter(), demo.AsOf()
	} else if err := c.ensureAdmin(ctx, db, auth); err != nil {
		return err
	}
	return c.serve(ctx, srv, auth, logger, tlsConfig)
}

// parse reads the flags into c and returns the names of those given on
// the command line.
func (c *ServeCommand) parse(args []string) (map[string]bool, error) {
	fs := newFlagSet(c.m, "serve", serveSynopsis)
	c.storeFlags.register(fs, c.m)
	c.schemeFlag.register(fs, c.m)
	fs.StringVar(&c.addr, "addr", envOr(c.m.Getenv, "GRIDSCORE_ADDR", ":8080"), "监听地址，如 :8080 或 127.0.0.1:8080（环境变量 GRIDSCORE_ADDR）")
	fs.StringVar(&c.tlsCert, "tls-cert", c.m.Getenv("GRIDSCORE_TLS_CERT"), "TLS 证书文件（PEM；与 --tls-key 一起给出时使用 HTTPS；环境变量 GRIDSCORE_TLS_CERT）")
	fs.StringVar(&c.tlsKey, "tls-key", c.m.Getenv("GRIDSCORE_TLS_KEY"), "TLS 私钥文件（PEM；环境变量 GRIDSCORE_TLS_KEY）")
	fs.StringVar(&c.publicURL, "public-url", c.m.Getenv("GRIDSCORE_PUBLIC_URL"), "用户访问本系统的地址，如 https://grid.example.gov.cn（由前面的代理提供 HTTPS 时设置；https 地址使 Cookie 只走 HTTPS 并发送 Strict-Transport-Security；环境变量 GRIDSCORE_PUBLIC_URL）")
	fs.StringVar(&c.trustedProxies, "trusted-proxies", c.m.Getenv("GRIDSCORE_TRUSTED_PROXIES"), "可信的反向代理地址或网段，逗号分隔，如 10.0.0.5,10.1.0.0/16：只有来自这些地址的请求才按 X-Forwarded-For 认定用户地址（登录限制按地址计数；环境变量 GRIDSCORE_TRUSTED_PROXIES）")
	fs.BoolVar(&c.demo, "demo", false, "示范模式：在全新的数据库（默认临时文件，退出后删除）中导入示范镇 "+demo.TownName+"，并创建示范账号")
	fs.StringVar(&c.town, "town", c.m.Getenv("GRIDSCORE_TOWN"), "首次启动时创建的管理员所属镇街（默认取数据库中唯一的镇街；环境变量 GRIDSCORE_TOWN）")
	fs.StringVar(&c.logFormat, "log-format", envOr(c.m.Getenv, "GRIDSCORE_LOG_FORMAT", "text"), "日志格式：text 或 json（环境变量 GRIDSCORE_LOG_FORMAT）")
	fs.StringVar(&c.logLevel, "log-level", envOr(c.m.Getenv, "GRIDSCORE_LOG_LEVEL", "info"), "日志级别：debug、info、warn 或 error（环境变量 GRIDSCORE_LOG_LEVEL）")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usageError{fmt.Sprintf("多余的参数 %q", fs.Args())}
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	return given, nil
}

// loadTLS returns the TLS configuration of --tls-cert and --tls-key (nil
// when neither is given: plain HTTP).
func (c *ServeCommand) loadTLS() (*tls.Config, error) {
	switch {
	case (c.tlsCert == "") != (c.tlsKey == ""):
		return nil, usageError{"--tls-cert 和 --tls-key 需要同时给出"}
	case c.tlsCert != "":
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return nil, usageError{fmt.Sprintf("无法读取 TLS 证书或私钥：%v", err)}
		}
		return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
	}
	return nil, nil
}

// publicHTTPS reports whether --public-url is an https address; it must be
// an absolute http or https URL when given.
func (c *ServeCommand) publicHTTPS() (bool, error) {
	if c.publicURL == "" {
		return false, nil
	}
	u, err := url.Parse(c.publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false, usageError{fmt.Sprintf("--public-url 应为完整的网址，如 https://grid.example.gov.cn：%q", c.publicURL)}
	}
	return u.Scheme == "https", nil
}

// parseProxies reads --trusted-proxies: addresses or networks, comma
// separated.
func parseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, usageError{fmt.Sprintf("--trusted-proxies 中的 %q 不是 IP 地址或网段（如 10.0.0.5 或 10.1.0.0/16）", s)}
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// serve listens on c.addr and serves srv (over TLS when tlsConfig is set),
// sweeping expired sessions meanwhile, until ctx ends; then it lets the
// requests in flight finish and waits for srv's background work.
func (c *ServeCommand) serve(ctx context.Context, srv *web.Server, auth *app.Auth, logger *slog.Logger, tlsConfig *tls.Config) error {
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return usageError{fmt.Sprintf("无法监听 %s：%v", c.addr, err)}
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() {
		if tlsConfig != nil {
			served <- hs.ServeTLS(ln, "", "")
		} else {
			served <- hs.Serve(ln)
		}
	}()
	sweepCtx, stopSweep := context.WithCancel(ctx)
	defer stopSweep()
	go sweepSessions(sweepCtx, auth, c.m.Now, logger)
	aheadCtx, stopAhead := context.WithCancel(ctx)
	defer stopAhead()
	srv.StartAhead(aheadCtx) // live results of the next moment, computed ahead

	fmt.Fprintf(c.m.Stdout, "gridscore 网页服务已启动：%s（按 Ctrl+C 停止）\n", browseURL(ln.Addr(), tlsConfig != nil))
	logger.Info("listening", slog.String("addr", ln.Addr().String()), slog.Bool("tls", tlsConfig != nil), slog.Bool("demo", c.demo))
	if c.ready != nil {
		c.ready(ln.Addr().String())
	}

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(stopCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopAhead()
	srv.Wait() // live results computing in the background, before the store closes
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintln(c.m.Stdout, "gridscore 网页服务已停止。")
	return nil
}

// openStore opens the store and returns it with the function that closes
// it. Outside demo mode the schema must be current. In demo mode the store
// is a new temporary SQLite file, removed on exit, unless --db or --dsn was
// given on the command line (an environment variable alone does not count,
// so that the demo never writes into a production database by accident).
func (c *ServeCommand) openStore(ctx context.Context, given map[string]bool) (*store.DB, func(), error) {
	target, err := c.storeFlags.target()
	if err != nil {
		return nil, nil, err
	}
	if !c.demo {
		db, err := store.Open(ctx, target)
		if err != nil {
			return nil, nil, err
		}
		current, err := db.SchemaCurrent(ctx)
		if err != nil {
			db.Close()
			return nil, nil, err
		}
		if !current {
			db.Close()
			return nil, nil, gs.Errorf(gs.EINVALID, "数据库表结构不是最新版本（或尚未建立）。请先运行 gridscore migrate（使用相同的 --db 或 --dsn）升级，然后再启动。")
		}
		return db, func() { db.Close() }, nil
	}
	remove := func() {}
	if !given["db"] && !given["dsn"] {
		dir, err := os.MkdirTemp("", "gridscore-demo-")
		if err != nil {
			return nil, nil, err
		}
		target = filepath.Join(dir, "gridscore.db")
		remove = func() { os.RemoveAll(dir) }
	}
	db, err := store.OpenAndMigrate(ctx, target)
	if err != nil {
		remove()
		return nil, nil, err
	}
	return db, func() { db.Close(); remove() }, nil
}

// demoAccount is one account of demo mode.
type demoAccount struct {
	username string
	role     gs.Role
	workerID string
}

// demoAccounts are the accounts demo mode creates, one of every role and
// two grid workers (so that one can try to look at the other).
var demoAccounts = []demoAccount{
	{username: "district", role: gs.RoleDistrict},
	{username: "admin", role: gs.RoleTownAdmin},
	{username: "staff", role: gs.RoleTownStaff},
	{username: "QS001", role: gs.RoleWorker, workerID: "QS001"},
	{username: "QS013", role: gs.RoleWorker, workerID: "QS013"},
}

// loadDemo imports the demo town and creates (or resets) the demo accounts,
// then prints them.
func (c *ServeCommand) loadDemo(ctx context.Context, db *store.DB, auth *app.Auth) error {
	recs := demo.Town(1)
	if _, err := db.Import(ctx, recs, nil); err != nil {
		return err
	}
	names := map[string]string{}
	for _, w := range recs.Workers {
		names[w.ID] = w.Name
	}
	ctx = app.WithActor(ctx, app.ActorSystem)
	fmt.Fprintf(c.m.Stdout, "示范模式：已导入示范镇 %s（%d 名网格员，%s）。\n示范账号（密码均为 %s）：\n",
		demo.TownName, len(recs.Workers), demo.Quarter(), demoPassword)
	for _, a := range demoAccounts {
		u := &gs.User{Username: a.username, Role: a.role, WorkerID: a.workerID}
		label := gs.RoleName[a.role]
		switch a.role {
		case gs.RoleDistrict:
			u.DisplayName = "区中心（示范）"
		case gs.RoleWorker:
			u.Town, u.DisplayName = demo.TownName, names[a.workerID]
			label += " " + names[a.workerID]
		case gs.RoleTownAdmin:
			u.Town, u.DisplayName = demo.TownName, demo.TownName+"管理员"
			label += "（" + demo.TownName + "）"
		default:
			u.Town, u.DisplayName = demo.TownName, demo.TownName+"工作人员"
			label += "（" + demo.TownName + "）"
		}
		err := auth.CreateUser(ctx, u, demoPassword)
		if gs.ErrorCode(err) == gs.ECONFLICT { // a --db used for the demo before
			err = auth.SetPassword(ctx, a.username, demoPassword, false)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stdout, "  %-9s %s\n", a.username, label)
	}
	return nil
}

// ensureAdmin creates the first administrator when the store has no account
// at all, and prints its one-time password (the only time it is shown).
func (c *ServeCommand) ensureAdmin(ctx context.Context, db *store.DB, auth *app.Auth) error {
	users, err := auth.Users(ctx)
	if err != nil || len(users) > 0 {
		return err
	}
	town := c.town
	if town == "" {
		now := c.m.Now()
		recs, err := db.Load(ctx, now, now) // the reference tables only
		if err != nil {
			return err
		}
		set := map[string]bool{}
		for _, g := range recs.Grids {
			set[g.Town] = true
		}
		var towns []string
		for t := range set {
			towns = append(towns, t)
		}
		sort.Strings(towns)
		if len(towns) != 1 {
			msg := "首次启动需要创建管理员账号，请用 --town 指定其所属镇街"
			if len(towns) > 1 {
				msg += "（数据库中有：" + strings.Join(towns, "、") + "）"
			}
			return usageError{msg}
		}
		town = towns[0]
	}
	password, created, err := auth.EnsureAdmin(ctx, town, c.m.Now())
	if err != nil || !created {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已创建管理员账号 admin（%s镇中心管理员），一次性密码：%s\n请立即登录并修改密码；此密码只显示这一次。\n", town, password)
	return nil
}

// sweepSessions deletes expired sessions and the failed logins that no
// longer count now and then until ctx ends.
func sweepSessions(ctx context.Context, auth *app.Auth, now func() time.Time, logger *slog.Logger) {
	t := time.NewTicker(sessionSweep)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := auth.DeleteExpiredSessions(ctx, now()); err != nil && ctx.Err() == nil {
				logger.Error("delete expired sessions", slog.Any("error", err))
			} else if n > 0 {
				logger.Info("deleted expired sessions", slog.Int64("count", n))
			}
			if n, err := auth.ForgetStaleLoginFailures(ctx, now()); err != nil && ctx.Err() == nil {
				logger.Error("delete stale login failures", slog.Any("error", err))
			} else if n > 0 {
				logger.Info("deleted stale login failures", slog.Int64("count", n))
			}
		}
	}
}

// newLogger returns the structured logger of the chosen format and level.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level 应为 debug、info、warn 或 error：%q", level)}
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("--log-format 应为 text 或 json：%q", format)}
}

// browseURL is the address to open in a browser: an unspecified host (":8080")
// is this machine.
func browseURL(addr net.Addr, secure bool) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return addr.String()
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	scheme := "http"
	if secure {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
