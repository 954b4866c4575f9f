package main

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// platformExport is a grid platform's event export for smallTown, in
// GB18030: its own headers and order, columns DATA.md has not, the flow
// and the severity spelled its way, dates written 2023.07.03.
func platformExport(t *testing.T, rows string) string {
	return gb18030(t, "事件ID,事件标题,办理状态,上报人工号,上报人,上报时间,紧急程度,办结时间,备注\n"+rows)
}

const platformRows = "WG-0001,路灯损坏,自行处置,W1,王建国,2023.07.03 09:15,普通,2023.07.03 17:00,\n" +
	"WG-0002,占道经营,上报,W1,王建国,2023.07.04 10:00,紧急,,已上报城管\n" +
	"WG-0003,垃圾堆放,转办,W2,李秀英,2023.7.5 8:30,普通,2023.07.06 09:00:30,\n"

// dataMDRows are the same events as DATA.md writes them.
const dataMDRows = "事件编号,工号,办理方式,事件等级,上报时间,办结时间\n" +
	"WG-0001,W1,自办,一般,2023-07-03 09:15,2023-07-03 17:00\n" +
	"WG-0002,W1,上报,较大,2023-07-04 10:00,\n" +
	"WG-0003,W2,转办,一般,2023-07-05 08:30,2023-07-06 09:00:30\n"

// platformMapping is the mapping of platformExport as a town saved it
// and handed it on: a mapping file.
const platformMapping = `{
  "format": "gridscore-mapping",
  "version": 1,
  "name": "网格E通事件导出",
  "kind": "events",
  "town": "青山镇",
  "columns": [
    {"header": "事件ID", "key": "event_id"},
    {"header": "事件标题"},
    {"header": "办理状态", "key": "flow", "values": {"自行处置": "self_handled", "上报": "reported", "转办": "assigned"}},
    {"header": "上报人工号", "key": "worker_id"},
    {"header": "上报人"},
    {"header": "上报时间", "key": "reported_at", "date_format": "y.m.d"},
    {"header": "紧急程度", "key": "severity", "values": {"普通": "general", "紧急": "major"}},
    {"header": "办结时间", "key": "closed_at", "date_format": "y.m.d"},
    {"header": "备注"}
  ]
}
`

// storedEvents returns the events of 青山镇 the store at target holds.
func storedEvents(t *testing.T, target string) []gs.Event {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.LoadTown(ctx, "青山镇", time.Date(2023, 1, 1, 0, 0, 0, 0, gs.CST), time.Date(2024, 1, 1, 0, 0, 0, 0, gs.CST))
	if err != nil {
		t.Fatal(err)
	}
	return recs.Events
}

// TestImportWithMapping: on each engine, a platform's export imported by
// the name of its mapping (gridscore import --mapping NAME) stores exactly
// the events the same rows written as DATA.md store; the mapping written
// to a file and imported into another store reads the export there alike;
// a value the mapping lacks fails the import at its row and column,
// naming the mapping, and writes nothing.
func TestImportWithMapping(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			on := func(target string, args ...string) (int, string, string) {
				flag := "--db"
				if strings.HasPrefix(target, "postgres") {
					flag = "--dsn"
				}
				i := 1
				if args[0] == "mapping" {
					i = 2
				}
				return run(t, "", append(append(append([]string{}, args[:i]...), flag, target), args[i:]...)...)
			}
			town := writeFiles(t, smallTown(t))
			dir := writeFiles(t, map[string]string{
				"网格E通事件导出20231008.csv": platformExport(t, platformRows+"合计：3 件,,,,,,,,\n"), // the platform's footer
				"events.csv":           dataMDRows,
				"mapping.json":         platformMapping,
				"bad.csv":              platformExport(t, strings.Replace(platformRows, "上报,W1", "自行处理,W1", 1)),
			})
			export := filepath.Join(dir, "网格E通事件导出20231008.csv")

			native, mapped, other := b.Target(t), b.Target(t), b.Target(t)
			for _, target := range []string{native, mapped, other} {
				if code, out, errOut := on(target, "import", town); code != 0 {
					t.Fatalf("import the town: %s%s", out, errOut)
				}
			}
			if code, out, errOut := on(native, "import", filepath.Join(dir, "events.csv")); code != 0 {
				t.Fatalf("import events.csv: %s%s", out, errOut)
			}
			want := storedEvents(t, native)
			if len(want) != 3 {
				t.Fatalf("the DATA.md import stored %d events", len(want))
			}

			if code, out, errOut := on(mapped, "mapping", "import", "--town", "青山镇", filepath.Join(dir, "mapping.json")); code != 0 ||
				!strings.Contains(out, "已导入映射“网格E通事件导出”") {
				t.Fatalf("mapping import: %d %s%s", code, out, errOut)
			}
			// A town the store has not: refused, naming those it has, and
			// nothing saved.
			if code, _, errOut := on(mapped, "mapping", "import", "--town", "不存在镇", filepath.Join(dir, "mapping.json")); code != 1 ||
				!strings.Contains(errOut, "没有镇街“不存在镇”。已有的镇街：青山镇") {
				t.Errorf("mapping import --town 不存在镇: exit %d\n%s", code, errOut)
			}
			if _, out, _ := on(mapped, "mapping", "list", "--town", "不存在镇"); strings.Contains(out, "不存在镇/") {
				t.Errorf("a mapping was saved for a town the store has not:\n%s", out)
			}
			code, out, errOut := on(mapped, "import", "--mapping", "网格E通事件导出", export)
			if code != 0 || !strings.Contains(out, "网格E通事件导出20231008.csv 按映射“网格E通事件导出”读取") || !strings.Contains(out, "事件 3 条：新增 3") ||
				!strings.Contains(out, "网格E通事件导出20231008.csv 跳过合计行（第 5 行）") {
				t.Fatalf("import --mapping: %d %s%s", code, out, errOut)
			}
			if got := storedEvents(t, mapped); !reflect.DeepEqual(got, want) {
				t.Errorf("import --mapping stored\n%+v\nthe DATA.md import\n%+v", got, want)
			}

			// Handed on as a file to another store: the same.
			file := filepath.Join(t.TempDir(), "m.json")
			if code, out, errOut := on(mapped, "mapping", "export", "--town", "青山镇", "--out", file, "网格E通事件导出"); code != 0 {
				t.Fatalf("mapping export: %s%s", out, errOut)
			}
			if code, out, errOut := on(other, "mapping", "import", "--town", "青山镇", file); code != 0 {
				t.Fatalf("mapping import elsewhere: %s%s", out, errOut)
			}
			if code, out, errOut := on(other, "import", "--mapping", "青山镇/网格E通事件导出", export); code != 0 {
				t.Fatalf("import --mapping elsewhere: %s%s", out, errOut)
			}
			if got := storedEvents(t, other); !reflect.DeepEqual(got, want) {
				t.Errorf("the mapping handed on stored\n%+v\nwant\n%+v", got, want)
			}
			if code, out, _ := on(other, "mapping", "list", "--town", "青山镇"); code != 0 || !strings.Contains(out, "青山镇/网格E通事件导出  事件  9 列，读取 6 列") {
				t.Errorf("mapping list:\n%s", out)
			}

			// A value the mapping lacks: nothing written, the row named.
			code, _, errOut = on(other, "import", "--mapping", file, filepath.Join(dir, "bad.csv"))
			if code != 1 || !strings.Contains(errOut, `bad.csv:3: 办理状态（办理方式，flow）: 值 "自行处理" 不在映射“网格E通事件导出”中`) {
				t.Errorf("a value the mapping lacks: exit %d\n%s", code, errOut)
			}
			// An unknown mapping is named.
			if code, _, errOut := on(other, "import", "--mapping", "没有的映射", export); code != 1 || !strings.Contains(errOut, "没有名为“没有的映射”的导入映射") {
				t.Errorf("an unknown mapping: exit %d\n%s", code, errOut)
			}
		})
	}
}

// The import's usage names --mapping.
func TestImportUsageNamesMapping(t *testing.T) {
	_, _, errOut := run(t, filepath.Join(t.TempDir(), "x.db"), "import", "-h")
	if !strings.Contains(errOut, "--mapping") {
		t.Errorf("import -h:\n%s", errOut)
	}
}
