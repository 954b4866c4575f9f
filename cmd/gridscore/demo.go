package main

import "context"

// DemoCommand is `gridscore demo`: load demo data into the store or write it
// as DATA.md files.
type DemoCommand struct {
	m *Main
	storeFlags
}

// Run parses the arguments and generates the demo data.
func (c *DemoCommand) Run(ctx context.Context, args []string) error {
	return usageError{"尚未实现"}
}
