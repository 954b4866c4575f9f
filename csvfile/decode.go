package csvfile

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// The text of a CSV file is decoded as it is read, in one pass: the file is
// never held whole in memory nor read twice.
//
// The encoding is decided on the way. A file is read as UTF-8 while its
// bytes are valid UTF-8 (a UTF-8 byte order mark is dropped). The first
// chunk that is not valid UTF-8 switches the rest of the file to GB18030 if
// every byte before it was ASCII, which both encodings read alike; rows
// already read are then unaffected, so the result is the same as deciding
// from the whole file. Chunks are validated whole before any of their bytes
// is passed on, and the first chunk is large (firstChunk), so a GB18030
// file whose Chinese text starts in its first megabyte never yields a byte
// before the switch. Text that is neither UTF-8 nor GB18030 (or UTF-8 with
// invalid bytes after Chinese text) stops the reading with an
// *encodingError whose message is for people.

// Chunk sizes of the decoder: the first read decides most files' encoding.
const (
	firstChunk = 1 << 20
	nextChunk  = 1 << 16
)

// Messages of the decoder, as the person who prepared the file reads them.
const (
	msgBinary  = "不是 CSV 文本文件（含有二进制内容），请另存为 CSV（UTF-8 或 GB18030 编码）"
	msgZip     = "这是 ZIP 或 XLSX 文件而不是 CSV 文件；XLSX 工作簿的文件名应以 .xlsx 结尾"
	msgUTF16   = "文件是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为 CSV（UTF-8 或 GB18030 编码）"
	msgUnknown = "编码无法识别：既不是 UTF-8 也不是 GB18030，请另存为 CSV（UTF-8 或 GB18030 编码）"
)

// encodingError is a file whose bytes are not CSV text in an accepted
// encoding; its message is the whole problem.
type encodingError struct{ msg string }

func (e *encodingError) Error() string { return e.msg }

// decoder turns the raw bytes of a CSV file into UTF-8 text.
type decoder struct {
	raw     io.Reader
	buf     []byte // raw chunk being read
	out     []byte // validated text not yet returned
	carry   []byte // incomplete UTF-8 sequence at the end of the last chunk
	started bool
	ascii   bool      // every byte passed on so far is ASCII
	gb      io.Reader // the GB18030 decoder, once switched
	err     error     // sticky error, returned after out is drained
}

// newDecoder returns a reader of the text of the CSV file raw.
func newDecoder(raw io.Reader) *decoder {
	return &decoder{raw: raw, ascii: true}
}

// Read implements io.Reader.
func (d *decoder) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.gb != nil {
			return d.gb.Read(p)
		}
		if d.err != nil {
			return 0, d.err
		}
		d.fill()
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

// fill reads and validates the next raw chunk into out, or sets err, or
// switches to GB18030.
func (d *decoder) fill() {
	size := nextChunk
	if !d.started {
		size = firstChunk
	}
	if cap(d.buf) < len(d.carry)+size {
		d.buf = make([]byte, 0, len(d.carry)+size)
	}
	d.buf = append(d.buf[:0], d.carry...)
	n, err := io.ReadFull(d.raw, d.buf[len(d.buf):len(d.buf)+size])
	chunk := d.buf[:len(d.buf)+n]
	eof := err == io.EOF || err == io.ErrUnexpectedEOF
	if err != nil && !eof {
		d.err = err
		return
	}
	if !d.started {
		d.started = true
		switch {
		case bytes.HasPrefix(chunk, []byte("PK\x03\x04")):
			d.err = &encodingError{msgZip}
			return
		case bytes.HasPrefix(chunk, []byte("\xFF\xFE")), bytes.HasPrefix(chunk, []byte("\xFE\xFF")):
			d.err = &encodingError{msgUTF16}
			return
		case bytes.HasPrefix(chunk, []byte("\uFEFF")):
			chunk = chunk[3:]
			d.ascii = false // a BOM says UTF-8: never switch
		}
	}
	if bytes.IndexByte(chunk, 0) >= 0 {
		d.err = &encodingError{msgBinary}
		return
	}
	cut := len(chunk)
	if !eof {
		cut = completeUTF8(chunk)
	}
	if !utf8.Valid(chunk[:cut]) {
		if !d.ascii {
			d.err = &encodingError{msgUnknown}
			return
		}
		d.switchToGB(chunk, eof)
		return
	}
	if d.ascii && !isASCII(chunk[:cut]) {
		d.ascii = false
	}
	d.out = chunk[:cut]
	d.carry = append(d.carry[:0], chunk[cut:]...)
	if eof {
		d.err = io.EOF
	}
}

// switchToGB reads the rest of the file, starting with pending (bytes not
// yet passed on), as GB18030, checking that it is well-formed.
func (d *decoder) switchToGB(pending []byte, eof bool) {
	check := &gbReader{r: io.MultiReader(bytes.NewReader(bytes.Clone(pending)), d.raw)}
	if eof {
		check.r = bytes.NewReader(bytes.Clone(pending))
	}
	d.gb = transform.NewReader(check, simplifiedchinese.GB18030.NewDecoder())
	d.buf, d.carry = nil, nil
}

// isASCII reports whether b has no byte above 0x7F.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// gbReader passes bytes through, failing with an *encodingError at the
// first byte that is not well-formed GB18030, or at the end of a text that
// stops inside a character. The decoder after it would otherwise turn such
// bytes into U+FFFD silently.
type gbReader struct {
	r  io.Reader
	gb gbState
}

func (g *gbReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if bytes.IndexByte(p[:n], 0) >= 0 {
		return 0, &encodingError{msgBinary}
	}
	g.gb.feed(p[:n])
	if g.gb.bad || (errors.Is(err, io.EOF) && g.gb.state != 0) {
		return 0, &encodingError{msgUnknown}
	}
	return n, err
}
