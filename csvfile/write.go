package csvfile

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gridscore/gridscore"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Encoding is the text encoding of written CSV files.
type Encoding int

const (
	// UTF8 is UTF-8 with a byte order mark, which Excel and WPS need to
	// recognise UTF-8.
	UTF8 Encoding = iota
	// GB18030 suits older Excel versions on Chinese Windows.
	GB18030
)

// WriteCSV writes every non-empty kind of recs into dir (created if needed)
// as <kind>.csv in UTF-8 with BOM, with Chinese headers and Chinese values,
// dates as 2006-01-02 and timestamps as 2006-01-02 15:04:05 in CST, so that
// people can open the files in Excel or WPS and Read gives back recs.
func WriteCSV(dir string, recs *gridscore.Records) error {
	return WriteCSVEncoded(dir, recs, UTF8)
}

// WriteCSVGB18030 is WriteCSV with the files encoded in GB18030.
func WriteCSVGB18030(dir string, recs *gridscore.Records) error {
	return WriteCSVEncoded(dir, recs, GB18030)
}

// WriteCSVEncoded is WriteCSV with the encoding chosen.
func WriteCSVEncoded(dir string, recs *gridscore.Records, enc Encoding) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, k := range kinds {
		if k.count(recs) == 0 {
			continue
		}
		if err := writeFile(filepath.Join(dir, k.name+".csv"), k, recs, enc); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, k *kind, recs *gridscore.Records, enc Encoding) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeKind(f, k, recs, enc); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// WriteKind writes the records of one kind (named in English or Chinese, as
// in DATA.md) to w as WriteCSV writes its file, for a download, say. It
// writes the header even when there are no records.
func WriteKind(w io.Writer, kindName string, recs *gridscore.Records, enc Encoding) error {
	k := lookupKind(kindName)
	if k == nil {
		return gridscore.Errorf(gridscore.EINVALID, "没有这种数据类别：%s", kindName)
	}
	return writeKind(w, k, recs, enc)
}

func writeKind(w io.Writer, k *kind, recs *gridscore.Records, enc Encoding) error {
	kw, err := newKindWriter(w, k, enc)
	if err != nil {
		return err
	}
	if err := kw.write(recs); err != nil {
		return err
	}
	return kw.finish()
}

// kindWriter writes the rows of one kind as CSV text in one encoding: the
// byte order mark (UTF-8) and the Chinese header when it is made, then the
// rows of each write.
type kindWriter struct {
	k     *kind
	bw    *bufio.Writer
	gb    io.WriteCloser // the GB18030 encoder between cw and bw, or nil
	cw    *csv.Writer
	cells []string
}

// newKindWriter starts the text of kind k on w: BOM (UTF-8 only) and header.
func newKindWriter(w io.Writer, k *kind, enc Encoding) (*kindWriter, error) {
	kw := &kindWriter{k: k, bw: bufio.NewWriterSize(w, 1<<16), cells: make([]string, len(k.cols))}
	var out io.Writer = kw.bw
	switch enc {
	case UTF8:
		if _, err := kw.bw.WriteString("\uFEFF"); err != nil {
			return nil, err
		}
	case GB18030:
		kw.gb = transform.NewWriter(kw.bw, encoding.ReplaceUnsupported(simplifiedchinese.GB18030.NewEncoder()))
		out = kw.gb
	default:
		return nil, fmt.Errorf("csvfile: unknown encoding %d", enc)
	}
	kw.cw = csv.NewWriter(out)
	kw.cw.UseCRLF = true
	for i, c := range k.cols {
		kw.cells[i] = c.zh
	}
	if err := kw.cw.Write(kw.cells); err != nil {
		return nil, err
	}
	return kw, nil
}

// write appends a row for every record of the kind in recs.
func (kw *kindWriter) write(recs *gridscore.Records) error {
	for i, n := 0, kw.k.count(recs); i < n; i++ {
		clear(kw.cells)
		kw.k.format(recs, i, kw.cells)
		if err := kw.cw.Write(kw.cells); err != nil {
			return err
		}
	}
	return nil
}

// finish flushes everything written to the underlying writer.
func (kw *kindWriter) finish() error {
	kw.cw.Flush()
	if err := kw.cw.Error(); err != nil {
		return err
	}
	if kw.gb != nil {
		if err := kw.gb.Close(); err != nil {
			return err
		}
	}
	return kw.bw.Flush()
}
