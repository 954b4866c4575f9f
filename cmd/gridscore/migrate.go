package main

import (
	"context"
	"fmt"

	"github.com/gridscore/gridscore/store"
)

// MigrateCommand is `gridscore migrate`: bring a store's schema up to date.
type MigrateCommand struct {
	m *Main
	storeFlags
}

// Run parses the arguments and migrates.
func (c *MigrateCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "migrate", "gridscore migrate [--db 文件 | --dsn URL]")
	c.storeFlags.register(fs, c.m)
	if err := fs.Parse(args); err != nil {
		return err
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
	current, err := db.SchemaCurrent(ctx)
	if err != nil {
		return err
	}
	if current {
		fmt.Fprintln(c.m.Stdout, "数据库表结构已是最新版本，无需升级。")
		return nil
	}
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintln(c.m.Stdout, "数据库表结构已升级到最新版本。")
	return nil
}
