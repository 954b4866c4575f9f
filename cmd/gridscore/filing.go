package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/report"
)

// The signed filing with a district that keeps its own server (issue 16
// item 4): `gridscore export filing` on the town's server writes the
// signed package, `gridscore filing-key` shows the town's public key (or
// registers a town's key at the district), `gridscore import-filing` on
// the district's server checks and keeps packages. The command line acts
// with the rights of the town's administrator, or of the district.

// ExportCommand is `gridscore export filing`.
type ExportCommand struct {
	m *Main
	storeFlags
	schemeFlag
	town, quarter, out string
}

// Run parses the arguments and writes the package.
func (c *ExportCommand) Run(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "filing" {
		return usageError{"用法：gridscore export filing --town 镇街 --quarter 2023Q3 [--out 文件]"}
	}
	fs := newFlagSet(c.m, "export filing", "gridscore export filing --town 镇街 --quarter 2023Q3 [--out 文件]")
	c.storeFlags.registerExisting(fs, c.m)
	c.schemeFlag.register(fs, c.m)
	fs.StringVar(&c.town, "town", c.m.Getenv("GRIDSCORE_TOWN"), "镇街名称（必填；环境变量 GRIDSCORE_TOWN）")
	fs.StringVar(&c.quarter, "quarter", "", "已定稿的季度，如 2023Q3（必填）")
	fs.StringVar(&c.out, "out", "", "报备包文件（默认“镇街 季度 报备包.zip”，在当前文件夹）")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if c.town == "" || c.quarter == "" {
		return usageError{"请用 --town 和 --quarter 指定镇街和季度，如 --town 青山镇 --quarter 2023Q3"}
	}
	q, err := gs.ParseQuarter(c.quarter)
	if err != nil {
		return usageError{gs.ErrorMessage(err)}
	}
	svc, db, err := service(ctx, &c.storeFlags, &c.schemeFlag)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	admin := &gs.User{Username: app.ActorCommandLine, Role: gs.RoleTownAdmin, Town: c.town}
	pkg, name, err := svc.FilingPackage(ctx, admin, c.town, q)
	if err != nil {
		return err
	}
	if c.out == "" {
		c.out = name
	}
	if err := writeBytes(c.out, pkg); err != nil {
		return err
	}
	key, err := svc.TownPublicKey(ctx, admin, c.town)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已写入报备包 %s（%d 字节），已用%s的密钥签名。\n区中心须先登记本镇街的公钥（gridscore filing-key --town %s 显示）：\n%s\n", c.out, len(pkg), c.town, c.town, key)
	return nil
}

// FilingKeyCommand is `gridscore filing-key`: a town's public key, or, with
// --register, a town's key registered at the district.
type FilingKeyCommand struct {
	m *Main
	storeFlags
	town, key         string
	register, replace bool
}

// Run parses the arguments and shows or registers the key.
func (c *FilingKeyCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "filing-key", "gridscore filing-key --town 镇街 | gridscore filing-key --register --town 镇街 --key 公钥 [--replace]")
	c.storeFlags.register(fs, c.m)
	fs.StringVar(&c.town, "town", c.m.Getenv("GRIDSCORE_TOWN"), "镇街名称（必填）")
	fs.BoolVar(&c.register, "register", false, "区中心：登记该镇街的公钥（--key 给出镇街提供的公钥，或其文件名）")
	fs.StringVar(&c.key, "key", "", "镇街的公钥（gridscore-ed25519: 开头的一行）或存有公钥的文件")
	fs.BoolVar(&c.replace, "replace", false, "区中心：确认更换已导入过报备包的镇街的公钥（已导入的报备包仍按导入时的公钥核对）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.town == "" {
		return usageError{"请用 --town 指定镇街"}
	}
	svc, db, err := service(ctx, &c.storeFlags, &schemeFlag{})
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	if !c.register {
		key, err := svc.TownPublicKey(ctx, &gs.User{Username: app.ActorCommandLine, Role: gs.RoleTownAdmin, Town: c.town}, c.town)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.m.Stdout, key)
		return nil
	}
	text := c.key
	if b, err := os.ReadFile(c.key); err == nil {
		text = string(b)
	}
	fp, err := svc.RegisterFilingKey(ctx, &gs.User{Username: app.ActorCommandLine, Role: gs.RoleDistrict}, c.town, text, c.replace)
	if errors.Is(err, app.ErrFilingKeyReplace) {
		return gs.Errorf(gs.ECONFLICT, "%s确认更换请加上 --replace 再运行。", gs.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "已登记%s的公钥，指纹 %s（请与镇街核对）。\n", c.town, fp)
	return nil
}

// ImportFilingCommand is `gridscore import-filing`: the district checks
// towns' packages against their registered keys and keeps them.
type ImportFilingCommand struct {
	m *Main
	storeFlags
}

// Run imports each package named, saying on the standard error why each
// one refused was; it fails if any is (the others are kept), as a command
// given bad data fails, not as an internal error.
func (c *ImportFilingCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "import-filing", "gridscore import-filing [--db 文件 | --dsn URL] 报备包.zip...")
	c.storeFlags.register(fs, c.m)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"请给出要导入的报备包文件"}
	}
	svc, db, err := service(ctx, &c.storeFlags, &schemeFlag{})
	if err != nil {
		return err
	}
	defer db.Close()
	ctx = app.WithActor(ctx, app.ActorCommandLine)
	district := &gs.User{Username: app.ActorCommandLine, Role: gs.RoleDistrict}
	refused := 0
	for _, path := range fs.Args() {
		data, err := os.ReadFile(path)
		if err != nil {
			err = gs.Errorf(gs.EINVALID, "无法读取文件：%v", err)
		} else {
			var f *gs.ImportedFiling
			if f, err = svc.ImportFiling(ctx, district, data); err == nil {
				fmt.Fprintf(c.m.Stdout, "%s：已导入%s %s 的报备包（网格员 %d 名，参加考核 %d 名，平均分 %s，绩效合计 %s 元）\n",
					path, f.Town, f.Quarter, f.Workers, f.Assessed, f.AverageTotal(), f.PaySum)
				continue
			}
		}
		refused++
		// A package's name is shown, not obeyed.
		if gs.ErrorCode(err) == gs.EINTERNAL {
			fmt.Fprintf(c.m.Stderr, "%s：系统出错，没有导入，可以稍后重新导入：%s（详细信息：%v）\n", report.TerminalText(path), gs.ErrorMessage(err), err)
			continue
		}
		fmt.Fprintf(c.m.Stderr, "%s：%s\n", report.TerminalText(path), report.TerminalText(gs.ErrorMessage(err)))
	}
	if refused > 0 {
		return gs.Errorf(gs.EINVALID, "%d 个报备包没有导入，原因见上。", refused)
	}
	return nil
}
