package app_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestByteOrderMarkKeyIsTheSameKey: an event whose key comes with a
// byte-order mark (\ufeffSJ2307-0004, the first cell of a file pasted
// together from two) replaces the stored SJ2307-0004 instead of becoming
// a second event beside it.
func TestByteOrderMarkKeyIsTheSameKey(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		mustImportFiles(t, db, filepath.Join(demoDir, "grids.csv"), filepath.Join(demoDir, "workers.csv"))
		for i, id := range []string{"SJ2307-0004", "\ufeffSJ2307-0004", "SJ2307-0004\u200b", "\u00a0SJ2307-0004\u3000"} {
			dir := t.TempDir()
			content := "event_id,worker_id,flow,reported_at\n" + id + ",QS001,上报,2023-08-02 09:01:00\n"
			os.WriteFile(filepath.Join(dir, "events.csv"), []byte(content), 0o644)
			stats := mustImportFiles(t, db, dir)
			if i > 0 && stats["events"].Unchanged != 1 {
				t.Errorf("import %d of %q: %+v, want the stored event unchanged", i+1, id, stats["events"])
			}
		}
		recs, counts := mustLoadAll(t, db)
		if counts["events"] != 1 || recs.Events[0].ID != "SJ2307-0004" {
			t.Errorf("%d events stored, the first %q; want SJ2307-0004 alone", counts["events"], recs.Events[0].ID)
		}
	})
}

// TestImportRefusesControlCharactersAndLongTexts: a worker's name that
// would clear a terminal, a name written backwards and a category of a
// megabyte are refused, each naming its file, row and column, and nothing
// is written.
func TestImportRefusesControlCharactersAndLongTexts(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		mustImportFiles(t, db, filepath.Join(demoDir, "grids.csv"))
		_, counts := mustLoadAll(t, db)
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "workers.csv"), []byte("worker_id,name,type,grid_code,hired_on\n"+
			"QS901,张三\x1b[2J\x1b[31m,专职,QS-01,2023-07-01\n"+
			"QS902,李\u202e四,专职,QS-01,2023-07-01\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "events.csv"), []byte("event_id,worker_id,flow,reported_at,category\n"+
			"E1,QS901,上报,2023-08-02 09:01:00,"+strings.Repeat("类", 1<<20)+"\n"), 0o644)
		_, err := (&app.Service{DB: db}).ImportFiles(context.Background(), dir)
		want := []string{
			"events.csv:2: 事件类别（category）: 不能超过 50 个字（现有 1048576 个字）",
			"workers.csv:2: 姓名（name）: 不能含有控制字符（U+001B）",
			"workers.csv:3: 姓名（name）: 不能含有改变文字方向的字符（U+202E）",
		}
		if got := reportOf(t, err); !reflect.DeepEqual(got[len(got)-len(want):], want) {
			t.Errorf("problems:\n%q\nwant them to end with\n%q", got, want)
		}
		if _, after := mustLoadAll(t, db); !reflect.DeepEqual(after, counts) {
			t.Errorf("counts = %v, want %v", after, counts)
		}
	})
}
