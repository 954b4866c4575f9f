package csvfile_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridscore/gridscore/csvfile"
)

// BenchmarkReadEvents reads an events file of 100,000 rows.
func BenchmarkReadEvents(b *testing.B) {
	dir := b.TempDir()
	f, err := os.Create(filepath.Join(dir, "events.csv"))
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "事件编号,工号,办理方式,事件等级,事件类别,发生时间,上报时间,办结时限,办结时间,警告,录入不规范")
	for i := range 100_000 {
		fmt.Fprintf(w, "E%07d,W%03d,自办,一般,治安,2023-07-%02d 08:00:00,2023-07-%02d 09:15:00,2023-07-%02d 18:00,,,否\n",
			i, i%300, 1+i%28, 1+i%28, 1+i%28)
	}
	w.Flush()
	f.Close()
	b.ResetTimer()
	for b.Loop() {
		if _, err := csvfile.Read(dir); err != nil {
			b.Fatal(err)
		}
	}
}
