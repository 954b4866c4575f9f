package store

import (
	"context"
	"database/sql"

	"github.com/gridscore/gridscore"
)

// insertEvidence stores files inside tx with the next ids.
func (db *DB) insertEvidence(ctx context.Context, tx *sql.Tx, es []gridscore.Evidence) error {
	id, err := db.nextID(ctx, tx, "evidence")
	if err != nil {
		return err
	}
	for i, e := range es {
		_, err := tx.ExecContext(ctx, `INSERT INTO evidence (id, finding_id, name, content_type, size_bytes, content, uploaded_by, uploaded_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
			id+int64(i), e.FindingID, e.Name, e.ContentType, int64(len(e.Content)), e.Content, e.UploadedBy, e.UploadedAt.Unix())
		if err != nil {
			return err
		}
	}
	return nil
}

// EvidenceFile returns one stored file with its content, or ENOTFOUND.
func (db *DB) EvidenceFile(ctx context.Context, id int64) (*gridscore.Evidence, error) {
	var e gridscore.Evidence
	err := db.read.QueryRowContext(ctx, `SELECT id, finding_id, name, content_type, size_bytes, content, uploaded_by, uploaded_at
		FROM evidence WHERE id = $1`, id).Scan(&e.ID, &e.FindingID, &e.Name, &e.ContentType, &e.Size, &e.Content, &e.UploadedBy, timeDest{&e.UploadedAt})
	if err == sql.ErrNoRows {
		return nil, gridscore.Errorf(gridscore.ENOTFOUND, "佐证文件不存在或已被删除。")
	}
	if err != nil {
		return nil, db.wrap("read evidence", err)
	}
	return &e, nil
}

// EvidenceOf returns the files attached to the findings, without their
// content, ordered by finding and id.
func (db *DB) EvidenceOf(ctx context.Context, findingIDs []string) ([]gridscore.Evidence, error) {
	if len(findingIDs) == 0 {
		return nil, nil
	}
	list, args := inList(findingIDs)
	rows, err := db.read.QueryContext(ctx, `SELECT id, finding_id, name, content_type, size_bytes, uploaded_by, uploaded_at
		FROM evidence WHERE finding_id IN (`+list+`) ORDER BY finding_id, id`, args...)
	if err != nil {
		return nil, db.wrap("read evidence", err)
	}
	defer rows.Close()
	var out []gridscore.Evidence
	for rows.Next() {
		var e gridscore.Evidence
		if err := rows.Scan(&e.ID, &e.FindingID, &e.Name, &e.ContentType, &e.Size, &e.UploadedBy, timeDest{&e.UploadedAt}); err != nil {
			return nil, db.wrap("read evidence", err)
		}
		out = append(out, e)
	}
	return out, db.wrap("read evidence", rows.Err())
}
