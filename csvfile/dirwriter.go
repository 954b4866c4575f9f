package csvfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gridscore/gridscore"
)

// DirWriter writes import files into a folder piece by piece, so that a
// generator can produce a province without holding it in memory: each Append
// adds its records to the end of <kind>.csv, in the format of WriteCSV. A
// kind's file is created (replacing any file of that name) by the first
// Append that has records of the kind; kinds never appended get no file.
// Nothing is guaranteed to be on disk before Close. A DirWriter is not safe
// for concurrent use.
type DirWriter struct {
	dir    string
	enc    Encoding
	files  []*dirFile // per kind id, nil until the kind's first record
	closed bool
}

// dirFile is one open file of a DirWriter.
type dirFile struct {
	f  *os.File
	kw *kindWriter
}

// NewDirWriter returns a DirWriter into dir (created if needed) writing in
// enc.
func NewDirWriter(dir string, enc Encoding) (*DirWriter, error) {
	if enc != UTF8 && enc != GB18030 {
		return nil, fmt.Errorf("csvfile: unknown encoding %d", enc)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &DirWriter{dir: dir, enc: enc, files: make([]*dirFile, len(kinds))}, nil
}

// Append writes every record of recs to the end of its kind's file, creating
// the file with its header on the kind's first record.
func (w *DirWriter) Append(recs *gridscore.Records) error {
	if w.closed {
		return errors.New("csvfile: Append on a closed DirWriter")
	}
	for _, k := range kinds {
		if k.count(recs) == 0 {
			continue
		}
		df := w.files[k.id]
		if df == nil {
			path := filepath.Join(w.dir, k.name+".csv")
			f, err := os.Create(path)
			if err != nil {
				return err
			}
			kw, err := newKindWriter(f, k, w.enc)
			if err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
			df = &dirFile{f: f, kw: kw}
			w.files[k.id] = df
		}
		if err := df.kw.write(recs); err != nil {
			return fmt.Errorf("%s: %w", df.f.Name(), err)
		}
	}
	return nil
}

// Close flushes and closes every file, returning the first error; the
// files are complete only if it returns nil.
func (w *DirWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var first error
	for _, df := range w.files {
		if df == nil {
			continue
		}
		err := df.kw.finish()
		if cerr := df.f.Close(); err == nil {
			err = cerr
		}
		if err != nil && first == nil {
			first = fmt.Errorf("%s: %w", df.f.Name(), err)
		}
	}
	return first
}
