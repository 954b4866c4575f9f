package csvfile

import (
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// addCSV reads one CSV file named label from data.
func (l *Loader) addCSV(label string, data io.Reader) {
	b := l.b
	k := b.kindOf(label, strings.TrimSuffix(label, filepath.Ext(label)))
	if k == nil {
		return
	}
	b.readCSV(b.newSource(label, k), data, 0)
}

// readCSV reads the header and the rows of a CSV text.
//
// Rows are numbered as a spreadsheet shows them: the header is row 1, a
// quoted value spanning several lines is one row, and a blank line (which
// encoding/csv skips) still counts as a row. The row of each record is found
// from the line its first field starts on and the line the previous record
// ended on.
//
// size is the size of the file in bytes when known (else 0), which lets a
// streaming read size its duplicate-key table from the first rows.
func (b *builder) readCSV(src *source, data io.Reader, size int64) {
	b.start(src)
	defer b.endTitle(src) // a short mapped file: its header is among its rows
	text := &recordLimit{r: newDecoder(data)}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var (
		row     int // spreadsheet row of the last record
		endLine int // line the last record ended on
		header  = true
		sized   bool // the key table was sized (see presize)
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			row += 1 + max(0, perr.StartLine-endLine-1)
			endLine = perr.Line
			b.fileProblem(src.label, row, nil, "CSV 格式错误："+csvMessage(perr))
			if header {
				return
			}
			text.mark = cr.InputOffset()
			src.data++
			src.bad++
			if b.giveUp(src); src.gaveUp {
				return
			}
			continue
		} else if err != nil {
			var enc *encodingError
			if errors.Is(err, errRecordTooLong) {
				b.fileProblem(src.label, row+1, nil, msgRecordTooLong)
			} else if errors.As(err, &enc) {
				b.fileProblem(src.label, 0, nil, enc.msg)
			} else {
				b.fileProblem(src.label, 0, nil, "读取失败："+err.Error())
			}
			return
		}
		text.mark = cr.InputOffset()
		start, _ := cr.FieldPos(0)
		last, _ := cr.FieldPos(len(rec) - 1)
		row += 1 + max(0, start-endLine-1)
		endLine = last + strings.Count(rec[len(rec)-1], "\n")
		if header {
			header = false
			if !b.header(src, rec) {
				return
			}
			continue
		}
		b.row(src, row, rec)
		if b.stopped() || src.gaveUp {
			return
		}
		if !sized && src.valid >= presizeAfter && size > 0 {
			b.presize(src.kind, src.valid, cr.InputOffset(), size)
			sized = true
		}
	}
	if header {
		b.fileProblem(src.label, 0, nil, "文件为空：第 1 行应为表头")
	}
}

// maxRecordBytes bounds the text of one CSV row (a record, which quoted
// values may spread over several lines). encoding/csv holds a record whole
// while it reads it: without a bound, a value opened with a quote and
// never closed, or a file with no line breaks, would be held whole. A row
// of a long text (a category of a million characters, 3 MB) still gets
// to the rules of the record, whose message says which cell is too long.
const maxRecordBytes = 4 << 20

// msgRecordTooLong is the problem of a row beyond maxRecordBytes.
const msgRecordTooLong = "这一行超过 4 MB，没有再读下去：多半是某个值以双引号开头却缺少结束引号，使其后的内容都成了这个值；也可能文件不是每行一条记录的 CSV"

// errRecordTooLong is the error of reading a row beyond maxRecordBytes.
var errRecordTooLong = errors.New("csv record too long")

// recordLimit passes text through, failing once more than maxRecordBytes
// were read past mark, the end of the last record read (the CSV reader's
// read-ahead buffer, 4 KB, counts too).
type recordLimit struct {
	r    io.Reader
	n    int64 // bytes passed on
	mark int64
}

func (l *recordLimit) Read(p []byte) (int, error) {
	if l.n-l.mark > maxRecordBytes {
		return 0, errRecordTooLong
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	return n, err
}

// csvMessage words a CSV syntax error in Chinese.
func csvMessage(e *csv.ParseError) string {
	switch {
	case errors.Is(e.Err, csv.ErrBareQuote):
		return "未加引号的值中出现了双引号（含引号的值应整体用双引号括起，值中的引号写成两个）"
	case errors.Is(e.Err, csv.ErrQuote):
		return "引号不成对（以引号开头的值缺少结束引号，或结束引号后还有其他字符）"
	}
	return e.Err.Error()
}

// completeUTF8 returns the length of b without a trailing incomplete (but
// so far possibly valid) UTF-8 sequence, which the next chunk may complete.
func completeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return len(b)
}

// gbState checks that a byte stream is well-formed GB18030: single bytes
// 00–7F, two bytes 81–FE + 40–7E/80–FE, four bytes 81–FE 30–39 81–FE 30–39.
type gbState struct {
	state int // bytes of the current multi-byte sequence seen so far
	bad   bool
}

func (g *gbState) feed(b []byte) {
	for _, c := range b {
		if g.bad {
			return
		}
		switch g.state {
		case 0:
			switch {
			case c < 0x80:
			case c >= 0x81 && c <= 0xFE:
				g.state = 1
			default:
				g.bad = true
			}
		case 1:
			switch {
			case c >= 0x30 && c <= 0x39:
				g.state = 2
			case c >= 0x40 && c <= 0xFE && c != 0x7F:
				g.state = 0
			default:
				g.bad = true
			}
		case 2:
			if c >= 0x81 && c <= 0xFE {
				g.state = 3
			} else {
				g.bad = true
			}
		case 3:
			if c >= 0x30 && c <= 0x39 {
				g.state = 0
			} else {
				g.bad = true
			}
		}
	}
}
