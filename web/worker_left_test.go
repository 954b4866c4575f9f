package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/demo"
)

// TestLeftWorkerIsMarked: QS019, who left on 2023-08-15, is marked
// 离职（2023-08-15） beside the name in the dashboard's ranking, in the
// workers list and on the worker's page; a worker still in post is not.
func TestLeftWorkerIsMarked(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	admin := f.login("admin")
	const mark = "离职（2023-08-15）"
	_, body := f.get("/towns/"+url.PathEscape(demo.TownName), admin)
	if row := rowOf(body[strings.Index(body, `id="ranking"`):], ">QS019</a>"); !strings.Contains(row, mark) {
		t.Errorf("the ranking's row of QS019 does not say %s:\n%s", mark, row)
	}
	if strings.Count(body, "离职（") != 1 {
		t.Errorf("the dashboard marks %d workers as left, want 1 (QS019)", strings.Count(body, "离职（"))
	}
	_, body = f.get("/workers", admin)
	if row := rowOf(body, ">QS019</a>"); !strings.Contains(row, mark) {
		t.Errorf("the workers list's row of QS019 does not say %s:\n%s", mark, row)
	}
	if row := rowOf(body, ">QS001</a>"); strings.Contains(row, "离职") {
		t.Errorf("QS001, in post, is marked as left:\n%s", row)
	}
	_, body = f.get("/workers/QS019", admin)
	h1 := body[strings.Index(body, "<h1>"):strings.Index(body, "</h1>")]
	if !strings.Contains(h1, mark) {
		t.Errorf("the page of QS019 does not say %s beside the name: %s", mark, h1)
	}
}
