package store

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gridscore/gridscore/store/storetest"
)

// TestUploadPartsMigration: a file staged whole before migration 00017 is
// read back, as one part, after it.
func TestUploadPartsMigration(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := openAtVersion(t, b, 16)
			if _, err := db.write.ExecContext(ctx, `INSERT INTO uploads (id, town, username, created_at, size_bytes) VALUES (7, '青山镇', 'admin', $1, 9)`,
				time.Now().Unix()); err != nil {
				t.Fatal(err)
			}
			if _, err := db.write.ExecContext(ctx, `INSERT INTO upload_files (upload_id, seq, name, size_bytes, content) VALUES (7, 1, 'grids.csv', 9, $1)`,
				[]byte("grid_code")); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var got string
			err := db.ReadUploadFiles(ctx, 7, func(name string, r io.Reader) error {
				data, err := io.ReadAll(r)
				got += name + ":" + string(data)
				return err
			})
			if err != nil || got != "grids.csv:grid_code" {
				t.Errorf("read back %q (%v), want grids.csv:grid_code", got, err)
			}
		})
	}
}
