package store

import (
	"context"
	"strings"

	"github.com/gridscore/gridscore"
)

// AnyRecord reports whether any of fs keeps a record, in one query of one
// EXISTS test per filter, however many kinds they name: a town's dashboard
// asks it of the quarter's records of every kind scores rest on. Each
// filter's Offset, Limit, Sort and Desc are ignored.
func (db *DB) AnyRecord(ctx context.Context, fs ...RecordFilter) (bool, error) {
	if len(fs) == 0 {
		return false, nil
	}
	var c conds
	tests := make([]string, len(fs))
	for i, f := range fs {
		l, ok := listings[f.Kind]
		if !ok {
			return false, gridscore.Errorf(gridscore.ENOTFOUND, "没有这种记录：%s", f.Kind)
		}
		t := tableNamed(f.Kind)
		// The parameters are numbered across the tests; each test's
		// conditions are joined on their own.
		start := len(c.parts)
		if err := c.addRecord(f, l, t); err != nil {
			return false, err
		}
		where := ""
		if own := c.parts[start:]; len(own) > 0 {
			where = " WHERE " + strings.Join(own, " AND ")
		}
		c.parts = c.parts[:start]
		tests[i] = "EXISTS (SELECT 1 FROM " + l.source(t) + where + ")"
	}
	var found int
	query := "SELECT CASE WHEN " + strings.Join(tests, " OR ") + " THEN 1 ELSE 0 END"
	if err := db.read.QueryRowContext(ctx, query, c.args...).Scan(&found); err != nil {
		return false, db.wrap("look for records", err)
	}
	return found == 1, nil
}
