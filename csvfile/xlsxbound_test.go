package csvfile_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridscore/gridscore/csvfile"
	"github.com/xuri/excelize/v2"
)

// The parts of a minimal workbook with one sheet, 事件, whose XML the
// tests write.
const (
	handTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	handRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	handBookXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="事件" sheetId="1" r:id="rId1"/></sheets></workbook>`
	handBookRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	sheetStart = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetEnd    = `</sheetData></worksheet>`
	eventHeader = `<row r="1"><c r="A1" t="inlineStr"><is><t>event_id</t></is></c><c r="B1" t="inlineStr"><is><t>worker_id</t></is></c><c r="C1" t="inlineStr"><is><t>flow</t></is></c><c r="D1" t="inlineStr"><is><t>reported_at</t></is></c></row>`
)

// handBook writes a workbook of one sheet, 事件, whose data rows (the XML
// inside sheetData after the header) rows writes, and the parts of extra
// (path → writer), and returns its path.
func handBook(tb testing.TB, rows func(io.Writer), extra map[string]func(io.Writer)) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "book.xlsx")
	out, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	text := func(s string) func(io.Writer) { return func(w io.Writer) { io.WriteString(w, s) } }
	parts := []struct {
		name  string
		write func(io.Writer)
	}{
		{"[Content_Types].xml", text(handTypes)},
		{"_rels/.rels", text(handRels)},
		{"xl/workbook.xml", text(handBookXML)},
		{"xl/_rels/workbook.xml.rels", text(handBookRels)},
		{"xl/worksheets/sheet1.xml", func(w io.Writer) {
			io.WriteString(w, sheetStart+eventHeader)
			rows(w)
			io.WriteString(w, sheetEnd)
		}},
	}
	for name, write := range extra {
		parts = append(parts, struct {
			name  string
			write func(io.Writer)
		}{name, write})
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			tb.Fatal(err)
		}
		p.write(w)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

// rebuildBook rewrites the workbook at path: its parts are copied but the
// sheet's, which sheet writes instead (raw, as it likes), and then more
// adds parts.
func rebuildBook(tb testing.TB, path string, sheet func(zw *zip.Writer, name string), more func(zw *zip.Writer)) {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" && sheet != nil {
			sheet(zw, f.Name)
		} else if err := zw.Copy(f); err != nil {
			tb.Fatal(err)
		}
	}
	if more != nil {
		more(zw)
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// rawPart adds a part named name holding the deflated bytes, whose
// entry says it unzips to size bytes.
func rawPart(tb testing.TB, zw *zip.Writer, name string, deflated []byte, size uint64) {
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CompressedSize64: uint64(len(deflated)),
		UncompressedSize64: size, CRC32: crc32.ChecksumIEEE(nil)})
	if err != nil {
		tb.Fatal(err)
	}
	w.Write(deflated)
}

// repeat writes s n times to w.
func repeat(w io.Writer, s string, n int) {
	chunk := strings.Repeat(s, max(1, (64<<10)/len(s)))
	per := len(chunk) / len(s)
	for ; n >= per; n -= per {
		io.WriteString(w, chunk)
	}
	io.WriteString(w, strings.Repeat(s, n))
}

// workbookProblem scans the workbook at path and returns its one problem,
// failing the test for anything else, with how far the heap grew.
func workbookProblem(tb testing.TB, path string) (string, uint64) {
	tb.Helper()
	var rep *csvfile.Report
	grew := peakHeapGrowth(func() { rep = scanReport(tb, path) })
	if len(rep.Problems) != 1 || rep.Total() != 1 {
		tb.Fatalf("problems %v, want one", rep.Problems)
	}
	return rep.Problems[0].String(), grew
}

// A hand-made workbook is read like one Excel saved (the tests below rely
// on it).
func TestHandMadeWorkbookIsRead(t *testing.T) {
	path := handBook(t, func(w io.Writer) {
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c><c r="B2" t="inlineStr"><is><t>W1</t></is></c><c r="C2" t="inlineStr"><is><t>转交</t></is></c><c r="D2" t="inlineStr"><is><t>2023-07-05 09:00</t></is></c></row>`)
	}, nil)
	got, _ := workbookProblem(t, path)
	if want := `book.xlsx[事件]:2: 办理方式（flow）: 无法识别的值 "转交"`; !strings.HasPrefix(got, want) {
		t.Errorf("problem %q, want %q…", got, want)
	}
}

// Comments, CDATA, processing instructions and quoted ">" are read as
// XML has them: a cell's text in CDATA, and markup in a comment or an
// attribute, are not taken for cells or rows.
func TestWorkbookScanKnowsXML(t *testing.T) {
	path := handBook(t, func(w io.Writer) {
		io.WriteString(w, `<?gridscore test?><!-- <row><c><v>1</v></c></row> -->`)
		io.WriteString(w, `<row r="2" x="a>b"><c r="A2" t="inlineStr"><is><t>E1</t></is></c><c r="B2" t="inlineStr"><is><t><![CDATA[W<1>]]></t></is></c>`)
		io.WriteString(w, `<c r="C2" t="inlineStr"><is><t>转&#20132;</t></is></c><c r="D2" t="inlineStr"><is><t>2023-07-05 09:00</t></is></c></row>`)
	}, nil)
	got, _ := workbookProblem(t, path)
	if want := `book.xlsx[事件]:2: 办理方式（flow）: 无法识别的值 "转交"`; !strings.HasPrefix(got, want) {
		t.Errorf("problem %q, want %q…", got, want)
	}
}

// A workbook whose sheet claims to unzip to 4 GB is refused from the zip's
// directory, before a byte of the sheet is unzipped.
func TestWorkbookOfAHugeSheetIsRefused(t *testing.T) {
	path := handBook(t, func(io.Writer) {}, nil)
	rebuildBook(t, path, func(zw *zip.Writer, name string) {
		var deflated bytes.Buffer
		fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
		repeat(fw, "a", 4<<20) // the first 4 MB of the 4 GB it claims
		fw.Close()
		rawPart(t, zw, name, deflated.Bytes(), 4<<30)
	}, nil)
	start := time.Now()
	got, _ := workbookProblem(t, path)
	if want := "book.xlsx: 工作簿中的 xl/worksheets/sheet1.xml 解压后超过 1 GB：请拆分成几个工作簿，或改用 CSV 文件"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("refusing took %v: the sheet was read", d)
	}
}

// A zip bomb within the size bounds: one cell of 64 MB (64 KB zipped) is
// refused once its first 32,767 characters are read, naming the sheet and
// the cell, and so is one shared string of 64 MB.
func TestWorkbookOfAHugeCellIsRefused(t *testing.T) {
	const huge = 64 << 20
	path := handBook(t, func(w io.Writer) {
		io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c><c r="B2" t="inlineStr"><is><t>`)
		repeat(w, "工", huge/3)
		io.WriteString(w, `</t></is></c></row>`)
	}, nil)
	got, grew := workbookProblem(t, path)
	if want := "book.xlsx: 工作表“事件”第 2 行（单元格 B2）的内容超过 32767 个字符（Excel 单元格的上限）：这不是正常的数据，工作簿没有读取"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
	if grew > 16<<20 {
		t.Errorf("the heap grew by %d MB, want under 16 MB", grew>>20)
	}

	path = handBook(t, func(w io.Writer) {
		io.WriteString(w, `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`)
	}, map[string]func(io.Writer){"xl/sharedStrings.xml": func(w io.Writer) {
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
		repeat(w, "a&amp;", huge/5)
		io.WriteString(w, `</t></si></sst>`)
	}})
	got, grew = workbookProblem(t, path)
	if want := "book.xlsx: 工作簿（共享字符串）有一段文字超过 32767 个字符（Excel 单元格的上限）：这不是正常的数据，工作簿没有读取"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
	if grew > 16<<20 {
		t.Errorf("the heap grew by %d MB, want under 16 MB", grew>>20)
	}
}

// Other shapes of bomb: a tag of megabytes, megabytes of spaces between
// rows, more rows than Excel has, a row of more cells than Excel has,
// styles of millions of elements, a part that unzips to more than its zip
// entry says, and a zip of very many parts.
func TestWorkbookBombsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name  string
		rows  func(io.Writer)
		extra map[string]func(io.Writer)
		want  string
	}{
		{"a huge tag", func(w io.Writer) {
			io.WriteString(w, `<row r="2" x="`)
			repeat(w, "x", 8<<20)
			io.WriteString(w, `"/>`)
		}, nil, "book.xlsx: 工作表“事件”有超过 64 KB 的标记：这不是正常的数据，工作簿没有读取"},
		{"spaces between rows", func(w io.Writer) {
			repeat(w, " ", 8<<20)
		}, nil, "book.xlsx: 工作表“事件”有超过 256 KB 的连续文字（不在单元格中）：这不是正常的数据，工作簿没有读取"},
		{"a huge CDATA in a cell", func(w io.Writer) {
			io.WriteString(w, `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[`)
			repeat(w, "<x>", 1<<20)
			io.WriteString(w, `]]></t></is></c></row>`)
		}, nil, "book.xlsx: 工作表“事件”第 2 行（单元格 A2）的内容超过 32767 个字符（Excel 单元格的上限）：这不是正常的数据，工作簿没有读取"},
		{"a huge comment", func(w io.Writer) {
			io.WriteString(w, `<!--`)
			repeat(w, "<row>", 1<<20)
			io.WriteString(w, `-->`)
		}, nil, "book.xlsx: 工作表“事件”有超过 64 KB 的标记：这不是正常的数据，工作簿没有读取"},
		{"rows beyond Excel's", func(w io.Writer) {
			repeat(w, `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 1_048_576)
		}, nil, "book.xlsx: 工作表“事件”超过 1048576 行（Excel 的行数上限）：这不是正常的数据，工作簿没有读取"},
		{"cells beyond Excel's", func(w io.Writer) {
			io.WriteString(w, `<row>`)
			repeat(w, `<c t="inlineStr"><is><t>x</t></is></c>`, 20_000)
			io.WriteString(w, `</row>`)
		}, nil, "book.xlsx: 工作表“事件”第 2 行超过 16384 个单元格（Excel 的列数上限）：这不是正常的数据，工作簿没有读取"},
		{"styles of a million elements", func(io.Writer) {}, map[string]func(io.Writer){"xl/styles.xml": func(w io.Writer) {
			io.WriteString(w, `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs>`)
			repeat(w, `<xf/>`, 1_000_000)
			io.WriteString(w, `</cellXfs></styleSheet>`)
		}}, "book.xlsx: 工作簿中的样式、公式等附加内容过多（超过 500000 个 XML 元素）：请把数据复制到新的工作簿（只粘贴数值）后再导入，或改用 CSV 文件"},
		{"an image of 32 MB", func(io.Writer) {}, map[string]func(io.Writer){"xl/media/image1.png": func(w io.Writer) {
			repeat(w, "\x00", 32<<20)
		}}, "book.xlsx: 工作簿中的 xl/media/image1.png 解压后超过 16 MB：工作簿中除数据外的内容（图片、样式等）过大，请把数据复制到新的工作簿后再导入，或改用 CSV 文件"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, grew := workbookProblem(t, handBook(t, tc.rows, tc.extra))
			if got != tc.want {
				t.Errorf("problem %q, want %q", got, tc.want)
			}
			if grew > 16<<20 {
				t.Errorf("the heap grew by %d MB, want under 16 MB", grew>>20)
			}
		})
	}
}

// A part that unzips to more than its entry says is caught by archive/zip
// as it is read: the sizes checked first can be trusted.
func TestWorkbookWhosePartLiesAboutItsSizeIsRefused(t *testing.T) {
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestSpeed)
	io.WriteString(fw, sheetStart+eventHeader)
	repeat(fw, `<row><c t="inlineStr"><is><t>x</t></is></c></row>`, 200_000)
	io.WriteString(fw, sheetEnd)
	fw.Close()
	path := handBook(t, func(io.Writer) {}, nil)
	rebuildBook(t, path, func(zw *zip.Writer, name string) { rawPart(t, zw, name, deflated.Bytes(), 1000) }, nil)
	got, _ := workbookProblem(t, path)
	if want := "book.xlsx: 工作簿已损坏，无法解压其中的 xl/worksheets/sheet1.xml：请在 Excel 或 WPS 中打开后重新保存"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
}

// A zip of 40,000 parts (a directory of some 2 MB, which archive/zip would
// list whole) is refused from the end of the zip.
func TestWorkbookOfManyPartsIsRefused(t *testing.T) {
	path := handBook(t, func(io.Writer) {}, nil)
	rebuildBook(t, path, nil, func(zw *zip.Writer) {
		for i := range 40_000 {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("xl/media/part%05d.bin", i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
	})
	got, _ := workbookProblem(t, path)
	if want := "book.xlsx: 工作簿结构异常：包含的部件过多（目录超过 1 MB），不是 Excel 或 WPS 保存的工作簿"; got != want {
		t.Errorf("problem %q, want %q", got, want)
	}
}

// A workbook of a million tiny bad rows (5 MB, written by excelize's
// StreamWriter) is read in bounded memory: its first 1,000 bad rows give
// the problems listed and the reason the reading stopped.
func TestWorkbookOfAMillionBadRows(t *testing.T) {
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"event_id", "worker_id", "flow", "reported_at"})
	row := []any{"x"}
	for i := 2; i <= 1_000_000; i++ {
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	f.SetSheetName("Sheet1", "events")
	path := filepath.Join(t.TempDir(), "events.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()

	gaveUpOnXRows(t, "events.xlsx[events]", path)
}

// A workbook refused is one problem of its file: an upload's other files
// are still checked.
func TestRefusedWorkbookBesideOtherFiles(t *testing.T) {
	book := handBook(t, func(w io.Writer) { repeat(w, " ", 1<<20) }, nil)
	dir := writeFiles(t, map[string]string{"grids.csv": "grid_code,grid_name,town\nG1,一,镇\nG1,二,镇\n"})
	_, err := csvfile.Read(book, dir)
	var rep *csvfile.Report
	if !errors.As(err, &rep) || len(rep.Problems) != 2 {
		t.Fatalf("Read = %v, want the workbook's problem and the grid's", err)
	}
}
