package web_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/demo"
)

// TestOpenAPIRecordSchemasTakeChinese: a record whose closed sets are
// written in Chinese, as files write them ("type": "专职"), is valid by
// its kind's schema in the OpenAPI document, as the server takes it; and a
// value of none of them is refused by both. A client that validates what
// it sends against the document is not stopped from sending what the
// server accepts.
func TestOpenAPIRecordSchemasTakeChinese(t *testing.T) {
	f := newFixture(t)
	f.unlimited()
	c := newDocClient(t, f.handler, f.apiToken("全部", allKinds(), true))
	recs := demo.Town(1)
	var chinese, want []string // the kinds with a value in Chinese, those with a closed set
	for _, kind := range allKinds() {
		k := c.kinds[kind]
		values := csvfile.Values(kind, recs, 0)
		if _, ok := values["town"]; ok {
			values["town"] = demo.TownName
		}
		others := maps.Clone(values)
		var enums []string // the keys of closed sets, as the reader has them
		for _, col := range csvfile.Columns(kind) {
			if col.Type != csvfile.ValueEnum {
				continue
			}
			if !slices.Contains(want, kind) {
				want = append(want, kind)
			}
			if values[col.Key] != "" {
				enums = append(enums, col.Key)
				delete(others, col.Key)
			}
		}
		if len(enums) == 0 {
			continue
		}
		for key, p := range k.schema["properties"].(map[string]any) {
			prop := p.(map[string]any)
			if values, ok := prop["enum"].([]any); ok {
				codes, labels := prop["x-enum-codes"].([]any), prop["x-enum-descriptions"].([]any)
				if len(codes) != len(values) || len(labels) != len(values) {
					t.Errorf("%s.%s: %d values, %d codes, %d descriptions: the lists do not run alongside", kind, key, len(values), len(codes), len(labels))
				}
			}
		}
		rec := c.record(kind, others)
		for _, key := range enums {
			rec[key] = values[key] // the Chinese label, as the file holds it
		}
		chinese = append(chinese, kind)
		if errs := schemaErrors(k.schema, jsonValue(t, rec)); len(errs) > 0 {
			t.Errorf("%s %v: the document's schema refuses it: %v", kind, rec, errs)
		}
		if status, items := c.try(kind, rec); status != http.StatusOK {
			t.Errorf("%s %v: status %d %v, want taken", kind, rec, status, items)
		}
		rec[enums[0]] = "其他"
		if errs := schemaErrors(k.schema, jsonValue(t, rec)); len(errs) == 0 {
			t.Errorf("%s.%s = 其他: the document's schema takes it", kind, enums[0])
		}
		if status, items := c.try(kind, rec); status != http.StatusUnprocessableEntity || !names(items, enums[0]) {
			t.Errorf("%s.%s = 其他: status %d %v, want refused", kind, enums[0], status, items)
		}
	}
	if !slices.Equal(chinese, want) {
		t.Errorf("the kinds with a value in Chinese are %v, want every kind with a closed set %v", chinese, want)
	}
}

// jsonValue is v as a JSON decoder gives it back.
func jsonValue(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// schemaErrors validates v against an OpenAPI 3.0 schema of the keywords
// the record schemas use, and reports each keyword it does not know, so
// that it never passes a value it did not check.
func schemaErrors(schema map[string]any, v any) []string {
	var errs []string
	add := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if v == nil {
		if schema["nullable"] != true {
			add("null where the schema is not nullable")
		}
		return errs
	}
	for kw, want := range schema {
		switch kw {
		case "title", "description", "example", "nullable", "required", "additionalProperties":
		case "type":
			if !hasType(v, want.(string)) {
				add("%v is not of type %s", v, want)
			}
		case "enum":
			if !slices.Contains(want.([]any), v) {
				add("%v is not one of %v", v, want)
			}
		case "minLength", "maxLength":
			s, ok := v.(string)
			n := int(want.(float64))
			if ok && (kw == "minLength" && utf8.RuneCountInString(s) < n || kw == "maxLength" && utf8.RuneCountInString(s) > n) {
				add("%q breaks %s %d", s, kw, n)
			}
		case "multipleOf":
			if x, ok := v.(float64); ok {
				if q := x / want.(float64); math.Abs(q-math.Round(q)) > 1e-9 {
					add("%v is not a multiple of %v", x, want)
				}
			}
		case "properties":
			obj, _ := v.(map[string]any)
			props := want.(map[string]any)
			for key, value := range obj {
				p, ok := props[key]
				switch {
				case ok:
					for _, e := range schemaErrors(p.(map[string]any), value) {
						add("%s: %s", key, e)
					}
				case schema["additionalProperties"] == false:
					add("%s is not a property of the schema", key)
				}
			}
			for _, r := range schema["required"].([]any) {
				if _, ok := obj[r.(string)]; !ok {
					add("the required %s is missing", r)
				}
			}
		default:
			if !strings.HasPrefix(kw, "x-") {
				add("the validator does not know %s", kw)
			}
		}
	}
	return errs
}

// hasType reports whether v, as encoding/json decodes it, is of the JSON
// schema type typ.
func hasType(v any, typ string) bool {
	switch x := v.(type) {
	case string:
		return typ == "string"
	case bool:
		return typ == "boolean"
	case float64:
		return typ == "number" || typ == "integer" && x == math.Trunc(x)
	case map[string]any:
		return typ == "object"
	}
	return false
}
