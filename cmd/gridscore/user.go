package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/report"
)

// UserCommand is `gridscore user`: manage accounts from the command line
// (add one, set a password, list them). Changes are audited as done by
// app.ActorCommandLine.
type UserCommand struct {
	m *Main
	storeFlags
}

const userUsage = `用法：
  gridscore user add --username 用户名 --role 角色 [--town 镇街] [--worker-id 工号] [--name 姓名] [--password 密码]
                                                      创建账号；不给 --password 时生成随机密码并显示一次
  gridscore user passwd --username 用户名 [--password 密码]
                                                      重设密码；不给 --password 时生成随机密码并显示一次
  gridscore user list                                 列出全部账号

角色：district（区中心）、town_admin（镇中心管理员）、town_staff（镇中心工作人员）、worker（网格员），
也可以写中文名称。镇中心账号和网格员账号须给出 --town，网格员账号须给出 --worker-id。
密码至少 8 个字符。默认首次登录须修改密码（--must-change=false 取消）。
每个命令都可加 --db 文件 或 --dsn URL 指定数据库。
`

// Run runs the subcommand named by args[0].
func (c *UserCommand) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(c.m.Stderr, userUsage)
		return usageError{"请指定要做的事：add、passwd 或 list"}
	}
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	switch args[0] {
	case "add":
		return c.add(ctx, args[1:])
	case "passwd":
		return c.passwd(ctx, args[1:])
	case "list":
		return c.list(ctx, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(c.m.Stdout, userUsage)
		return flag.ErrHelp
	}
	fmt.Fprint(c.m.Stderr, userUsage)
	return usageError{fmt.Sprintf("未知的操作 %q，应为 add、passwd 或 list", args[0])}
}

// parse parses a subcommand's flags, with the store's, and refuses
// arguments that are not flags.
func (c *UserCommand) parse(fs *flag.FlagSet, args []string) error {
	c.storeFlags.register(fs, c.m)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("多余的参数 %q（选项要写成 --名称 值）", fs.Arg(0))}
	}
	return nil
}

// auth opens the store (migrating it) and returns the account service and
// a function closing it.
func (c *UserCommand) auth(ctx context.Context) (*app.Auth, func(), error) {
	db, err := c.open(ctx)
	if err != nil {
		return nil, nil, err
	}
	return &app.Auth{DB: db, Now: c.m.Now}, func() { db.Close() }, nil
}

// passwordFlags are the password options of add and passwd.
type passwordFlags struct {
	password   string
	mustChange bool
}

func (p *passwordFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&p.password, "password", "", "密码（至少 8 个字符）；不给时生成随机密码并显示一次")
	fs.BoolVar(&p.mustChange, "must-change", true, "首次登录时须修改密码")
}

// choose returns the password to set, and whether it was generated (and
// must be shown).
func (p *passwordFlags) choose() (string, bool, error) {
	if p.password == "" {
		pw, err := app.RandomPassword()
		return pw, true, err
	}
	if utf8.RuneCountInString(p.password) < app.MinPasswordLength {
		return "", false, usageError{fmt.Sprintf("密码至少需要 %d 个字符", app.MinPasswordLength)}
	}
	return p.password, false, nil
}

// showPassword prints a generated password once.
func (c *UserCommand) showPassword(pw string, mustChange bool) {
	fmt.Fprintf(c.m.Stdout, "密码：%s\n（只显示这一次，请立即转交本人", pw)
	if mustChange {
		fmt.Fprint(c.m.Stdout, "；首次登录后须修改")
	}
	fmt.Fprintln(c.m.Stdout, "）")
}

// add creates an account.
func (c *UserCommand) add(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "user add", "gridscore user add --username 用户名 --role 角色 [--town 镇街] [--worker-id 工号] [--name 姓名] [--password 密码]")
	var u gs.User
	var role string
	var pf passwordFlags
	fs.StringVar(&u.Username, "username", "", "用户名（登录用，不超过 64 个字符）")
	fs.StringVar(&role, "role", "", "角色：district、town_admin、town_staff、worker（或中文名称）")
	fs.StringVar(&u.Town, "town", "", "所属镇街（镇中心账号和网格员账号必填）")
	fs.StringVar(&u.WorkerID, "worker-id", "", "网格员的工号（网格员账号必填）")
	fs.StringVar(&u.DisplayName, "name", "", "姓名")
	pf.register(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	u.Username = strings.TrimSpace(u.Username)
	u.Town, u.WorkerID, u.DisplayName = strings.TrimSpace(u.Town), strings.TrimSpace(u.WorkerID), strings.TrimSpace(u.DisplayName)
	u.MustChangePassword = pf.mustChange
	if u.Username == "" {
		return usageError{"请用 --username 给出用户名"}
	}
	var ok bool
	if u.Role, ok = parseRole(role); !ok {
		return usageError{fmt.Sprintf("未知的角色 %q，应为 district、town_admin、town_staff 或 worker", role)}
	}
	switch {
	case u.Role == gs.RoleDistrict && u.Town != "":
		return usageError{"区中心账号不属于某个镇街，请去掉 --town"}
	case u.Role != gs.RoleWorker && u.WorkerID != "":
		return usageError{"只有网格员账号可以关联工号，请去掉 --worker-id"}
	}
	if err := u.Validate(); err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	pw, generated, err := pf.choose()
	if err != nil {
		return err
	}
	auth, done, err := c.auth(ctx)
	if err != nil {
		return err
	}
	defer done()
	if err := auth.CreateUser(ctx, &u, pw); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已创建账号 %s（%s）。\n", u.Username, describeUser(&u))
	if generated {
		c.showPassword(pw, u.MustChangePassword)
	}
	return nil
}

// passwd sets an account's password.
func (c *UserCommand) passwd(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "user passwd", "gridscore user passwd --username 用户名 [--password 密码]")
	var username string
	var pf passwordFlags
	fs.StringVar(&username, "username", "", "用户名")
	pf.register(fs)
	if err := c.parse(fs, args); err != nil {
		return err
	}
	if username = strings.TrimSpace(username); username == "" {
		return usageError{"请用 --username 给出用户名"}
	}
	pw, generated, err := pf.choose()
	if err != nil {
		return err
	}
	auth, done, err := c.auth(ctx)
	if err != nil {
		return err
	}
	defer done()
	if err := auth.SetPassword(ctx, username, pw, pf.mustChange); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已重设 %s 的密码，该账号已登录的会话全部失效。\n", username)
	if generated {
		c.showPassword(pw, pf.mustChange)
	}
	return nil
}

// list prints every account as a table.
func (c *UserCommand) list(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "user list", "gridscore user list [--db 文件 | --dsn URL]")
	if err := c.parse(fs, args); err != nil {
		return err
	}
	auth, done, err := c.auth(ctx)
	if err != nil {
		return err
	}
	defer done()
	users, err := auth.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(c.m.Stdout, "还没有账号。用 gridscore user add 创建，或启动 gridscore serve 自动创建管理员。")
		return nil
	}
	rows := [][]string{{"用户名", "姓名", "角色", "镇街", "工号", "状态"}}
	for _, u := range users {
		rows = append(rows, []string{u.Username, orDash(u.DisplayName), gs.RoleName[u.Role], orDash(u.Town), orDash(u.WorkerID), userState(&u)})
	}
	writeUserColumns(c.m.Stdout, rows)
	fmt.Fprintf(c.m.Stdout, "\n共 %d 个账号。\n", len(users))
	return nil
}

// parseRole reads a role by its key or its Chinese name.
func parseRole(s string) (gs.Role, bool) {
	s = strings.TrimSpace(s)
	for _, r := range gs.Roles {
		if s == string(r) || s == gs.RoleName[r] {
			return r, true
		}
	}
	return "", false
}

// describeUser says what an account is, for messages.
func describeUser(u *gs.User) string {
	parts := []string{gs.RoleName[u.Role]}
	if u.Town != "" {
		parts = append(parts, u.Town)
	}
	if u.WorkerID != "" {
		parts = append(parts, "工号 "+u.WorkerID)
	}
	return strings.Join(parts, "，")
}

// userState is the 状态 column of an account.
func userState(u *gs.User) string {
	switch {
	case u.Disabled:
		return "已停用"
	case u.MustChangePassword:
		return "须修改密码"
	}
	return "正常"
}

// orDash shows an empty cell as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writeUserColumns writes rows as left-aligned columns two spaces apart,
// counting a Chinese character as two columns of a terminal.
func writeUserColumns(w io.Writer, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			cell = report.TerminalText(cell) // shown, not obeyed
			row[i] = cell
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], report.DisplayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-report.DisplayWidth(cell)+2))
			}
		}
		fmt.Fprintln(w, b.String())
	}
}
