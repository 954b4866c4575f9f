package main

import (
	"context"
	"fmt"
	"os"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/report"
)

// MappingCommand is `gridscore mapping`: the mappings of other systems'
// export files (issue 16 item 2) listed, written to a file, imported
// from one, deleted. It acts as the administrator of --town, or as the
// district without it (whose mappings every town may use).
type MappingCommand struct {
	m *Main
	storeFlags
	town, out string
}

const mappingUsage = `gridscore mapping list [--town 镇街]                    列出镇街的（和全区的）导入映射
gridscore mapping export [--town 镇街] 名称 [--out 文件]   把映射写成文件（交给其他镇街或服务器）
gridscore mapping import [--town 镇街] 文件...             导入映射文件（同名的映射被替换）
gridscore mapping delete [--town 镇街] 名称                删除映射
不给 --town 时是区中心的（全区的）映射。`

// Run parses the arguments and does the action.
func (c *MappingCommand) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError{"用法：\n" + mappingUsage}
	}
	action := args[0]
	fs := newFlagSet(c.m, "mapping "+action, mappingUsage)
	c.storeFlags.register(fs, c.m)
	fs.StringVar(&c.town, "town", c.m.Getenv("GRIDSCORE_TOWN"), "镇街名称（不给时为全区的映射；环境变量 GRIDSCORE_TOWN）")
	fs.StringVar(&c.out, "out", "", "export：写入的文件（默认“导入映射 名称.json”）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	svc, db, err := service(ctx, &c.storeFlags, &schemeFlag{})
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	u := &gs.User{Username: app.ActorCommandLine, Role: gs.RoleDistrict}
	if c.town != "" {
		u = &gs.User{Username: app.ActorCommandLine, Role: gs.RoleTownAdmin, Town: c.town}
	}
	one := func() (string, error) {
		if fs.NArg() != 1 {
			return "", usageError{"请给出一个映射的名称"}
		}
		return fs.Arg(0), nil
	}
	switch action {
	case "list":
		return c.list(ctx, svc, u)
	case "export":
		name, err := one()
		if err != nil {
			return err
		}
		data, file, err := svc.MappingFile(ctx, u, c.town, name)
		if err != nil {
			return err
		}
		if c.out == "" {
			c.out = file
		}
		if err := writeBytes(c.out, data); err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stdout, "已把映射“%s”写入 %s。\n", name, c.out)
	case "import":
		if fs.NArg() == 0 {
			return usageError{"请给出映射文件"}
		}
		if c.town != "" { // a mapping saved for a misspelt town would be nobody's
			if err := svc.KnownTown(ctx, c.town, "请先导入网格。"); err != nil {
				return err
			}
		}
		for _, path := range fs.Args() {
			data, err := os.ReadFile(path)
			if err != nil {
				return gs.Errorf(gs.EINVALID, "无法读取映射文件 %s：%v", path, err)
			}
			m, err := svc.ImportMappingFile(ctx, u, data)
			if err != nil {
				return gs.Errorf(gs.ErrorCode(err), "%s：%s", path, gs.ErrorMessage(err))
			}
			fmt.Fprintf(c.m.Stdout, "已导入映射“%s”（%s，%s）。\n", m.Name, gs.KindName[m.Kind], gs.TownOrDistrict(m.Town))
		}
	case "delete":
		name, err := one()
		if err != nil {
			return err
		}
		if err := svc.DeleteMapping(ctx, u, name); err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stdout, "已删除映射“%s”。\n", name)
	default:
		return usageError{"未知的操作 " + action + "；用法：\n" + mappingUsage}
	}
	return nil
}

// list prints the mappings u may use, one a line.
func (c *MappingCommand) list(ctx context.Context, svc *app.Service, u *gs.User) error {
	ms, err := svc.Mappings(ctx, u)
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		fmt.Fprintln(c.m.Stdout, "没有导入映射。")
		return nil
	}
	for _, m := range ms {
		read := 0
		for _, col := range m.Columns {
			if col.Key != "" {
				read++
			}
		}
		fmt.Fprintln(c.m.Stdout, report.TerminalText(fmt.Sprintf("%s/%s  %s  %d 列，读取 %d 列  %s %s", m.Town, m.Name, gs.KindName[m.Kind],
			len(m.Columns), read, m.SavedBy, m.SavedAt.In(gs.CST).Format("2006-01-02 15:04"))))
	}
	return nil
}
