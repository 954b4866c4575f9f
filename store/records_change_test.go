package store_test

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"testing"
	"time"

	"github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// TestChangeRecords: a hand change is all or nothing with its audit entry;
// a new record's stored key is an ExistsError; Drop deletes by the first
// key columns; evidence keeps its bytes on both engines.
func TestChangeRecords(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		mustImport(t, db, fullRecords())
		now := time.Unix(1696730400, 0)
		audit := gridscore.AuditEntry{At: now, Username: "staff", Action: "record_created", Object: "worker:W001/findings:F9"}
		content := []byte("\x89PNG\r\n\x1a\n\x00\xff\x00binary")
		finding := &gridscore.Records{Findings: []gridscore.Finding{{ID: "F9", WorkerID: "W001", Kind: gridscore.FindingPhone, OccurredOn: day(2023, 9, 1), Count: 1}}}
		err := db.ChangeRecords(ctx, store.RecordChange{Put: finding, New: true,
			Evidence: []gridscore.Evidence{{FindingID: "F9", Name: "照片.png", ContentType: "image/png", Content: content, UploadedBy: "staff", UploadedAt: now}}}, audit)
		if err != nil {
			t.Fatal(err)
		}
		es, err := db.EvidenceOf(ctx, []string{"F9"})
		if err != nil || len(es) != 1 || es[0].Size != int64(len(content)) || es[0].Content != nil {
			t.Fatalf("evidence of F9: %+v, %v", es, err)
		}
		e, err := db.EvidenceFile(ctx, es[0].ID)
		if err != nil || !bytes.Equal(e.Content, content) || e.Name != "照片.png" || !e.UploadedAt.Equal(now) {
			t.Fatalf("evidence file: %+v, %v", e, err)
		}

		// The same key again as new: refused, and nothing written, the
		// audit entry included.
		before := mustCounts(t, db)
		err = db.ChangeRecords(ctx, store.RecordChange{Put: finding, New: true,
			Delete: []store.RecordKey{{Kind: "quiz", Key: []string{fullRecords().Quizzes[0].ID}}}}, audit)
		var exists *store.ExistsError
		if !errors.As(err, &exists) || gridscore.ErrorCode(err) != gridscore.ECONFLICT || exists.Key[0] != "F9" {
			t.Fatalf("a stored key as new: %v", err)
		}
		err = db.ChangeRecords(ctx, store.RecordChange{Delete: []store.RecordKey{{Kind: "quiz", Key: []string{"none"}}}})
		if gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("delete a missing record: %v", err)
		}
		err = db.ChangeRecords(ctx, store.RecordChange{DropFiles: []gridscore.Evidence{{ID: es[0].ID, FindingID: "other"}}})
		if gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("drop a file of another finding: %v", err)
		}
		if after := mustCounts(t, db); !maps.Equal(before, after) {
			t.Errorf("refused changes wrote: %v → %v", before, after)
		}
		if log, _ := db.Audit(ctx, gridscore.AuditFilter{}); len(log) != 1 {
			t.Errorf("%d audit entries, want the first change's only", len(log))
		}

		// A meeting's attendance dropped by its id alone.
		m := fullRecords().Attendance[0].MeetingID
		if err := db.ChangeRecords(ctx, store.RecordChange{Drop: []store.RecordKey{{Kind: "attendance", Key: []string{m}}}}); err != nil {
			t.Fatal(err)
		}
		if att, _ := db.Attendance(ctx, m); len(att) != 0 {
			t.Errorf("attendance of %s left: %+v", m, att)
		}
		if err := db.ChangeRecords(ctx, store.RecordChange{Delete: []store.RecordKey{{Kind: "findings", Key: []string{"F9"}}}, DropEvidence: []string{"F9"}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EvidenceFile(ctx, es[0].ID); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("evidence of a deleted finding: %v", err)
		}
	})
}

// TestRecordsFilter: the list's filters and order, on both engines.
func TestRecordsFilter(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		db := MustOpenDB(t, b)
		recs := fullRecords()
		mustImport(t, db, recs)
		for _, kind := range store.ListedKinds() {
			all, err := db.Records(ctx, store.RecordFilter{Kind: kind})
			if err != nil {
				t.Fatalf("%s: %v", kind, err)
			}
			if all.Matched == 0 {
				t.Errorf("%s: nothing listed", kind)
			}
			none, err := db.Records(ctx, store.RecordFilter{Kind: kind, Town: "无此镇", WorkerID: "W001", From: day(2023, 7, 1), To: day(2023, 9, 30), Limit: 5})
			if err != nil {
				t.Fatalf("%s filtered: %v", kind, err)
			}
			if kind != "meetings" && kind != "calendar" && none.Matched != 0 {
				t.Errorf("%s: %d records of a town that does not exist", kind, none.Matched)
			}
		}
		page, err := db.Records(ctx, store.RecordFilter{Kind: "events", WorkerID: recs.Events[0].WorkerID, Limit: 1})
		if err != nil || len(page.Records.Events) != 1 || page.Matched < 1 {
			t.Fatalf("one worker's events: %+v, %v", page, err)
		}
		if _, err := db.Records(ctx, store.RecordFilter{Kind: "grids"}); gridscore.ErrorCode(err) != gridscore.ENOTFOUND {
			t.Errorf("grids listed: %v", err)
		}
	})
}
