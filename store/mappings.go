package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/gridscore/gridscore"
)

// The mappings of other systems' export files (gridscore.Mapping), one
// per town, name and set of headers. The store keeps what it is given:
// whether a mapping makes sense for its kind is the importer's to check.

// SaveMapping saves m under its town and name, replacing the mapping of
// that name, with audit, in one transaction. Another mapping of the town
// for the same set of headers is a conflict (a file would not know which
// to follow), named in the error.
func (db *DB) SaveMapping(ctx context.Context, m *gridscore.Mapping, audit gridscore.AuditEntry) error {
	cols, err := json.Marshal(m.Columns)
	if err != nil {
		return err
	}
	set := gridscore.HeaderSet(m.Headers())
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var other string
	err = tx.QueryRowContext(ctx, "SELECT name FROM import_mappings WHERE town = $1 AND header_set = $2 AND name <> $3",
		m.Town, set, m.Name).Scan(&other)
	if err == nil {
		return gridscore.Errorf(gridscore.ECONFLICT, "已有映射“%s”读取表头相同的文件：同一组表头只能有一个映射，请修改或删除“%s”，或用同一个名称保存以替换它。", other, other)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return db.wrap("save mapping", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO import_mappings (town, name, kind, header_set, columns, saved_at, saved_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (town, name) DO UPDATE SET kind = excluded.kind, header_set = excluded.header_set,
			columns = excluded.columns, saved_at = excluded.saved_at, saved_by = excluded.saved_by`,
		m.Town, m.Name, m.Kind, set, string(cols), m.SavedAt.Unix(), m.SavedBy); err != nil {
		return db.wrap("save mapping", err)
	}
	if err := db.appendAudit(ctx, tx, []gridscore.AuditEntry{audit}); err != nil {
		return db.wrap("save mapping", err)
	}
	return db.wrap("save mapping", tx.Commit())
}

// Mappings returns the mappings town may use: its own, then the
// district's (town ""), each by name. For "" it returns the district's.
func (db *DB) Mappings(ctx context.Context, town string) ([]gridscore.Mapping, error) {
	return db.mappings(ctx, "WHERE town = $1 OR town = ''", town)
}

// MappingsNamed returns the mappings of every town named name, the
// district's first.
func (db *DB) MappingsNamed(ctx context.Context, name string) ([]gridscore.Mapping, error) {
	return db.mappings(ctx, "WHERE name = $1", name)
}

func (db *DB) mappings(ctx context.Context, where string, arg string) ([]gridscore.Mapping, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT town, name, kind, columns, saved_at, saved_by FROM import_mappings `+
		where+` ORDER BY CASE WHEN town = '' THEN 1 ELSE 0 END, town, name`, arg)
	if err != nil {
		return nil, db.wrap("mappings", err)
	}
	defer rows.Close()
	var out []gridscore.Mapping
	for rows.Next() {
		var (
			m     gridscore.Mapping
			cols  string
			saved int64
		)
		if err := rows.Scan(&m.Town, &m.Name, &m.Kind, &cols, &saved, &m.SavedBy); err != nil {
			return nil, db.wrap("mappings", err)
		}
		if err := json.Unmarshal([]byte(cols), &m.Columns); err != nil {
			return nil, db.wrap("mappings", err)
		}
		m.SavedAt = time.Unix(saved, 0).In(gridscore.CST)
		out = append(out, m)
	}
	return out, db.wrap("mappings", rows.Err())
}

// DeleteMapping removes town's mapping name, with audit; a mapping that
// is not there is not found.
func (db *DB) DeleteMapping(ctx context.Context, town, name string, audit gridscore.AuditEntry) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM import_mappings WHERE town = $1 AND name = $2", town, name)
	if err != nil {
		return db.wrap("delete mapping", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if err != nil {
			return db.wrap("delete mapping", err)
		}
		return gridscore.Errorf(gridscore.ENOTFOUND, "没有名为“%s”的映射。", name)
	}
	if err := db.appendAudit(ctx, tx, []gridscore.AuditEntry{audit}); err != nil {
		return db.wrap("delete mapping", err)
	}
	return db.wrap("delete mapping", tx.Commit())
}
