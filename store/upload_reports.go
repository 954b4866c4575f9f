package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// SaveUploadReport keeps report, the JSON of upload id's check against the
// records of version, with the upload, and ends the upload's claim (see
// ClaimUploadCheck).
func (db *DB) SaveUploadReport(ctx context.Context, id, version int64, report []byte) error {
	_, err := db.write.ExecContext(ctx, `UPDATE uploads SET report_json = $1, report_version = $2, check_until = NULL
		WHERE id = $3 AND committed_at IS NULL`, string(report), version, id)
	return db.wrap("save upload report", err)
}

// ClaimUploadCheck claims the check of upload id until the moment until,
// unless a claim of another caller holds at now: it reports whether the
// caller has the claim. A check that takes longer renews its claim
// (RenewUploadCheck); SaveUploadReport or ReleaseUploadCheck ends it. A
// claim whose holder stopped (a server that died) lapses at its end.
func (db *DB) ClaimUploadCheck(ctx context.Context, id int64, now, until time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE uploads SET check_until = $1
		WHERE id = $2 AND committed_at IS NULL AND (check_until IS NULL OR check_until < $3)`, until.Unix(), id, now.Unix())
	if err != nil {
		return false, db.wrap("claim upload check", err)
	}
	n, err := res.RowsAffected()
	return n == 1, db.wrap("claim upload check", err)
}

// RenewUploadCheck extends the claim of upload id to until.
func (db *DB) RenewUploadCheck(ctx context.Context, id int64, until time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE uploads SET check_until = $1 WHERE id = $2 AND check_until IS NOT NULL`, until.Unix(), id)
	return db.wrap("renew upload check", err)
}

// ReleaseUploadCheck ends the claim of upload id without a report (the
// check failed).
func (db *DB) ReleaseUploadCheck(ctx context.Context, id int64) error {
	_, err := db.write.ExecContext(ctx, `UPDATE uploads SET check_until = NULL WHERE id = $1`, id)
	return db.wrap("release upload check", err)
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
