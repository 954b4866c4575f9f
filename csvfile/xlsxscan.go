package csvfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// partScan reads one XML part of a workbook as a stream of bytes, without
// decoding it, to bound what an XML decoder would hold at once: every tag,
// comment and declaration (maxMarkup), every run of text outside a cell
// (maxTextRun), and the text of every cell or shared string
// (maxCellChars, an entity such as &amp; counting as one character). In a
// worksheet it also counts the rows (maxSheetRows) and the cells of a row
// (maxRowCells), in the shared strings the strings (maxSharedStrings).
//
// It is a lexer, not a parser: it knows tags, end tags, comments, CDATA,
// processing instructions and quoted attribute values, which is all it
// needs to find where every token an XML decoder reads begins and ends.
type partScan struct {
	part   string // the part's path in the zip
	sheet  string // the worksheet's name, "" when not known
	shared bool   // the part is the shared strings

	elements int // start tags read

	// The lexer: state, the markup being read (its first bytes kept in
	// head, its length in size), the quote open in a tag, the length of
	// the run of text, and of the entity reference being read.
	state lexState
	head  []byte
	size  int
	prev  [2]byte // the last two bytes of the markup
	quote byte
	// brackets counts the "]" read at the end of CDATA (a "]]>" may come
	// in two reads).
	brackets int
	run      int
	entity   int

	// Rows, cells and strings.
	rows, rowNum, cells int
	inCell              bool
	cellRef             []byte
	chars               int
	strings             int
}

type lexState int

const (
	inText    lexState = iota
	inTag              // <…>, </…>
	inMarkup           // <!…> or <?…> until it is known which
	inDecl             // <!DOCTYPE …>
	inComment          // <!-- … -->
	inCDATA            // <![CDATA[ … ]]>
	inPI               // <? … ?>
)

// headLen is how much of a tag is kept to read its name and r attribute.
const headLen = 256

// scan reads the part f.
func (s *partScan) scan(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return &workbookError{msgNotWorkbook}
	}
	defer rc.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := rc.Read(buf)
		if n > 0 {
			if perr := s.feed(buf[:n]); perr != nil {
				return perr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return &workbookError{"工作簿已损坏，无法解压其中的 " + s.part + "：请在 Excel 或 WPS 中打开后重新保存"}
		}
	}
}

// feed reads the next bytes of the part.
func (s *partScan) feed(b []byte) error {
	for i := 0; i < len(b); {
		switch s.state {
		case inText:
			j := bytes.IndexByte(b[i:], '<')
			end := len(b)
			if j >= 0 {
				end = i + j
			}
			if err := s.text(b[i:end]); err != nil {
				return err
			}
			if j < 0 {
				return nil
			}
			i = end + 1
			s.state, s.head, s.size, s.prev, s.quote, s.run, s.entity = inTag, s.head[:0], 0, [2]byte{}, 0, 0, 0
		case inCDATA:
			// Rare in a workbook (Excel writes none): byte by byte, the
			// text counted once "]]>" is known not to end it.
			c := b[i]
			i++
			if err := s.cdata(c); err != nil {
				return err
			}
		case inTag:
			if s.size == 0 && (b[i] == '!' || b[i] == '?') {
				s.state = inMarkup // a comment, CDATA, declaration…: byte by byte
				continue
			}
			n, err := s.tagBytes(b[i:])
			if err != nil {
				return err
			}
			i += n
		default:
			c := b[i]
			i++
			if err := s.markup(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// cdata reads the next byte c of a CDATA section: its text, until "]]>".
func (s *partScan) cdata(c byte) error {
	switch {
	case c == ']' && s.brackets < 2:
		s.brackets++
		return nil
	case c == '>' && s.brackets == 2:
		s.state, s.run, s.brackets = inText, 0, 0
		return nil
	}
	pending := s.brackets
	s.brackets = 0
	if c == ']' { // a third "]": the first is text
		pending, s.brackets = 1, 2
	} else if err := s.text([]byte{c}); err != nil {
		return err
	}
	return s.text([]byte("]]")[:pending])
}

// tagBytes reads the next bytes b of a tag, up to its end, and returns how
// many it read.
func (s *partScan) tagBytes(b []byte) (int, error) {
	i := 0
	for i < len(b) {
		j := -1
		if s.quote != 0 {
			j = bytes.IndexByte(b[i:], s.quote)
		} else {
			for k, c := range b[i:] {
				if c == '>' || c == '"' || c == '\'' {
					j = k
					break
				}
			}
		}
		end := len(b)
		if j >= 0 {
			end = i + j + 1
		}
		s.markupBytes(b[i:end])
		if s.size > maxMarkup {
			return 0, s.refuse("有超过 %d KB 的标记", maxMarkup>>10)
		}
		i = end
		if j < 0 {
			break
		}
		switch c := b[end-1]; {
		case s.quote != 0:
			s.quote = 0
		case c == '>':
			s.state = inText
			return i, s.tag(s.prev[1] == '/')
		default:
			s.quote = c
		}
	}
	return i, nil
}

// markupBytes adds b to the markup read.
func (s *partScan) markupBytes(b []byte) {
	s.size += len(b)
	if room := headLen - len(s.head); room > 0 {
		s.head = append(s.head, b[:min(room, len(b))]...)
	}
	switch {
	case len(b) >= 2:
		s.prev[0], s.prev[1] = b[len(b)-1], b[len(b)-2]
	case len(b) == 1:
		s.prev[0], s.prev[1] = b[0], s.prev[0]
	}
}

// markup reads the next byte c of a comment, declaration or processing
// instruction (rare in a workbook: read byte by byte).
func (s *partScan) markup(c byte) error {
	s.size++
	if s.size > maxMarkup {
		return s.refuse("有超过 %d KB 的标记", maxMarkup>>10)
	}
	if len(s.head) < headLen {
		s.head = append(s.head, c)
	}
	prev1, prev2 := s.prev[0], s.prev[1]
	s.prev[0], s.prev[1] = c, prev1
	switch s.state {
	case inComment:
		if c == '>' && prev1 == '-' && prev2 == '-' && s.size >= 6 {
			s.state = inText
		}
		return nil
	case inPI:
		if c == '>' && prev1 == '?' {
			s.state = inText
		}
		return nil
	}
	// A declaration, or a markup not yet known.
	switch {
	case s.state == inMarkup && s.size == 1 && c == '?':
		s.state = inPI
		return nil
	case s.state == inMarkup && s.size == 3 && string(s.head) == "!--":
		s.state = inComment
		return nil
	case s.state == inMarkup && s.size == 8 && string(s.head) == "![CDATA[":
		s.state = inCDATA
		return nil
	case s.state == inMarkup && !strings.HasPrefix("![CDATA[", string(s.head)) && !strings.HasPrefix("!--", string(s.head)):
		s.state = inDecl
	}
	switch {
	case s.quote != 0:
		if c == s.quote {
			s.quote = 0
		}
	case c == '"' || c == '\'':
		s.quote = c
	case c == '>':
		s.state = inText
	}
	return nil
}

// tag reads a complete tag, head holding its start (without "<"); empty
// is set when it ends with "/>".
func (s *partScan) tag(empty bool) error {
	h := s.head
	if len(h) == 0 || h[0] == '!' {
		return nil // a declaration
	}
	end := h[0] == '/'
	if end {
		h = h[1:]
	}
	from, to := 0, len(h)
	for k, c := range h {
		if isSpace(c) || c == '/' || c == '>' {
			to = k
			break
		}
		if c == ':' {
			from = k + 1 // the local name
		}
	}
	name := h[from:to]
	if end {
		if string(name) == "c" || string(name) == "si" {
			s.inCell = false
		}
		return nil
	}
	s.elements++
	switch string(name) {
	case "row":
		if s.rows++; s.rows > maxSheetRows {
			return s.refuse("超过 %d 行（Excel 的行数上限）", maxSheetRows)
		}
		s.cells = 0
		if r := attr(h, 'r'); r != nil {
			s.rowNum = 0
			for _, d := range r {
				s.rowNum = 10*s.rowNum + int(d-'0')
			}
		} else {
			s.rowNum++
		}
	case "c":
		if s.cells++; s.cells > maxRowCells {
			return s.refuse("第 %d 行超过 %d 个单元格（Excel 的列数上限）", s.rowNum, maxRowCells)
		}
		s.cellRef = append(s.cellRef[:0], attr(h, 'r')...)
		s.inCell, s.chars = !empty, 0
	case "si":
		if s.strings++; s.strings > maxSharedStrings {
			return s.refuse("共享字符串超过 %d 个", maxSharedStrings)
		}
		s.inCell, s.chars = !empty, 0
	}
	return nil
}

// text reads a run of text (or of CDATA).
func (s *partScan) text(b []byte) error {
	if !s.inCell {
		if s.run += len(b); s.run > maxTextRun {
			return s.refuse("有超过 %d KB 的连续文字（不在单元格中）", maxTextRun>>10)
		}
		return nil
	}
	for _, c := range b {
		switch {
		case s.entity > 0:
			if c == ';' || s.entity > 32 {
				s.entity = 0
			} else {
				s.entity++
			}
			continue
		case c == '&':
			s.entity = 1
		case !utf8.RuneStart(c):
			continue
		}
		if s.chars++; s.chars > maxCellChars {
			return s.refuseCell()
		}
	}
	return nil
}

// refuseCell refuses a cell or a shared string over maxCellChars.
func (s *partScan) refuseCell() error {
	if s.shared {
		return s.refuse("有一段文字超过 %d 个字符（Excel 单元格的上限）", maxCellChars)
	}
	at := "第 " + strconv.Itoa(s.rowNum) + " 行"
	if len(s.cellRef) > 0 {
		at += "（单元格 " + string(s.cellRef) + "）"
	}
	return s.refuse("%s的内容超过 %d 个字符（Excel 单元格的上限）", at, maxCellChars)
}

// refuse refuses the workbook for what was found in this part.
func (s *partScan) refuse(format string, args ...any) error {
	where := "工作簿中的 " + s.part
	switch {
	case s.sheet != "":
		where = "工作表“" + s.sheet + "”"
	case s.shared:
		where = "工作簿（共享字符串）"
	}
	err := refuse(format, args...).(*workbookError)
	err.msg = where + err.msg + "：这不是正常的数据，工作簿没有读取"
	return err
}

// attr returns the value of the one-letter attribute name of the tag head
// (without "<"), if it is among the bytes kept: digits and letters only (a
// row number or a cell reference), else nil.
func attr(head []byte, name byte) []byte {
	for k := 1; k+3 < len(head); k++ {
		if head[k] != name || head[k+1] != '=' || !isSpace(head[k-1]) || (head[k+2] != '"' && head[k+2] != '\'') {
			continue
		}
		v := head[k+3:]
		for e, c := range v {
			if c == head[k+2] {
				return v[:e]
			}
			if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
				return nil
			}
		}
		return nil
	}
	return nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
