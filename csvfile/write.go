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
	bw := bufio.NewWriterSize(w, 1<<16)
	var out io.Writer = bw
	var gb io.WriteCloser
	switch enc {
	case UTF8:
		if _, err := bw.WriteString("\uFEFF"); err != nil {
			return err
		}
	case GB18030:
		gb = transform.NewWriter(bw, encoding.ReplaceUnsupported(simplifiedchinese.GB18030.NewEncoder()))
		out = gb
	default:
		return fmt.Errorf("csvfile: unknown encoding %d", enc)
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	cells := make([]string, len(k.cols))
	for i, c := range k.cols {
		cells[i] = c.zh
	}
	if err := cw.Write(cells); err != nil {
		return err
	}
	for i, n := 0, k.count(recs); i < n; i++ {
		clear(cells)
		k.format(recs, i, cells)
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if gb != nil {
		if err := gb.Close(); err != nil {
			return err
		}
	}
	return bw.Flush()
}
