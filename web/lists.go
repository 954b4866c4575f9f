package web

import (
	"errors"
	"io"
	"maps"
	"math"
	"mime"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// What the lists (the records of a kind, the workers, the audit log) share:
// headers that sort the list, the pager with its page jump, and the
// download of the whole list as a workbook. All of it works without
// JavaScript: sorting is a link (?sort=col&dir=desc), the jump a GET form.

// Column is the header of a list's column: a link that sorts the list by
// it, when it can be sorted so.
type Column struct {
	Label string
	// URL sorts the list by the column: ascending, or descending when it
	// is sorted ascending by it already ("" when it cannot be sorted by it).
	URL string
	// Sort is the column's aria-sort ("ascending", "descending"; "" when
	// the list is not sorted by it) and Arrow shows the same.
	Sort, Arrow string
	// Num marks a column of numbers (aligned right).
	Num bool
	// NoWrap marks a column of ids and dates, kept on one line.
	NoWrap bool
}

// listSort is the order of a list: by a column's key, descending when Desc.
type listSort struct {
	Col  string
	Desc bool
}

// listOrder is the order of a list's page: the order shown, and whether
// the request named it (else it is the list's default order, which links
// leave out).
type listOrder struct {
	Sort   listSort
	sorted bool
}

// SortFields are the hidden fields by which a filter form keeps the order
// the request named.
func (o listOrder) SortFields() []Hidden {
	if !o.sorted {
		return nil
	}
	v := url.Values{}
	o.Sort.set(v)
	return jumpTo("", v).Hidden
}

// sortOf reads the order the query asks for (sort, dir=desc), keeping it
// only when ok says the list may be sorted by that column, and given
// whether it was kept; def otherwise.
func sortOf(q url.Values, ok func(col string) bool, def listSort) (listSort, bool) {
	col := q.Get("sort")
	if col == "" || !ok(col) {
		return def, false
	}
	return listSort{Col: col, Desc: q.Get("dir") == "desc"}, true
}

// set puts the order into the query values v.
func (o listSort) set(v url.Values) {
	v.Set("sort", o.Col)
	v.Del("dir")
	if o.Desc {
		v.Set("dir", "desc")
	}
}

// column returns the header of a column labelled label that sorts the list
// by key ("" when it cannot be sorted), the list being sorted by cur; link
// returns the list sorted by an order, at its first page.
func column(label, key string, cur listSort, link func(listSort) string) Column {
	c := Column{Label: label}
	if key == "" {
		return c
	}
	next := listSort{Col: key}
	if cur.Col == key {
		c.Sort, c.Arrow = "ascending", "↑"
		if cur.Desc {
			c.Sort, c.Arrow = "descending", "↓"
		} else {
			next.Desc = true
		}
	}
	c.URL = link(next)
	return c
}

// Pager is the position in a list shown page by page.
type Pager struct {
	Page, Pages int
	// First and Last number the rows shown (from 1).
	First, Last int
	// Prev and Next link to the neighbouring pages, Start and End to the
	// first and the last ("" on that page).
	Prev, Next, Start, End string
	// Jump is the form that opens a page by its number (none when its
	// Action is "").
	Jump PageJump
	// Note says why the page shown is not the one asked for.
	Note string
}

// PageJump is the form of the pager that opens a page by its number: a GET
// of Action with the list's filters and order as hidden fields.
type PageJump struct {
	Action string
	Hidden []Hidden
}

// pageOf reads the page asked for against a list of pages pages: the page
// to show and, when it is not the one asked for, a note why (a number past
// the end shows the last page, anything else not a page number the first).
func pageOf(asked string, pages int) (int, string) {
	if asked == "" {
		return 1, ""
	}
	n, err := strconv.Atoi(asked)
	if errors.Is(err, strconv.ErrRange) && asked[0] != '-' {
		n, err = math.MaxInt, nil // past any end
	}
	switch {
	case err != nil || n < 1:
		return 1, "页码应为 1 到 " + strconv.Itoa(pages) + " 之间的整数，已显示第 1 页。"
	case n > pages:
		return pages, "没有第 " + strconv.Itoa(n) + " 页（共 " + strconv.Itoa(pages) + " 页），已显示最后一页。"
	}
	return n, ""
}

// newPager returns the pager of page n of pages, showing rows first to last
// (from 1), whose page k is at link(k).
func newPager(n, pages, first, last int, link func(k int) string) Pager {
	pg := Pager{Page: n, Pages: pages, First: first, Last: last}
	if n > 1 {
		pg.Prev, pg.Start = link(n-1), link(1)
	}
	if n < pages {
		pg.Next, pg.End = link(n+1), link(pages)
	}
	return pg
}

// pageAt reads the page of a list the request asks for, size rows a page:
// fetch reads the rows from offset and returns how many the list has
// (app.MaxCounted and one at most). Asked for a page past the end, it
// reads the last page; asked for no page number, the first; either with a
// note (pageOf). It returns the page read, the number of pages and the
// note.
func pageAt(asked string, size int, fetch func(offset int) (matched int, err error)) (n, pages int, note string, err error) {
	n, _ = strconv.Atoi(asked)
	n = min(max(n, 1), pageCount(app.MaxCounted, size))
	matched, err := fetch((n - 1) * size)
	if err != nil {
		return 0, 0, "", err
	}
	pages = pageCount(min(matched, app.MaxCounted), size)
	shown, note := pageOf(asked, pages)
	if shown != n {
		if _, err := fetch((shown - 1) * size); err != nil {
			return 0, 0, "", err
		}
	}
	return shown, pages, note, nil
}

// pageCount is how many pages of size rows n rows fill (at least one).
func pageCount(n, size int) int { return max((n+size-1)/size, 1) }

// jumpTo returns the page jump of a list at path whose filters and order
// are v (any page in it left out).
func jumpTo(path string, v url.Values) PageJump {
	j := PageJump{Action: path}
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if k == "page" {
			continue
		}
		for _, x := range v[k] {
			j.Hidden = append(j.Hidden, Hidden{Name: k, Value: x})
		}
	}
	return j
}

// exportWriteTime is how long a download of a list may take to write: a
// district's events take tens of seconds, more than a page is given.
const exportWriteTime = 10 * time.Minute

// sendWorkbook answers with the workbook write makes, as a download named
// name. The workbook is made in a temporary file first, so that a failure
// is still an error page rather than a broken file and a district's list
// of tens of megabytes is not held in memory.
func (s *Server) sendWorkbook(w http.ResponseWriter, r *http.Request, name string, write func(io.Writer) error) error {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportWriteTime)) // not every writer has one
	tmp, err := os.CreateTemp("", "gridscore-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := write(tmp); err != nil {
		return err
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err != nil {
		return err
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	attachmentOf(w, app.XLSXType, name, size)
	io.Copy(w, tmp) // a client gone away is no error of ours
	return nil
}

// download sends data of contentType as an attachment named name.
func download(w http.ResponseWriter, contentType, name string, data []byte) {
	attachmentOf(w, contentType, name, int64(len(data)))
	w.Write(data) // a client gone away is no error of ours
}

// attachmentOf sets the headers of a download of size bytes of
// contentType named name.
func attachmentOf(w http.ResponseWriter, contentType, name string, size int64) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Content-Length", strconv.FormatInt(size, 10))
}

// madeAt words the moment a download is made, for its title and name.
func (s *Server) madeAt() (title, name string) {
	t := s.now().In(gs.CST)
	return "导出于 " + t.Format("2006-01-02 15:04"), t.Format("2006-01-02")
}
