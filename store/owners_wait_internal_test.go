package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestPushGivesUpOnAHeldKind: on PostgreSQL an import that locked a kind
// whole (its town check of more than maxKeyLocks keys) holds it until it
// ends; a push of that kind (LockWait) waits for it only so long, then is
// told 数据库正忙，请稍后重试 and holds its connection no more, rather than
// wait as long as the upload runs. Without LockWait it would still be
// waiting.
func TestPushGivesUpOnAHeldKind(t *testing.T) {
	for _, be := range storetest.Backends() {
		if be.Name != "postgres" {
			continue // SQLite has one writer: a second import waits to begin
		}
		t.Run(be.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := storedEvents(t, be.Target(t), 10)
			upload, err := db.BeginImport(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer upload.Rollback()
			keys := make([]string, maxKeyLocks+1)
			for i := range keys {
				keys[i] = fmt.Sprintf("UP%06d", i)
			}
			if _, err := upload.OtherTowns(ctx, gridscore.KindEvents, "上镇", keys); err != nil {
				t.Fatal(err)
			}
			if !upload.kindLocked[gridscore.KindEvents] {
				t.Fatal("more than maxKeyLocks keys did not lock the kind whole")
			}

			push, err := db.BeginImport(ctx, OnlyTown("下镇"), LockWait(300*time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer push.Rollback()
			start := time.Now()
			done := make(chan error, 1)
			go func() {
				_, err := push.OtherTowns(ctx, gridscore.KindEvents, "下镇", []string{"P1"})
				done <- err
			}()
			select {
			case err := <-done:
				var ge *gridscore.Error
				if !errors.As(err, &ge) || ge.Message != "数据库正忙，请稍后重试。" {
					t.Errorf("the push waiting for a held kind got %v, want 数据库正忙", err)
				}
				if waited := time.Since(start); waited < 250*time.Millisecond {
					t.Errorf("the push gave up after %v, before its wait of 300 ms", waited)
				}
			case <-time.After(10 * time.Second):
				upload.Rollback() // lets the push go on, so the test ends
				<-done
				t.Fatal("the push still waited for the upload's lock after 10 s")
			}
		})
	}
}
