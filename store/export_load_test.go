package store

import (
	"context"
	"reflect"

	"github.com/gridscore/gridscore"
)

// SortRecords orders the records of each kind as Load does, for the tests.
var SortRecords = sortRecords

// ExecForTest runs a statement on the store's write connection, for tests
// that break a store on purpose.
func (db *DB) ExecForTest(ctx context.Context, query string) error {
	_, err := db.write.ExecContext(ctx, query)
	return err
}

// MigrateToForTest brings the schema up to version and no further, for
// tests that store rows the way an older version did before migrating.
func (db *DB) MigrateToForTest(ctx context.Context, version int64) error {
	p, err := db.provider()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// AppendRecords appends every record of r to all, copying: the generator
// reuses r for its next town.
func AppendRecords(all, r *gridscore.Records) {
	a, v := reflect.ValueOf(all).Elem(), reflect.ValueOf(r).Elem()
	for i := range a.NumField() {
		a.Field(i).Set(reflect.AppendSlice(a.Field(i), v.Field(i)))
	}
}
