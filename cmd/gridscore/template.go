package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridscore/gridscore/csvfile"
)

// TemplateCommand is `gridscore template`: the import templates (an XLSX
// with the Chinese headers, a row explaining each column, drop-down lists
// and formatted cells; see csvfile.WriteTemplate).
type TemplateCommand struct {
	m        *Main
	out, dir string
}

// Run parses the arguments and writes the templates.
func (c *TemplateCommand) Run(ctx context.Context, args []string) error {
	fs := newFlagSet(c.m, "template", "gridscore template [--out 导入模板.xlsx | --dir 文件夹] [类别...]")
	fs.StringVar(&c.out, "out", "导入模板.xlsx", "写成一个工作簿，每类数据一个工作表")
	fs.StringVar(&c.dir, "dir", "", "改为每类数据写一个工作簿（如 事件.xlsx）放到此文件夹")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kinds := fs.Args() // English or Chinese names; none: every kind
	for _, k := range kinds {
		if err := csvfile.WriteTemplate(io.Discard, k); err != nil {
			return usageError{err.Error()}
		}
	}
	if c.dir == "" {
		if err := writeFile(c.out, func(w io.Writer) error { return csvfile.WriteTemplate(w, kinds...) }); err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stdout, "已写入导入模板 %s\n", c.out)
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o777); err != nil {
		return fmt.Errorf("无法创建文件夹 %s：%w", c.dir, err)
	}
	if len(kinds) == 0 {
		for _, k := range csvfile.TemplateKinds() {
			kinds = append(kinds, k.Name)
		}
	}
	for _, k := range kinds {
		path := filepath.Join(c.dir, csvfile.TemplateFileName(k))
		if err := writeFile(path, func(w io.Writer) error { return csvfile.WriteTemplate(w, k) }); err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stdout, "已写入导入模板 %s\n", path)
	}
	return nil
}
