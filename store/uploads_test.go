package store_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// A staged file is kept in parts of store.UploadPartBytes and read back
// whole, byte for byte, as a stream; a committed upload's parts are gone.
func TestUploadFilesInParts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		big := make([]byte, 2*store.UploadPartBytes+12345)
		for i := range big {
			big[i] = byte(rand.IntN(256))
		}
		up := &gs.Upload{Town: "青山镇", Username: "admin", CreatedAt: time.Now(), Files: []gs.UploadFile{
			{Name: "events.csv", Body: bytes.NewReader(big)},
			{Name: "empty.csv", Body: bytes.NewReader(nil)},
			{Name: "grids.csv", Body: bytes.NewReader([]byte("grid_code\n"))},
		}}
		if err := db.CreateUpload(ctx, up); err != nil {
			t.Fatal(err)
		}
		if up.Size != int64(len(big))+10 || up.Files[0].Size != int64(len(big)) {
			t.Errorf("sizes %d and %d, want %d and %d", up.Size, up.Files[0].Size, len(big)+10, len(big))
		}
		var names []string
		var got [][]byte
		err := db.ReadUploadFiles(ctx, up.ID, func(name string, r io.Reader) error {
			data, err := io.ReadAll(r)
			names, got = append(names, name), append(got, data)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || !bytes.Equal(got[0], big) || len(got[1]) != 0 || string(got[2]) != "grid_code\n" ||
			names[0] != "events.csv" || names[2] != "grids.csv" {
			t.Errorf("read back %q with %d, %d and %d bytes", names, len(got[0]), len(got[1]), len(got[2]))
		}

		it, err := db.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer it.Rollback()
		if err := it.FinishUpload(ctx, up.ID, time.Now(), "admin", []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
		if _, err := it.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		err = db.ReadUploadFiles(ctx, up.ID, func(name string, r io.Reader) error {
			if data, _ := io.ReadAll(r); len(data) > 0 {
				t.Errorf("%s still holds %d bytes after the commit", name, len(data))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
