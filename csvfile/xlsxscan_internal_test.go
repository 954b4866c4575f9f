package csvfile

import (
	"strings"
	"testing"
)

// BenchmarkPartScan measures partScan on rows as Excel writes them (shared
// strings, a date, an inline string): go test -run XXX -bench PartScan
// ./csvfile/.
func BenchmarkPartScan(b *testing.B) {
	row := `<row r="123456" spans="1:11"><c r="A123456" t="s"><v>123456</v></c><c r="B123456" t="s"><v>12</v></c><c r="C123456" t="s"><v>3</v></c><c r="D123456" s="2"><v>45123.375</v></c><c r="E123456" t="inlineStr"><is><t>治安巡查发现的问题</t></is></c></row>`
	buf := []byte(strings.Repeat(row, (64<<10)/len(row)))
	s := &partScan{part: "xl/worksheets/sheet1.xml"}
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		s.rows = 0
		if err := s.feed(buf); err != nil {
			b.Fatal(err)
		}
	}
}

// The scanner finds the row numbers and cell references a message names,
// in any order of attributes, and ignores a cell reference it cannot read.
func TestAttr(t *testing.T) {
	for _, tc := range []struct{ head, want string }{
		{`c r="B7" t="s">`, "B7"},
		{`c t="s" r='AA12'>`, "AA12"},
		{`c s="1" xr="B7">`, ""},
		{`c r="B 7">`, ""},
		{`c>`, ""},
	} {
		if got := string(attr([]byte(tc.head), 'r')); got != tc.want {
			t.Errorf("attr(%q) = %q, want %q", tc.head, got, tc.want)
		}
	}
}

// However the part's bytes come in reads (a "]]>", a "-->" or a tag split
// between two), the scanner reads the same rows and cells.
func TestPartScanAcrossReads(t *testing.T) {
	part := `<?xml version="1.0"?><worksheet><!-- a <row> in a comment --><sheetData>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[a]]b]]]></t></is></c><c r="B2"/></row>` +
		`<row><c r="A3" x='>'><v>1</v></c></row></sheetData></worksheet>`
	for size := 1; size <= len(part); size++ {
		s := &partScan{part: "xl/worksheets/sheet1.xml"}
		for i := 0; i < len(part); i += size {
			if err := s.feed([]byte(part[i:min(i+size, len(part))])); err != nil {
				t.Fatalf("reads of %d bytes: %v", size, err)
			}
		}
		if s.state != inText || s.rows != 2 || s.rowNum != 3 || s.cells != 1 || s.elements != 10 {
			t.Fatalf("reads of %d bytes: state %d, %d rows, last %d, %d cells in it, %d elements", size, s.state, s.rows, s.rowNum, s.cells, s.elements)
		}
	}
	s := &partScan{}
	s.feed([]byte(`<c><is><t><![CDATA[a]]b]]]>`))
	if s.chars != len("a]]b]") {
		t.Errorf("the CDATA counts %d characters, want %d", s.chars, len("a]]b]"))
	}
}
