package report_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/xuri/excelize/v2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/report"
)

// TestPaySheetRanksAreWholeNumbers: the pay sheet shows a rank as 1, not
// 1.00, while the total and the pay keep their two decimals.
func TestPaySheetRanksAreWholeNumbers(t *testing.T) {
	t.Parallel()
	res := sample()
	second, rank := gs.Points(8000), 2
	res.Workers[1].Eligible, res.Workers[1].Total, res.Workers[1].Rank, res.Workers[1].Reason = true, &second, &rank, ""
	x := openBook(t, func(w io.Writer) error { return report.WritePaySheet(w, "XX镇", "已定稿", res) })
	for cell, want := range map[string]string{"H3": "1", "H4": "2", "G3": "87.50", "I3": "525.00", "A3": "1"} {
		if got, _ := x.GetCellValue("工资表", cell); got != want {
			t.Errorf("工资表!%s shows %q, want %q", cell, got, want)
		}
	}
}

// openBook is the workbook write writes, closed when the test ends.
func openBook(t *testing.T, write func(io.Writer) error) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}
