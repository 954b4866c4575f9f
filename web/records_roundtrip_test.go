package web_test

import (
	"context"
	"html"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// fullForms are, per hand kind, a form filling every field (the optional
// ones too), as a town's center types it.
var fullForms = map[string]url.Values{
	"findings": {"finding_id": {"RT-F1"}, "worker_id": {"QS002"}, "kind": {string(gs.FindingLostControl)}, "occurred_on": {"2023-09-20"},
		"count": {"2"}, "note": {"第一行 <b>\n第二行 & \"引号\""}, "evidence": {"照片 2 张"}},
	"quiz": {"quiz_id": {"RT-Q1"}, "worker_id": {"QS002"}, "taken_on": {"2023-09-20"}, "wrong_answers": {"2"}},
	"meetings": {"meeting_id": {"RT-M1"}, "held_on": {"2023-09-20"}, "title": {"九月例会"}, "kind": {"例会"},
		"att:QS002": {string(gs.StatusLeave)}},
	"leaves":   {"worker_id": {"QS002"}, "from": {"2023-09-25"}, "to": {"2023-09-26"}, "leave_reason": {"事假"}},
	"calendar": {"date": {"2023-12-30"}, "kind": {string(gs.DayWorkday)}, "name": {"元旦调休"}},
}

// TestRecordFormRoundTrip: on each engine, a record of every hand kind
// typed in its form with every field filled is stored with every field;
// its edit form shows every value, and posting that form back as a
// browser would (with a reason) leaves the stored record unchanged. A
// field the edit form dropped would be wiped by the save.
func TestRecordFormRoundTrip(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *fixture) {
		staff := f.login("staff")
		ctx := context.Background()
		for _, kind := range app.HandKinds {
			form, ok := fullForms[kind]
			if !ok {
				t.Errorf("%s: no full form in fullForms", kind)
				continue
			}
			loc := f.mustSave(staff, "/records/"+kind, form)
			rec := strings.TrimSuffix(loc, "?saved=1")
			key := strings.Split(mustUnescape(t, strings.TrimPrefix(rec, "/records/"+kind+"/")), "/")
			before, err := f.db.Record(ctx, kind, key...)
			if err != nil {
				t.Fatalf("%s: stored: %v", kind, err)
			}
			for _, field := range emptyFields(before) {
				t.Errorf("%s: the full form stored no %s: %+v", kind, field, before)
			}
			_, page := f.get(rec, staff)
			again := browserPost(formOf(page, "record-form"))
			again.Set("reason", "复核")
			f.mustSave(staff, rec, again)
			after, err := f.db.Record(ctx, kind, key...)
			if err != nil {
				t.Fatalf("%s: stored after the edit form: %v", kind, err)
			}
			if !reflect.DeepEqual(before, after) {
				t.Errorf("%s: the edit form posted back changed the record:\n before %+v\n after  %+v\n posted %v", kind, before, after, again)
			}
		}
	})
}

func mustUnescape(t *testing.T, s string) string {
	t.Helper()
	u, err := url.PathUnescape(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// emptyFields names the fields left zero in the records of recs.
func emptyFields(recs *gs.Records) []string {
	var out []string
	v := reflect.ValueOf(recs).Elem()
	for i := range v.NumField() {
		list := v.Field(i)
		if list.Kind() != reflect.Slice {
			continue
		}
		for j := range list.Len() {
			r := list.Index(j)
			for k := range r.NumField() {
				if r.Field(k).IsZero() {
					out = append(out, v.Type().Field(i).Name+"."+r.Type().Field(k).Name)
				}
			}
		}
	}
	return out
}

var (
	formInput    = regexp.MustCompile(`<input [^>]*>`)
	formSelect   = regexp.MustCompile(`(?s)<select [^>]*name="([^"]+)"[^>]*>(.*?)</select>`)
	formSelected = regexp.MustCompile(`<option value="([^"]*)" selected>`)
	formTextarea = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
	attr         = regexp.MustCompile(` (name|value|type)="([^"]*)"`)
)

// browserPost returns what a browser posts for form as shown: every named
// input (read-only ones too, not files or unticked boxes), the selected
// option of each select and the text of each textarea.
func browserPost(form string) url.Values {
	out := url.Values{}
	for _, in := range formInput.FindAllString(form, -1) {
		a := map[string]string{}
		for _, m := range attr.FindAllStringSubmatch(in, -1) {
			a[m[1]] = html.UnescapeString(m[2])
		}
		if a["name"] == "" || a["type"] == "file" || ((a["type"] == "checkbox" || a["type"] == "radio") && !strings.Contains(in, " checked")) {
			continue
		}
		out.Add(a["name"], a["value"])
	}
	for _, m := range formSelect.FindAllStringSubmatch(form, -1) {
		v := ""
		if s := formSelected.FindStringSubmatch(m[2]); s != nil {
			v = html.UnescapeString(s[1])
		}
		out.Add(m[1], v)
	}
	for _, m := range formTextarea.FindAllStringSubmatch(form, -1) {
		out.Add(m[1], html.UnescapeString(m[2]))
	}
	return out
}
