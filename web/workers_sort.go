package web

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// The order of the workers list. The list is made from the quarter's
// results (computed, not stored rows), so it is sorted here rather than
// by the database, by a column of workerSorts; a row without a score or a
// rank comes last either way, and the town and 工号 break ties.

// workerSort is a column of the workers list: its header, the key that
// sorts by it, and how two rows compare by it.
type workerSort struct {
	label, key string
	cmp        func(a, b *WorkerRow) int
}

// workerSorts are the columns of the list; 镇街 only in the district's.
var workerSorts = []workerSort{
	{"工号", "id", func(a, b *WorkerRow) int { return strings.Compare(a.WorkerID, b.WorkerID) }},
	{"姓名", "name", func(a, b *WorkerRow) int { return strings.Compare(a.Name, b.Name) }},
	{"类型", "type", func(a, b *WorkerRow) int { return strings.Compare(a.Type, b.Type) }},
	{"镇街", "town", func(a, b *WorkerRow) int { return strings.Compare(a.Town, b.Town) }},
	{"网格", "grid", func(a, b *WorkerRow) int { return strings.Compare(a.Grid, b.Grid) }},
	{"总分", "total", func(a, b *WorkerRow) int { return comparePtr(a.total, b.total) }},
	{"排名", "rank", func(a, b *WorkerRow) int { return comparePtr(a.rank, b.rank) }},
	{"备注", "", nil},
}

// comparePtr compares two values that may be missing (nil).
func comparePtr[T cmp.Ordered](a, b *T) int { return cmp.Compare(*a, *b) }

// missing reports whether a row has no value of the column key.
func (r *WorkerRow) missing(key string) bool {
	switch key {
	case "total":
		return r.total == nil
	case "rank":
		return r.rank == nil
	}
	return false
}

// columns returns the sorts of the list's columns: without 镇街 but for
// the district.
func (p *WorkersPage) columns() []workerSort {
	return slices.DeleteFunc(slices.Clone(workerSorts), func(c workerSort) bool { return c.key == "town" && !p.ShowTown })
}

// sortRows orders the rows as the query asks (by town for the district,
// else by 工号, by default) and makes the headers.
func (p *WorkersPage) sortRows(q url.Values) {
	cols := p.columns()
	def := listSort{Col: "id"}
	if p.ShowTown {
		def.Col = "town"
	}
	p.Sort, p.sorted = sortOf(q, func(col string) bool {
		return slices.ContainsFunc(cols, func(c workerSort) bool { return c.key != "" && c.key == col })
	}, def)
	by := cols[slices.IndexFunc(cols, func(c workerSort) bool { return c.key == p.Sort.Col })]
	slices.SortStableFunc(p.Rows, func(a, b WorkerRow) int {
		ma, mb := a.missing(by.key), b.missing(by.key)
		if ma != mb {
			return cmp.Compare(boolInt(ma), boolInt(mb))
		}
		c := 0
		if !ma {
			c = by.cmp(&a, &b)
		}
		if p.Sort.Desc {
			c = -c
		}
		return cmp.Or(c, strings.Compare(a.Town, b.Town), strings.Compare(a.WorkerID, b.WorkerID))
	})
	p.Header = nil
	for _, c := range cols {
		col := column(c.label, c.key, p.Sort, func(o listSort) string {
			v := p.query()
			o.set(v)
			return "/workers?" + v.Encode()
		})
		col.Num = c.key == "total" || c.key == "rank"
		p.Header = append(p.Header, col)
	}
}

// Label is the header of the column sorted by key ("" for 备注, which
// sorts nothing): a phone names each cell of a worker's card by it.
func (p *WorkersPage) Label(key string) string {
	for _, c := range workerSorts {
		if c.key == key {
			return c.label
		}
	}
	return ""
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
