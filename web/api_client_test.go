package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docClient is a client of the API written from its OpenAPI document
// alone: it learns from GET /api/v1/openapi.json where each kind's records
// go and how each key of a record is typed (its title, type, and the codes
// of a closed set with their Chinese labels), turns the rows of DATA.md
// files (Chinese headers and values, as people and csvfile write them)
// into those JSON records, and pushes them in batches.
type docClient struct {
	t       *testing.T
	handler http.Handler
	token   string
	doc     map[string]any
	// kinds, by the last segment of the path records are pushed to.
	kinds map[string]*docKind
}

// docKind is what the document says of one kind's records.
type docKind struct {
	path     string
	schema   map[string]any
	required []string
	// fields by key, and keys by Chinese title.
	fields  map[string]docField
	byTitle map[string]string
}

// docField is one key of a record: its JSON type, and for a closed set
// its codes by code and by Chinese label.
type docField struct {
	typ   string
	codes map[string]string
}

// newDocClient reads the document from handler and knows nothing else of
// the server.
func newDocClient(t *testing.T, handler http.Handler, token string) *docClient {
	t.Helper()
	c := &docClient{t: t, handler: handler, token: token, kinds: map[string]*docKind{}}
	res, body := c.send("GET", "/api/v1/openapi.json", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("openapi.json: status %d\n%s", res.StatusCode, body)
	}
	if err := json.Unmarshal(body, &c.doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	schemas := dig(c.doc, "components", "schemas").(map[string]any)
	for path, item := range c.doc["paths"].(map[string]any) {
		post, ok := item.(map[string]any)["post"].(map[string]any)
		if !ok {
			continue
		}
		items := dig(post, "requestBody", "content", "application/json", "schema", "items").(map[string]any)
		name := strings.TrimPrefix(items["$ref"].(string), "#/components/schemas/")
		schema := schemas[name].(map[string]any)
		k := &docKind{path: path, schema: schema, fields: map[string]docField{}, byTitle: map[string]string{}}
		for _, r := range schema["required"].([]any) {
			k.required = append(k.required, r.(string))
		}
		for key, p := range schema["properties"].(map[string]any) {
			prop := p.(map[string]any)
			f := docField{typ: prop["type"].(string)}
			if values, ok := prop["enum"].([]any); ok {
				f.codes = map[string]string{}
				codes := prop["x-enum-codes"].([]any)
				for i, v := range values {
					if v != nil {
						f.codes[v.(string)] = codes[i].(string)
					}
				}
			}
			k.fields[key] = f
			k.byTitle[prop["title"].(string)] = key
		}
		c.kinds[path[strings.LastIndex(path, "/")+1:]] = k
	}
	return c
}

// dig follows keys into nested objects of a decoded document.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v
}

// send makes a request of the API with the client's token.
func (c *docClient) send(method, path string, body []byte) (*http.Response, []byte) {
	c.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := httptest.NewRecorder()
	c.handler.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	return res, out
}

// record turns the values of a record of kind (by key, as a file holds
// them: Chinese labels, 是/否, digits) into its JSON object; an empty
// value is left out.
func (c *docClient) record(kind string, values map[string]string) map[string]any {
	c.t.Helper()
	k := c.kinds[kind]
	out := map[string]any{}
	for key, v := range values {
		f, ok := k.fields[key]
		if !ok {
			c.t.Fatalf("%s: the document has no key %q", kind, key)
		}
		if v == "" {
			continue
		}
		switch {
		case f.codes != nil:
			code, ok := f.codes[v]
			if !ok {
				c.t.Fatalf("%s.%s: %q is none of the document's values", kind, key, v)
			}
			out[key] = code
		case f.typ == "boolean":
			out[key] = v == "是" || v == "true" || v == "1"
		case f.typ == "integer" || f.typ == "number":
			out[key] = json.Number(v)
		default:
			out[key] = v
		}
	}
	return out
}

// fileRecords reads a DATA.md CSV file of kind (Chinese headers) into
// values by key, each header named by the document's title of a key.
func (c *docClient) fileRecords(path, kind string) []map[string]string {
	c.t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		c.t.Fatal(err)
	}
	k := c.kinds[kind]
	var out []map[string]string
	for _, row := range rows[1:] {
		values := map[string]string{}
		for i, title := range rows[0] {
			key, ok := k.byTitle[title]
			if !ok {
				c.t.Fatalf("%s: the document names no key %q", filepath.Base(path), title)
			}
			values[key] = row[i]
		}
		out = append(out, values)
	}
	return out
}

// push sends the records of kind in batches of size and returns the
// answers, failing the test on any that is not 200.
func (c *docClient) push(kind string, recs []map[string]any, size int) []map[string]int64 {
	c.t.Helper()
	var answers []map[string]int64
	for len(recs) > 0 {
		n := min(size, len(recs))
		body, err := json.Marshal(recs[:n])
		if err != nil {
			c.t.Fatal(err)
		}
		recs = recs[n:]
		res, out := c.send("POST", c.kinds[kind].path, body)
		if res.StatusCode != http.StatusOK {
			c.t.Fatalf("push %s: status %d\n%.1000s", kind, res.StatusCode, out)
		}
		var a map[string]any
		if err := json.Unmarshal(out, &a); err != nil {
			c.t.Fatal(err)
		}
		counts := map[string]int64{}
		for _, key := range []string{"received", "inserted", "updated", "unchanged"} {
			counts[key] = int64(a[key].(float64))
		}
		answers = append(answers, counts)
	}
	return answers
}

// String names the counts of an answer.
func countsText(a map[string]int64) string {
	return fmt.Sprintf("received %d, inserted %d, updated %d, unchanged %d", a["received"], a["inserted"], a["updated"], a["unchanged"])
}
