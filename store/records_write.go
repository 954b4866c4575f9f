package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// RecordKey names one stored record: its kind and the values of the kind's
// key columns in order (every key column of the hand-entered kinds is
// text).
type RecordKey struct {
	Kind string
	Key  []string
}

// RecordChange is one change made by hand: records written, records
// deleted and evidence attached, all in one transaction with its audit
// entries.
type RecordChange struct {
	// Put holds the records written: inserted, or replacing the stored row
	// with the same key.
	Put *gridscore.Records
	// New requires every record of Put to be new: a key already stored is
	// ECONFLICT, and nothing is written.
	New bool
	// Delete lists the records deleted; one that is not stored is
	// ENOTFOUND, and nothing is written.
	Delete []RecordKey
	// Drop lists records deleted if stored, each named by the first
	// columns of its key: {attendance, [meeting]} drops a meeting's
	// attendance.
	Drop []RecordKey
	// Evidence is stored with the change (the IDs are given by the store).
	Evidence []gridscore.Evidence
	// DropEvidence lists findings whose evidence is deleted.
	DropEvidence []string
	// DropFiles lists evidence files deleted, each with its finding: a file
	// of another finding is ENOTFOUND.
	DropFiles []gridscore.Evidence
}

// ExistsError is the refusal of a new record whose key is stored already
// (RecordChange.New); it is an ECONFLICT for gridscore.ErrorCode.
type ExistsError struct{ Key []string }

func (e *ExistsError) Error() string {
	return "编号为“" + strings.Join(e.Key, " ") + "”的记录已经存在，请换一个编号，或打开那条记录修改。"
}

// As lets gridscore.ErrorCode and gridscore.ErrorMessage see a conflict.
func (e *ExistsError) As(target any) bool {
	if t, ok := target.(**gridscore.Error); ok {
		*t = &gridscore.Error{Code: gridscore.ECONFLICT, Message: e.Error()}
		return true
	}
	return false
}

// ChangeRecords makes the change and appends the audit entries in one
// transaction: all of it is written, or none.
func (db *DB) ChangeRecords(ctx context.Context, ch RecordChange, audit ...gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	concerns, err := changeConcerns(ctx, tx, ch)
	if err != nil {
		return db.wrap("records changed", err)
	}
	for _, k := range ch.Delete {
		if err := deleteRecord(ctx, tx, k); err != nil {
			return db.wrap("delete "+k.Kind, err)
		}
	}
	for _, k := range ch.Drop {
		t := tableNamed(k.Kind)
		c := keyConds(t, anys(k.Key))
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t.name+c.where(), c.args...); err != nil {
			return db.wrap("delete "+k.Kind, err)
		}
	}
	for _, id := range ch.DropEvidence {
		if _, err := tx.ExecContext(ctx, "DELETE FROM evidence WHERE finding_id = $1", id); err != nil {
			return db.wrap("delete evidence", err)
		}
	}
	for _, e := range ch.DropFiles {
		res, err := tx.ExecContext(ctx, "DELETE FROM evidence WHERE id = $1 AND finding_id = $2", e.ID, e.FindingID)
		if err == nil {
			var n int64
			if n, err = res.RowsAffected(); err == nil && n == 0 {
				err = gridscore.Errorf(gridscore.ENOTFOUND, "佐证文件不存在或已被删除。")
			}
		}
		if err != nil {
			return db.wrap("delete evidence", err)
		}
	}
	if ch.Put != nil {
		rows, _ := rowsOf(ch.Put)
		for i := range tables {
			for _, row := range rows[i] {
				if err := putRow(ctx, tx, &tables[i], row, ch.New); err != nil {
					return db.wrap("write "+tables[i].name, err)
				}
			}
		}
	}
	if len(ch.Evidence) > 0 {
		if err := db.insertEvidence(ctx, tx, ch.Evidence); err != nil {
			return db.wrap("write evidence", err)
		}
	}
	// The live results of the old records no longer apply: those of the
	// workers, grids and towns the change concerns, or every town's.
	if err := concerns.bump(ctx, tx); err != nil {
		return db.wrap("data version", err)
	}
	if err := db.appendAudit(ctx, tx, audit); err != nil {
		return db.wrap("audit", err)
	}
	return db.wrap("commit", tx.Commit())
}

// keyConds returns the condition on the first len(key) key columns of t,
// parameters from $1.
func keyConds(t *table, key []any) conds {
	var c conds
	for i, v := range key {
		c.add(t.cols[i]+" = ?", v)
	}
	return c
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// inList returns "$1, $2, ..." for values, and them as arguments.
func inList(values []string) (string, []any) {
	ph := make([]string, len(values))
	for i := range values {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	return strings.Join(ph, ", "), anys(values)
}

// deleteRecord deletes one stored record, or fails with ENOTFOUND.
func deleteRecord(ctx context.Context, tx *sql.Tx, k RecordKey) error {
	t := tableNamed(k.Kind)
	if len(k.Key) != t.keyLen {
		return gridscore.Errorf(gridscore.EINVALID, "记录的编号不完整。")
	}
	c := keyConds(t, anys(k.Key))
	res, err := tx.ExecContext(ctx, "DELETE FROM "+t.name+c.where(), c.args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return gridscore.Errorf(gridscore.ENOTFOUND, "记录 %s 不存在或已被删除。", strings.Join(k.Key, " "))
	}
	return nil
}

// putRow writes one row of t: inserted, or replacing the stored row with
// the same key unless mustBeNew, which makes a stored key ECONFLICT. A new
// row is a plain INSERT, so the key's unique index decides even between
// two people saving the same id at the same moment.
func putRow(ctx context.Context, tx *sql.Tx, t *table, row []any, mustBeNew bool) error {
	ph := make([]string, len(t.cols))
	for i := range ph {
		ph[i] = "$" + strconv.Itoa(i+1)
	}
	insert := "INSERT INTO " + t.name + " (" + t.selectList() + ") VALUES (" + strings.Join(ph, ", ") + ")"
	if !mustBeNew {
		_, err := tx.ExecContext(ctx, insert+conflictSQL(t), row...)
		return err
	}
	_, err := tx.ExecContext(ctx, insert, row...)
	if isUniqueViolation(err) {
		parts := make([]string, t.keyLen)
		for i, v := range row[:t.keyLen] {
			parts[i] = string(appendKeyPart(nil, v)[1:])
		}
		return &ExistsError{Key: parts}
	}
	return err
}
