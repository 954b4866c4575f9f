package web_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/web"
)

// TestOpenAPIRoutes holds the OpenAPI document against the routes both
// ways: every route of the table is documented, every documented route
// and method is answered by its handler (not 404, not 405), and paths and
// methods the document does not name are not.
func TestOpenAPIRoutes(t *testing.T) {
	f := newFixture(t)
	c := newDocClient(t, f.handler, f.apiToken("全部", allKinds(), true))
	if v, _ := c.doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Fatalf("openapi = %q, want 3.x", v)
	}
	documented := map[[2]string]bool{}
	for path, item := range c.doc["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented[[2]string{strings.ToUpper(method), path}] = true
		}
	}
	table := web.APIRouteTable(f.server)
	for _, rt := range table {
		if !documented[rt] {
			t.Errorf("route %s %s is not in the document", rt[0], rt[1])
		}
	}
	if len(table) != len(documented) {
		t.Errorf("%d routes, %d documented", len(table), len(documented))
	}
	concrete := strings.NewReplacer("{quarter}", "2023Q3", "{worker_id}", "QS001")
	for rt := range documented {
		var body []byte
		if rt[0] == "POST" {
			body = []byte("[]")
		}
		res, out := c.send(rt[0], concrete.Replace(rt[1]), body)
		if res.StatusCode == http.StatusMethodNotAllowed || strings.Contains(string(out), "没有这个接口地址") {
			t.Errorf("documented %s %s: status %d\n%.300s", rt[0], rt[1], res.StatusCode, out)
		}
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("documented %s %s: not JSON", rt[0], rt[1])
		}
		// The other method of a documented path is not answered.
		other := map[string]string{"GET": "POST", "POST": "GET"}[rt[0]]
		if !documented[[2]string{other, rt[1]}] {
			if res, _ := c.send(other, concrete.Replace(rt[1]), nil); res.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("undocumented %s %s: status %d, want 405", other, rt[1], res.StatusCode)
			}
		}
	}
	for _, path := range []string{"/api/v1", "/api/v1/", "/api/v1/records", "/api/v1/records/tasks", "/api/v1/quarters/2023Q3",
		"/api/v1/quarters/2023Q3/workers", "/api/v1/openapi.yaml"} {
		if res, out := c.send("GET", path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("undocumented GET %s: status %d, want 404\n%.200s", path, res.StatusCode, out)
		}
	}
}

// TestOpenAPIRecords holds each kind's schema in the document against the
// reader of the kind's files (csvfile), and against what the API does: a
// record the document describes is taken; one without a key the document
// requires is refused naming that key; every value of a closed set the
// document lists is taken; a key it does not list is refused.
func TestOpenAPIRecords(t *testing.T) {
	f := newFixture(t)
	f.unlimited()
	c := newDocClient(t, f.handler, f.apiToken("全部", allKinds(), true))
	recs := demo.Town(1)
	for _, kind := range allKinds() {
		k := c.kinds[kind]
		if k == nil {
			t.Errorf("%s: no route in the document", kind)
			continue
		}
		cols := csvfile.Columns(kind)
		var keys, required []string
		for _, col := range cols {
			keys = append(keys, col.Key)
			if col.Required {
				required = append(required, col.Key)
			}
			field, ok := k.fields[col.Key]
			if !ok {
				continue
			}
			wantType := map[csvfile.ValueType]string{csvfile.ValueBool: "boolean", csvfile.ValueInteger: "integer",
				csvfile.ValueMoney: "number"}[col.Type]
			if wantType == "" {
				wantType = "string"
			}
			if field.typ != wantType {
				t.Errorf("%s.%s: type %q in the document, the reader reads %s", kind, col.Key, field.typ, col.Type)
			}
			var codes []string
			for _, v := range col.Values {
				codes = append(codes, v.Code)
			}
			var documented []string
			for label, code := range field.codes {
				if label == code {
					documented = append(documented, code)
				}
			}
			sort.Strings(codes)
			sort.Strings(documented)
			if !slices.Equal(codes, documented) {
				t.Errorf("%s.%s: values %v in the document, the reader takes %v", kind, col.Key, documented, codes)
			}
		}
		var docKeys []string
		for key := range k.fields {
			docKeys = append(docKeys, key)
		}
		sort.Strings(docKeys)
		sort.Strings(keys)
		if !slices.Equal(docKeys, keys) {
			t.Errorf("%s: keys %v in the document, the reader's columns %v", kind, docKeys, keys)
		}
		if !slices.Equal(k.required, required) {
			t.Errorf("%s: required %v in the document, the reader requires %v", kind, k.required, required)
		}
		if k.schema["additionalProperties"] != false {
			t.Errorf("%s: the document allows keys it does not name", kind)
		}

		values := csvfile.Values(kind, recs, 0)
		if values == nil {
			t.Errorf("%s: the demo town has no record of the kind", kind)
			continue
		}
		if _, ok := values["town"]; ok {
			values["town"] = demo.TownName // the district's rows are not a town's to write
		}
		sample := c.record(kind, values)
		if status, items := c.try(kind, sample); status != http.StatusOK {
			t.Errorf("%s: a record as the document describes it: status %d %v", kind, status, items)
			continue
		}
		for _, key := range required {
			without := clone(sample)
			delete(without, key)
			if status, items := c.try(kind, without); status != http.StatusUnprocessableEntity || !names(items, key) {
				t.Errorf("%s without the required %s: status %d, items %v", kind, key, status, items)
			}
		}
		for key, field := range k.fields {
			for label, code := range field.codes {
				if label != code {
					continue
				}
				with := clone(sample)
				with[key] = code
				if status, items := c.try(kind, with); names(items, key) {
					t.Errorf("%s.%s = %q, a value the document lists: status %d, items %v", kind, key, code, status, items)
				}
			}
		}
		with := clone(sample)
		with["remark"] = "x"
		if status, items := c.try(kind, with); status != http.StatusUnprocessableEntity || !names(items, "remark") {
			t.Errorf("%s with a key the document does not list: status %d, items %v", kind, status, items)
		}
	}
}

// try pushes one record of kind and returns the status and the items of
// an error.
func (c *docClient) try(kind string, rec map[string]any) (int, []web.APIItemError) {
	c.t.Helper()
	body, err := json.Marshal([]any{rec})
	if err != nil {
		c.t.Fatal(err)
	}
	res, out := c.send("POST", c.kinds[kind].path, body)
	var e web.APIErrorBody
	json.Unmarshal(out, &e)
	return res.StatusCode, e.Items
}

// names reports whether an item's problem is with key (alone, or as part
// of a key of several).
func names(items []web.APIItemError, key string) bool {
	for _, it := range items {
		if slices.Contains(strings.Split(it.Field, "+"), key) {
			return true
		}
	}
	return false
}

func clone(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestAPIKindsAreTheReaders: the kinds the API writes are the reader's,
// in DATA.md order.
func TestAPIKindsAreTheReaders(t *testing.T) {
	var names []string
	for _, fm := range csvfile.Formats() {
		names = append(names, fm.Name)
	}
	if got := allKinds(); !slices.Equal(got, names) {
		t.Errorf("API kinds %v, the reader's %v", got, names)
	}
	var platform []string
	for _, k := range app.APIKinds() {
		if k.Platform {
			platform = append(platform, k.Name)
		}
	}
	if want := []string{"events", "logins", "patrols", "leaves", "register", "rosters", "visits", "ballots"}; !slices.Equal(platform, want) {
		t.Errorf("platform kinds %v, want %v", platform, want)
	}
}
