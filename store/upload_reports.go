package store

import (
	"context"
	"database/sql"
	"errors"
)

// SaveUploadReport keeps report, the JSON of upload id's check against the
// records of version, with the upload.
func (db *DB) SaveUploadReport(ctx context.Context, id, version int64, report []byte) error {
	_, err := db.write.ExecContext(ctx, `UPDATE uploads SET report_json = $1, report_version = $2 WHERE id = $3`,
		string(report), version, id)
	return db.wrap("save upload report", err)
}

// UploadReport returns the kept report of upload id if it was checked
// against the records of version, else nil.
func (db *DB) UploadReport(ctx context.Context, id, version int64) ([]byte, error) {
	var js sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT report_json FROM uploads WHERE id = $1 AND report_version = $2`, id, version).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !js.Valid) {
		return nil, nil
	}
	if err != nil {
		return nil, db.wrap("read upload report", err)
	}
	return []byte(js.String), nil
}

// CommittedUploadReport returns the report kept when upload id was
// committed, nil when it was not.
func (db *DB) CommittedUploadReport(ctx context.Context, id int64) ([]byte, error) {
	var js sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT report_json FROM uploads WHERE id = $1 AND committed_at IS NOT NULL`, id).Scan(&js)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !js.Valid) {
		return nil, nil
	}
	if err != nil {
		return nil, db.wrap("read committed upload report", err)
	}
	return []byte(js.String), nil
}
