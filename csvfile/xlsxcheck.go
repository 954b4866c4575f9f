package csvfile

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// A workbook is a zip of XML parts, and a few kilobytes of zip can unzip
// to gigabytes: a 4 MB workbook whose sheet was one 4 GB cell took the
// command line past 8 GB and the server past 6 GB. Before excelize opens a
// workbook, checkWorkbook reads its zip directory and then every XML part
// as a stream (a 64 KB buffer) and refuses, with a message for the person
// who sent it, a workbook beyond the bounds below. What excelize then holds
// is bounded: parts it keeps in memory are small and few, the large
// worksheets and shared strings go to temporary files (xlsxXMLInMemory),
// and every token its XML decoder reads (a tag, a run of text, a cell) is
// short.
//
// The bounds are far beyond what Excel or WPS write for data: Excel's own
// limits are 1,048,576 rows, 16,384 columns and 32,767 characters a cell.
const (
	// maxZipDirectory bounds the zip's directory: each entry costs some
	// 300 bytes of memory once listed. 1 MB is over 10,000 parts; a
	// workbook has a few dozen.
	maxZipDirectory = 1 << 20
	// maxUnzipped bounds the parts of a workbook together, unzipped.
	maxUnzipped = 2 << 30
	// maxSheetPart bounds one worksheet or the shared strings, unzipped
	// (a full sheet of Excel's 1,048,576 rows of a dozen columns is some
	// 600 MB).
	maxSheetPart = 1 << 30
	// xlsxXMLInMemory is the size from which excelize puts a worksheet or
	// the shared strings in a temporary file instead of memory
	// (excelize's UnzipXMLSizeLimit).
	xlsxXMLInMemory = 1 << 20
	// maxMemoryPart bounds any other part (workbook, styles, images…),
	// which excelize keeps in memory, and maxMemoryParts all of them.
	maxMemoryPart  = 16 << 20
	maxMemoryParts = 64 << 20
	// maxMemoryElements bounds the XML elements of the parts kept in
	// memory: excelize decodes some (the styles) into structs of over 100
	// bytes an element of 5 bytes, such as <xf/>.
	maxMemoryElements = 500_000
	// maxSheetRows, maxRowCells and maxCellChars are Excel's limits.
	maxSheetRows = 1_048_576
	maxRowCells  = 16_384
	maxCellChars = 32_767
	// maxSharedStrings bounds the shared strings: excelize keeps two
	// offsets (about 40 bytes) of each in memory.
	maxSharedStrings = 2_000_000
	// maxMarkup bounds one tag, comment or declaration, and maxTextRun
	// one run of text outside a cell, in bytes.
	maxMarkup  = 64 << 10
	maxTextRun = 256 << 10
)

// workbookError is a workbook refused before it is read; its message is
// the whole problem.
type workbookError struct{ msg string }

func (e *workbookError) Error() string { return e.msg }

func refuse(format string, args ...any) error {
	return &workbookError{msg: fmt.Sprintf(format, args...)}
}

// msgNotWorkbook is the problem of a file that is no zip.
const msgNotWorkbook = "不是有效的 XLSX 工作簿（文件损坏，或是旧版 .xls 改了扩展名）"

// checkWorkbook checks the workbook r of size bytes against the bounds
// above, reading each part as a stream. It returns nil, a *workbookError
// saying what is wrong, or another error of reading.
func checkWorkbook(r io.ReaderAt, size int64) error {
	if err := checkZipDirectory(r, size); err != nil {
		return err
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return &workbookError{msgNotWorkbook}
	}
	var total, inMemory uint64
	for _, f := range zr.File {
		n := f.UncompressedSize64
		switch {
		case sheetPart(f.Name):
			if n > maxSheetPart {
				return refuse("工作簿中的 %s 解压后超过 %d GB：请拆分成几个工作簿，或改用 CSV 文件", f.Name, maxSheetPart>>30)
			}
			if total += n; total > maxUnzipped {
				return refuse("工作簿解压后超过 %d GB：请拆分成几个工作簿，或改用 CSV 文件", maxUnzipped>>30)
			}
			if n > xlsxXMLInMemory {
				continue
			}
		case n > maxMemoryPart:
			return refuse("工作簿中的 %s 解压后超过 %d MB：工作簿中除数据外的内容（图片、样式等）过大，请把数据复制到新的工作簿后再导入，或改用 CSV 文件", f.Name, maxMemoryPart>>20)
		}
		if inMemory += n; inMemory > maxMemoryParts {
			return refuse("工作簿中除大的工作表外的内容解压后合计超过 %d MB：请把数据复制到新的工作簿后再导入，或改用 CSV 文件", maxMemoryParts>>20)
		}
	}
	names := sheetNames(zr)
	elements := 0
	for _, f := range zr.File {
		if !xmlPart(f.Name) {
			continue
		}
		s := &partScan{part: f.Name, sheet: names[f.Name], shared: strings.EqualFold(f.Name, "xl/sharedStrings.xml")}
		if err := s.scan(f); err != nil {
			return err
		}
		if !sheetPart(f.Name) || f.UncompressedSize64 <= xlsxXMLInMemory {
			if elements += s.elements; elements > maxMemoryElements {
				return refuse("工作簿中的样式、公式等附加内容过多（超过 %d 个 XML 元素）：请把数据复制到新的工作簿（只粘贴数值）后再导入，或改用 CSV 文件", maxMemoryElements)
			}
		}
	}
	return nil
}

// sheetPart reports whether excelize may put the part named name in a
// temporary file: a worksheet or the shared strings.
func sheetPart(name string) bool {
	n := strings.ToLower(name)
	return strings.HasPrefix(n, "xl/worksheets/sheet") || n == "xl/sharedstrings.xml"
}

// xmlPart reports whether the part named name is XML that excelize may
// read.
func xmlPart(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".xml") || strings.HasSuffix(n, ".rels")
}

// checkZipDirectory reads the end of the zip to find the size of its
// directory, which archive/zip lists whole, refusing one over
// maxZipDirectory.
func checkZipDirectory(r io.ReaderAt, size int64) error {
	const endLen = 22 // end of central directory record, without comment
	if size < endLen {
		return &workbookError{msgNotWorkbook}
	}
	tail := make([]byte, min(size, endLen+65535))
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	at := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if at < 0 || len(tail)-at < endLen {
		return &workbookError{msgNotWorkbook}
	}
	dir := uint64(binary.LittleEndian.Uint32(tail[at+12:]))
	if dir == 0xFFFFFFFF && at >= 20 && bytes.HasPrefix(tail[at-20:], []byte("PK\x06\x07")) {
		// Zip64: the locator before the record gives the Zip64 record,
		// whose directory size is at offset 40.
		var rec [48]byte
		off := int64(binary.LittleEndian.Uint64(tail[at-20+8:]))
		if off < 0 || off > size-int64(len(rec)) {
			return &workbookError{msgNotWorkbook}
		}
		if _, err := r.ReadAt(rec[:], off); err != nil {
			return err
		}
		dir = binary.LittleEndian.Uint64(rec[40:])
	}
	if dir > maxZipDirectory {
		return refuse("工作簿结构异常：包含的部件过多（目录超过 %d MB），不是 Excel 或 WPS 保存的工作簿", maxZipDirectory>>20)
	}
	return nil
}

// sheetNames maps the parts of the worksheets to the sheets' names, as far
// as the workbook says (for messages; a part not found is named by its
// path).
func sheetNames(zr *zip.Reader) map[string]string {
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[f.Name] = f
	}
	book := "xl/workbook.xml"
	for _, rel := range relations(parts["_rels/.rels"]) {
		if strings.HasSuffix(rel.typ, "/officeDocument") {
			book = strings.TrimPrefix(rel.target, "/")
		}
	}
	dir := path.Dir(book)
	targets := map[string]string{}
	for _, rel := range relations(parts[path.Join(dir, "_rels", path.Base(book)+".rels")]) {
		t := path.Join(dir, rel.target)
		if strings.HasPrefix(rel.target, "/") {
			t = path.Clean(strings.TrimPrefix(rel.target, "/"))
		}
		targets[rel.id] = t
	}
	names := map[string]string{}
	eachElement(parts[book], func(e xml.StartElement) {
		if e.Name.Local != "sheet" {
			return
		}
		var name, id string
		for _, a := range e.Attr {
			switch {
			case a.Name.Local == "name":
				name = a.Value
			case a.Name.Local == "id" && a.Name.Space != "":
				id = a.Value
			}
		}
		if t, ok := targets[id]; ok && name != "" {
			names[t] = name
		}
	})
	return names
}

// relation is one relationship of a .rels part.
type relation struct{ id, typ, target string }

// relations lists the relationships of the .rels part f (none when f is
// nil or unreadable).
func relations(f *zip.File) []relation {
	var out []relation
	eachElement(f, func(e xml.StartElement) {
		if e.Name.Local != "Relationship" {
			return
		}
		var r relation
		for _, a := range e.Attr {
			switch a.Name.Local {
			case "Id":
				r.id = a.Value
			case "Type":
				r.typ = a.Value
			case "Target":
				r.target = a.Value
			}
		}
		out = append(out, r)
	})
	return out
}

// eachElement calls each with every start element of the XML part f (a
// small part: the workbook or its relationships), stopping at the first
// error.
func eachElement(f *zip.File, each func(xml.StartElement)) {
	if f == nil || f.UncompressedSize64 > maxMemoryPart {
		return
	}
	rc, err := f.Open()
	if err != nil {
		return
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err != nil {
			return
		}
		if e, ok := tok.(xml.StartElement); ok {
			each(e)
		}
	}
}
