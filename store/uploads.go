package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"io"
	"time"

	"github.com/gridscore/gridscore"
)

// Uploads: import files sent through the browser wait in the database (see
// migration 00005) until the person who sent them commits or cancels the
// import, so that every server sharing the database sees them.

// errNoUpload is the error of an upload that does not exist (any more).
func errNoUpload(id int64) error {
	return gridscore.Errorf(gridscore.ENOTFOUND, "没有找到编号为 %d 的待导入文件：可能已经导入、已经取消，或已过期被清理。", id)
}

// UploadPartBytes is the size of the parts a staged file is kept in
// (migration 00017): a file is written and read a part at a time.
const UploadPartBytes = 1 << 20

// CreateUpload stores up.Files (reading each Body, a part at a time) under
// a new id, set in up.ID, in one transaction. Size is counted from what was
// read. The id is random, so that the address of an upload that is gone
// never leads to a later one and addresses cannot be guessed in turn.
func (db *DB) CreateUpload(ctx context.Context, up *gridscore.Upload) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	id, err := randomID()
	if err != nil {
		return err
	}
	up.ID, up.Size = id, 0
	buf := make([]byte, UploadPartBytes)
	for i := range up.Files {
		f := &up.Files[i]
		f.Size = 0
		for part := 1; ; part++ {
			n, err := io.ReadFull(f.Body, buf)
			if n > 0 {
				f.Size += int64(n)
				if _, err := tx.ExecContext(ctx, `INSERT INTO upload_parts (upload_id, seq, part, data) VALUES ($1, $2, $3, $4)`,
					id, i+1, part, buf[:n]); err != nil {
					return db.wrap("create upload part", err)
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return err
			}
		}
		up.Size += f.Size
		_, err = tx.ExecContext(ctx, `INSERT INTO upload_files (upload_id, seq, name, size_bytes, content)
			VALUES ($1, $2, $3, $4, $5)`, id, i+1, f.Name, f.Size, []byte{})
		if err != nil {
			return db.wrap("create upload file", err)
		}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO uploads (id, town, username, created_at, size_bytes)
		VALUES ($1, $2, $3, $4, $5)`, id, up.Town, up.Username, up.CreatedAt.Unix(), up.Size)
	if err != nil {
		return db.wrap("create upload", err)
	}
	return db.wrap("create upload", tx.Commit())
}

// randomID returns a random positive id below 2^53 (exact in JavaScript).
func randomID() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, err
	}
	return int64(binary.BigEndian.Uint64(b[:])>>11) | 1, nil
}

// Upload returns the staged upload id with its files' names and sizes,
// ENOTFOUND when there is none.
func (db *DB) Upload(ctx context.Context, id int64) (*gridscore.Upload, error) {
	up := &gridscore.Upload{ID: id}
	var at int64
	var committedAt sql.NullInt64
	var committedBy sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT town, username, created_at, size_bytes, committed_at, committed_by FROM uploads WHERE id = $1`, id).
		Scan(&up.Town, &up.Username, &at, &up.Size, &committedAt, &committedBy)
	if err == sql.ErrNoRows {
		return nil, errNoUpload(id)
	}
	if err != nil {
		return nil, db.wrap("read upload", err)
	}
	up.CreatedAt = time.Unix(at, 0)
	if committedAt.Valid {
		up.CommittedAt, up.CommittedBy = time.Unix(committedAt.Int64, 0), committedBy.String
	}
	rows, err := db.read.QueryContext(ctx, `SELECT name, size_bytes FROM upload_files WHERE upload_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, db.wrap("read upload files", err)
	}
	defer rows.Close()
	for rows.Next() {
		var f gridscore.UploadFile
		if err := rows.Scan(&f.Name, &f.Size); err != nil {
			return nil, db.wrap("read upload files", err)
		}
		up.Files = append(up.Files, f)
	}
	return up, db.wrap("read upload files", rows.Err())
}

// Uploads lists the uploads of town created at or after since that wait
// for their commit, newest first, with their files' names and sizes, in one
// query.
func (db *DB) Uploads(ctx context.Context, town string, since time.Time) ([]gridscore.Upload, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.username, u.created_at, u.size_bytes, f.name, f.size_bytes
		FROM uploads u LEFT JOIN upload_files f ON f.upload_id = u.id
		WHERE u.town = $1 AND u.created_at >= $2 AND u.committed_at IS NULL ORDER BY u.created_at DESC, u.id, f.seq`, town, since.Unix())
	if err != nil {
		return nil, db.wrap("list uploads", err)
	}
	defer rows.Close()
	var out []gridscore.Upload
	for rows.Next() {
		up := gridscore.Upload{Town: town}
		var at int64
		var name sql.NullString
		var size sql.NullInt64
		if err := rows.Scan(&up.ID, &up.Username, &at, &up.Size, &name, &size); err != nil {
			return nil, db.wrap("list uploads", err)
		}
		if n := len(out); n == 0 || out[n-1].ID != up.ID {
			up.CreatedAt = time.Unix(at, 0)
			out = append(out, up)
		}
		if name.Valid {
			last := &out[len(out)-1]
			last.Files = append(last.Files, gridscore.UploadFile{Name: name.String, Size: size.Int64})
		}
	}
	return out, db.wrap("list uploads", rows.Err())
}

// ReadUploadFiles calls each with the name and content of every file of
// upload id in order. The content is read a part at a time, as each reads
// it: a file is never held whole.
func (db *DB) ReadUploadFiles(ctx context.Context, id int64, each func(name string, content io.Reader) error) error {
	rows, err := db.read.QueryContext(ctx, `SELECT seq, name FROM upload_files WHERE upload_id = $1 ORDER BY seq`, id)
	if err != nil {
		return db.wrap("read upload files", err)
	}
	type file struct {
		seq  int
		name string
	}
	var files []file
	for rows.Next() {
		var f file
		if err := rows.Scan(&f.seq, &f.name); err != nil {
			rows.Close()
			return db.wrap("read upload files", err)
		}
		files = append(files, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return db.wrap("read upload files", err)
	}
	for _, f := range files {
		if err := each(f.name, &partReader{ctx: ctx, db: db, id: id, seq: f.seq}); err != nil {
			return err
		}
	}
	return nil
}

// partReader reads the parts of one staged file in turn.
type partReader struct {
	ctx     context.Context
	db      *DB
	id      int64
	seq     int
	part    int    // the last part read
	pending []byte // what is left of it
	done    bool
}

func (r *partReader) Read(p []byte) (int, error) {
	for len(r.pending) == 0 {
		if r.done {
			return 0, io.EOF
		}
		r.part++
		err := r.db.read.QueryRowContext(r.ctx, `SELECT data FROM upload_parts WHERE upload_id = $1 AND seq = $2 AND part = $3`,
			r.id, r.seq, r.part).Scan(&r.pending)
		if err == sql.ErrNoRows {
			r.done = true
			continue
		}
		if err != nil {
			return 0, r.db.wrap("read upload part", err)
		}
	}
	n := copy(p, r.pending)
	r.pending = r.pending[n:]
	return n, nil
}

// DeleteUpload removes upload id and its files; ENOTFOUND when there is
// none.
func (db *DB) DeleteUpload(ctx context.Context, id int64) error {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := deleteUpload(ctx, tx, id); err != nil {
		return db.wrap("delete upload", err)
	}
	return db.wrap("delete upload", tx.Commit())
}

// DeleteUploadsBefore removes every upload created before t that was not
// committed and returns how many there were. A committed upload is kept:
// its files are emptied and its page shows the import's report.
func (db *DB) DeleteUploadsBefore(ctx context.Context, t time.Time) (int64, error) {
	tx, err := db.writeTx(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	for _, table := range []string{"upload_parts", "upload_files"} {
		_, err = tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE upload_id IN (SELECT id FROM uploads WHERE created_at < $1 AND committed_at IS NULL)`, t.Unix())
		if err != nil {
			return 0, db.wrap("clean uploads", err)
		}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE created_at < $1 AND committed_at IS NULL`, t.Unix())
	if err != nil {
		return 0, db.wrap("clean uploads", err)
	}
	n, _ := res.RowsAffected()
	return n, db.wrap("clean uploads", tx.Commit())
}

func deleteUpload(ctx context.Context, tx *sql.Tx, id int64) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM uploads WHERE id = $1 AND committed_at IS NULL`, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return errNoUpload(id)
	}
	if _, err = tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id = $1`, id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM upload_files WHERE upload_id = $1`, id)
	return err
}

// FinishUpload ends the staging of upload id inside the import's
// transaction, with the import's audit entries: the records, the entries,
// the mark of the commit (at, by whom, with report, the commit's report)
// and the emptying of the staged files are committed together or not at
// all. ENOTFOUND when the upload is gone or was committed (by another
// request at the same time), so that it is never imported twice.
func (it *ImportTx) FinishUpload(ctx context.Context, id int64, at time.Time, by string, report []byte, audit ...gridscore.AuditEntry) error {
	res, err := it.tx.ExecContext(ctx, `UPDATE uploads SET committed_at = $1, committed_by = $2, report_json = $3, report_version = NULL, check_until = NULL
		WHERE id = $4 AND committed_at IS NULL`, at.Unix(), by, string(report), id)
	if err != nil {
		return it.db.wrap("finish upload", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return it.db.wrap("finish upload", err)
	} else if n == 0 {
		return errNoUpload(id)
	}
	if _, err := it.tx.ExecContext(ctx, `DELETE FROM upload_parts WHERE upload_id = $1`, id); err != nil {
		return it.db.wrap("finish upload: files", err)
	}
	return it.db.wrap("finish upload: audit", it.db.appendAudit(ctx, it.tx, audit))
}

// Preview returns what Commit would return, without committing: the
// caller then rolls the import back. An import checked this way has written
// every record inside its transaction, so the counts are those of the real
// import at this moment.
func (it *ImportTx) Preview(ctx context.Context) (ImportStats, error) {
	stats := make(ImportStats)
	for _, tw := range it.tables {
		if tw == nil {
			continue
		}
		if err := it.flushPending(ctx, tw); err != nil {
			return nil, it.db.wrap("preview "+tw.t.name, err)
		}
		s, err := it.stats(ctx, tw)
		if err != nil {
			return nil, it.db.wrap("preview "+tw.t.name, err)
		}
		stats[tw.t.name] = s
	}
	return stats, nil
}
