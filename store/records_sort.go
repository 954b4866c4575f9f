package store

import (
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/gridscore/gridscore"
)

// The order a records list is asked for (RecordFilter.Sort), and the read
// of a whole list, for its download, a batch of records at a time.

// fileColumns names the columns of a kind's file (DATA.md) stored under
// another name, by kind and file column: the other columns of the listed
// kinds are stored under their own names.
var fileColumns = map[string]map[string]string{
	"logins":   {"at": "logged_at"},
	"leaves":   {"from": "from_date", "to": "to_date"},
	"findings": {"count": "occurrences"},
	"calendar": {"date": "day"},
}

// sortColumn returns the column of t that holds the file column key, or
// "" when there is none: the whitelist of the names a list is sorted by.
func sortColumn(t *table, key string) string {
	alias := fileColumns[t.name]
	if col, ok := alias[key]; ok {
		return col
	}
	for _, col := range alias {
		if col == key { // a stored name, not the file's
			return ""
		}
	}
	if slices.Contains(t.cols, key) {
		return key
	}
	return ""
}

// DefaultSort returns the file column (DATA.md's name) a list of kind is
// ordered by when it names no order, newest first: its date; "" when the
// date is not a column of the kind's file (attendance is dated by its
// meeting).
func DefaultSort(kind string) string {
	l, ok := listings[kind]
	if !ok {
		return ""
	}
	t := tableNamed(kind)
	for key, col := range fileColumns[kind] {
		if col == l.dateCol {
			return key
		}
	}
	if slices.Contains(t.cols, l.dateCol) {
		return l.dateCol
	}
	return ""
}

// listOrder returns the ORDER BY list of f: the listing's own without a
// Sort, else the sorted column (only a column of the kind's table, never
// text of the request) with empty values last, then the key as the
// tie-breaker that makes the order total, so that pages neither repeat
// nor skip a record.
func listOrder(f RecordFilter, l listing, t *table) (string, error) {
	if f.Sort == "" {
		return l.order, nil
	}
	col := sortColumn(t, f.Sort)
	if col == "" {
		return "", gridscore.Errorf(gridscore.EINVALID, "不能按“%s”排序。", f.Sort)
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	order := col + dir + " NULLS LAST"
	for _, k := range t.key() {
		if k != col {
			order += ", " + k
		}
	}
	return order, nil
}

// source is what a listing selects from: its join, or the kind's table.
func (l listing) source(t *table) string {
	if l.from != "" {
		return l.from
	}
	return t.name
}

// ErrStop, returned by the function given to EachRecords or EachAudit,
// ends the reading early without an error.
var ErrStop = errors.New("store: stop reading")

// EachRecords reads every record f chooses (its Offset and Limit ignored
// but for Limit > 0, which stops after that many), in f's order and in one
// snapshot, and hands them to fn batch records at a time: a download of a
// district's events never holds more than a batch. The records given to
// fn are fn's to keep; an error of fn ends the reading and is returned
// (ErrStop ends it with none).
func (db *DB) EachRecords(ctx context.Context, f RecordFilter, batch int, fn func(*gridscore.Records) error) error {
	l, ok := listings[f.Kind]
	if !ok {
		return gridscore.Errorf(gridscore.ENOTFOUND, "没有这种记录：%s", f.Kind)
	}
	t := tableNamed(f.Kind)
	c, err := recordConds(f, l, t)
	if err != nil {
		return err
	}
	order, err := listOrder(f, l, t)
	if err != nil {
		return err
	}
	query := "SELECT " + t.selectList() + " FROM " + l.source(t) + c.where() + " ORDER BY " + order
	if f.Limit > 0 {
		query += " LIMIT " + strconv.Itoa(f.Limit)
	}
	tx, err := db.readTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, query, c.args...)
	if err != nil {
		return db.wrap("list "+t.name, err)
	}
	defer rows.Close()
	k, recs, n := kindNamed(f.Kind), &gridscore.Records{}, 0
	for rows.Next() {
		if err := k.scan(rows, recs); err != nil {
			return db.wrap("list "+t.name, err)
		}
		if n++; n == batch {
			if err := fn(recs); err != nil {
				return stopped(err)
			}
			recs, n = &gridscore.Records{}, 0
		}
	}
	if err := rows.Err(); err != nil {
		return db.wrap("list "+t.name, err)
	}
	if n > 0 {
		if err := fn(recs); err != nil {
			return stopped(err)
		}
	}
	return nil
}

// stopped is the error of a reading that fn ended with err: none for
// ErrStop.
func stopped(err error) error {
	if errors.Is(err, ErrStop) {
		return nil
	}
	return err
}
