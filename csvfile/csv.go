package csvfile

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// addCSV reads one CSV file named label from data.
func (l *Loader) addCSV(label string, data io.ReadSeeker) {
	b := l.b
	k := b.kindOf(label, strings.TrimSuffix(label, filepath.Ext(label)))
	if k == nil {
		return
	}
	enc, msg := sniff(data)
	if msg != "" {
		b.fileProblem(label, 0, "", msg)
		return
	}
	if _, err := data.Seek(0, io.SeekStart); err != nil {
		b.fileProblem(label, 0, "", "无法读取："+err.Error())
		return
	}
	var text io.Reader
	if enc == encUTF8 {
		br := bufio.NewReaderSize(data, 1<<16)
		if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
			br.Discard(3)
		}
		text = br
	} else {
		text = transform.NewReader(bufio.NewReaderSize(data, 1<<16), simplifiedchinese.GB18030.NewDecoder())
	}
	b.readCSV(&source{label: label, kind: k}, text)
}

// readCSV reads the header and the rows of a CSV text.
//
// Rows are numbered as a spreadsheet shows them: the header is row 1, a
// quoted value spanning several lines is one row, and a blank line (which
// encoding/csv skips) still counts as a row. The row of each record is found
// from the line its first field starts on and the line the previous record
// ended on.
func (b *builder) readCSV(src *source, text io.Reader) {
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var (
		row     int // spreadsheet row of the last record
		endLine int // line the last record ended on
		header  = true
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
			b.fileProblem(src.label, row, "", "CSV 格式错误："+csvMessage(perr))
			if header {
				return
			}
			continue
		} else if err != nil {
			b.fileProblem(src.label, 0, "", "读取失败："+err.Error())
			return
		}
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
	}
	if header {
		b.fileProblem(src.label, 0, "", "文件为空：第 1 行应为表头")
	}
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

// textEncoding is the text encoding of a CSV file being read.
type textEncoding int

const (
	encUTF8 textEncoding = iota
	encGB18030
)

// sniff reads data to the end and decides its encoding: UTF-8 if it is valid
// UTF-8, otherwise GB18030 if it is valid GB18030. Anything else, and
// anything with a NUL byte, is not a CSV text file; the message says so,
// naming the likely cause.
func sniff(data io.Reader) (textEncoding, string) {
	buf := make([]byte, 1<<16)
	var (
		carry      []byte // incomplete UTF-8 sequence at the end of the previous chunk
		utf8OK     = true
		gb         gbState
		first      = true
		binaryText = "不是 CSV 文本文件（含有二进制内容），请另存为 CSV（UTF-8 或 GB18030 编码）"
	)
	for {
		n, err := io.ReadFull(data, buf)
		chunk := buf[:n]
		if first && n > 0 {
			first = false
			switch {
			case hasPrefix(chunk, "PK\x03\x04"):
				return 0, "这是 ZIP 或 XLSX 文件而不是 CSV 文件；XLSX 工作簿的文件名应以 .xlsx 结尾"
			case hasPrefix(chunk, "\xFF\xFE"), hasPrefix(chunk, "\xFE\xFF"):
				return 0, "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 CSV（UTF-8 或 GB18030 编码）"
			}
		}
		if hasNUL(chunk) {
			return 0, binaryText
		}
		if utf8OK {
			whole := append(carry, chunk...)
			cut := completeUTF8(whole)
			utf8OK = utf8.Valid(whole[:cut])
			carry = append(carry[:0:0], whole[cut:]...)
		}
		gb.feed(chunk)
		if !utf8OK && gb.bad {
			return 0, "编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return 0, "读取失败：" + err.Error()
		}
	}
	switch {
	case utf8OK && len(carry) == 0:
		return encUTF8, ""
	case !gb.bad && gb.state == 0:
		return encGB18030, ""
	}
	return 0, "编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"
}

// hasNUL reports whether b contains a zero byte, which no text file has.
func hasNUL(b []byte) bool {
	for _, c := range b {
		if c == 0 {
			return true
		}
	}
	return false
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
