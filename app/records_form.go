package app

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// The records a town's center enters by hand: findings (with evidence),
// spot checks of the handbook (应知应会, the quiz kind), meetings with their
// attendance, leave and calendar days. A form is read as the import reads
// a file (csvfile: the same columns, values and messages, and the record's
// own Validate), its references
// are checked as an import checks them, and it is written with its audit
// entry in one transaction. A record of a finalized quarter may still be
// changed (RULES.md §8): the finalized snapshot does not change, and the
// audit entry says so.

// handKind is what a kind entered by hand adds to its columns (csvfile's,
// by key: the form's fields, labels, required fields and key are the
// file's): the letters of the ids given to new records left without one
// ("" when the key is always typed), and the date field whose year the
// id carries. The letters are the town's own (核查 HC, 抽查 CC, 会议 HY):
// a new finding of 2023 is HC2023-014 when HC2023-013 is the last.
type handKind struct {
	idPrefix, yearField string
}

var handKinds = map[string]handKind{
	"findings": {"HC", "occurred_on"},
	"quiz":     {"CC", "taken_on"},
	"meetings": {"HY", "held_on"},
	"leaves":   {"", ""},
	"calendar": {"", ""},
}

// HandKinds lists the kinds entered by hand, in the order of the forms.
var HandKinds = []string{"findings", "quiz", "meetings", "leaves", "calendar"}

// townOwned reports whether the rows of kind name their own town (DATA.md
// §1: meetings and calendar days; "" is the district's), rather than
// belonging to the town of the worker they name.
func townOwned(kind string) bool { return kind == "meetings" || kind == "calendar" }

// CanEnter reports whether u enters records of a hand kind by hand: a
// town's center every hand kind, for its own town; the district meetings
// and calendar days, of the district or of any town (DATA.md §1).
func CanEnter(u *gs.User, kind string) bool {
	if _, ok := handKinds[kind]; !ok || u == nil {
		return false
	}
	return runsTown(u, u.Town) || u.Role == gs.RoleDistrict && townOwned(kind)
}

// mayEnter refuses u the entry of kind by hand (CanEnter).
func mayEnter(u *gs.User, kind string) error {
	if CanEnter(u, kind) {
		return nil
	}
	if u != nil && u.Role == gs.RoleDistrict {
		return gs.Errorf(gs.EFORBIDDEN, "区中心只能录入会议和工作日历，其他记录由各镇街中心录入。")
	}
	return gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心的管理员和工作人员可以进行此操作。")
}

// HandField is a field of a hand kind's form: a column of the kind's file,
// named by its key and labelled by its Chinese header.
type HandField struct {
	// Key is the column's DATA.md key (worker_id), Title its header (工号).
	Key, Title string
	// Required is set when the form must fill it (not an id given to a new
	// record left without one).
	Required bool
	// InKey is set when it names the record (fixed once stored); the key's
	// fields come in the order of the record's key.
	InKey bool
	// AutoID is set on the id a new record left without one is given.
	AutoID bool
	// MaxLength is the most characters the record's Validate takes in
	// it (gs.MaxLength; 0: no limit of its own).
	MaxLength int
}

// HandFields returns the fields of a hand kind's form in the order of the
// kind's columns (nil for a kind not entered by hand).
func HandFields(kind string) []HandField {
	h, ok := handKinds[kind]
	if !ok {
		return nil
	}
	cols := csvfile.Columns(kind)
	out := make([]HandField, len(cols))
	for i, c := range cols {
		auto := h.idPrefix != "" && i == 0 && c.InKey
		out[i] = HandField{Key: c.Key, Title: c.Title, Required: c.Required && !auto, InKey: c.InKey, AutoID: auto,
			MaxLength: gs.MaxLength(kind, c.Key)}
	}
	return out
}

// handKeys returns the keys of a hand kind's fields and, of them, those of
// the fields naming the record.
func handKeys(kind string) (fields, key []string) {
	for _, f := range HandFields(kind) {
		fields = append(fields, f.Key)
		if f.InKey {
			key = append(key, f.Key)
		}
	}
	return fields, key
}

// RecordEdit is a record entered or changed by hand, as typed.
type RecordEdit struct {
	Kind string
	// Key names the stored record changed; nil for a new record.
	Key []string
	// Values holds the typed values by field (HandFields).
	Values map[string]string
	// Attendance holds, for a meeting, the status typed per worker id
	// ("" = not recorded).
	Attendance map[string]string
	// Reason says why (required to change a stored record).
	Reason string
	// Files are evidence uploaded with a finding; RemoveFiles the ids of
	// its stored files to delete.
	Files       []EvidenceUpload
	RemoveFiles []int64
}

// FormName is the name of a record's field in a hand kind's form and in
// FormError.Fields: its key, but a leave's own "reason" (事由) is named
// leave_reason, so that it does not collide with the reason for the change
// that ends every form.
func FormName(kind, field string) string {
	if kind == "leaves" && field == "reason" {
		return "leave_reason"
	}
	return field
}

// FormError is what is wrong with a form: a message per field (a field of
// HandFields by its FormName, "reason", "evidence_file" or
// "att:<worker id>") and one for the whole form.
type FormError struct {
	Message string
	Fields  map[string]string
}

func (e *FormError) Error() string {
	if e.Message != "" {
		return e.Message
	}
	return "表单有误，请按提示修改后重新提交。"
}

// As lets gs.ErrorCode and gs.ErrorMessage treat a FormError as invalid
// input.
func (e *FormError) As(target any) bool {
	if t, ok := target.(**gs.Error); ok {
		*t = &gs.Error{Code: gs.EINVALID, Message: e.Error()}
		return true
	}
	return false
}

// add keeps the first message of each field.
func (e *FormError) add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

func (e *FormError) empty() bool { return e.Message == "" && len(e.Fields) == 0 }

// SaveRecord writes a record entered or changed by hand by a town's center
// and returns its key. A form with mistakes writes nothing and returns a
// *FormError.
func (s *Service) SaveRecord(ctx context.Context, u *gs.User, e *RecordEdit) ([]string, error) {
	h, ok := handKinds[e.Kind]
	if !ok {
		return nil, gs.Errorf(gs.ENOTFOUND, "这类记录不能在网页上录入。")
	}
	if err := mayEnter(u, e.Kind); err != nil {
		return nil, err
	}
	fields, keyFields := handKeys(e.Kind)
	values := map[string]string{}
	for _, f := range fields {
		values[f] = gs.TrimText(e.Values[f])
	}
	fe := &FormError{}
	reason := gs.TrimText(e.Reason)
	if e.Key != nil {
		if _, err := s.editable(ctx, u, e.Kind, e.Key); err != nil {
			return nil, err
		}
		for i, k := range e.Key {
			values[keyFields[i]] = k
		}
		if reason == "" {
			fe.add("reason", "请填写修改原因。")
		}
	}
	if townOwned(e.Kind) {
		if err := s.formTown(ctx, u, e.Kind, values, fe); err != nil {
			return nil, err
		}
	}
	auto := e.Key == nil && h.idPrefix != "" && values[keyFields[0]] == ""
	if err := checkReason(reason, "原因"); err != nil {
		fe.add("reason", gs.ErrorMessage(err))
	}
	// A new id is the next free number; one taken by a save at the same
	// moment is passed over.
	for try := 0; ; try++ {
		if auto {
			id, err := s.nextRecordID(ctx, e.Kind, h, values)
			if err != nil {
				return nil, err
			}
			values[keyFields[0]] = id
		}
		key, err := s.saveRecord(ctx, u, e, fields, keyFields, values, reason, fe)
		var exists *store.ExistsError
		if auto && try < 5 && errors.As(err, &exists) {
			continue
		}
		if errors.As(err, &exists) {
			fe.add(keyFields[0], exists.Error())
			return nil, fe
		}
		return key, err
	}
}

// saveRecord reads the form's values (its id set) and writes the record,
// for SaveRecord; a record whose key is taken returns *store.ExistsError.
func (s *Service) saveRecord(ctx context.Context, u *gs.User, e *RecordEdit, fields, keyFields []string,
	values map[string]string, reason string, fe *FormError) ([]string, error) {
	attendance := e.Attendance
	if u.Role == gs.RoleDistrict {
		attendance = nil // each town's center records its workers' attendance
	}
	recs := s.readForm(ctx, u, e.Kind, fields, values, attendance, fe)
	files := checkUploads(e.Files, fe)
	if !fe.empty() {
		return nil, fe
	}
	key := RecordKeys(e.Kind, recs)[0] // as stored: a date typed 2023/9/4 is 2023-09-04
	now := s.now()
	ch := store.RecordChange{Put: recs, New: e.Key == nil}
	if e.Kind == "meetings" && e.Key != nil && u.Role != gs.RoleDistrict {
		ch.Drop = []store.RecordKey{{Kind: "attendance", Key: key}}
	}
	for _, f := range files {
		f.FindingID, f.UploadedBy, f.UploadedAt = key[0], Actor(ctx), now
		ch.Evidence = append(ch.Evidence, f)
	}
	if e.Key != nil && e.Kind == "findings" {
		remove := slices.Clone(e.RemoveFiles)
		slices.Sort(remove)
		for _, id := range slices.Compact(remove) { // a file ticked twice is removed once
			ch.DropFiles = append(ch.DropFiles, gs.Evidence{ID: id, FindingID: key[0]})
		}
	}
	action := gs.AuditRecordCreated
	if e.Key != nil {
		action = gs.AuditRecordUpdated
	}
	detail, err := s.recordDetail(ctx, u, e.Kind, recs, reason, len(files), len(ch.DropFiles))
	if err != nil {
		return nil, err
	}
	err = s.DB.ChangeRecords(ctx, ch, gs.AuditEntry{At: now, Username: Actor(ctx), Action: action,
		Object: recordObject(e.Kind, key, recs), Detail: detail})
	return key, err
}

// formTown checks the town of a meeting or calendar day typed by u into
// values (DATA.md §1): a town's center writes its own town's rows only
// (an empty town is filled in with it, as its form does); the district
// writes the district's ("" = 全区) or a town's. Problems go into fe.
func (s *Service) formTown(ctx context.Context, u *gs.User, kind string, values map[string]string, fe *FormError) error {
	town := values["town"]
	if u.Role != gs.RoleDistrict {
		switch town {
		case "":
			values["town"] = u.Town
		case u.Town:
		default:
			fe.add("town", "镇街 "+strconv.Quote(town)+" 不是您所在的"+u.Town+"：只能录入本镇街的"+gs.KindName[kind])
		}
		return nil
	}
	if town == "" {
		return nil
	}
	towns, err := s.DB.Towns(ctx)
	if err != nil {
		return err
	}
	if !slices.Contains(towns, town) {
		fe.add("town", "没有镇街 "+strconv.Quote(town)+"：请选择“全区”或一个镇街")
	}
	return nil
}

// DeleteRecord deletes a record entered by hand (a meeting with its
// attendance, a finding with its evidence), for a town's center, with a
// reason.
func (s *Service) DeleteRecord(ctx context.Context, u *gs.User, kind string, key []string, reason string) error {
	if _, ok := handKinds[kind]; !ok {
		return gs.Errorf(gs.ENOTFOUND, "这类记录不能在网页上删除。")
	}
	if err := mayEnter(u, kind); err != nil {
		return err
	}
	old, err := s.editable(ctx, u, kind, key)
	if err != nil {
		return err
	}
	reason, err = needText(reason, "删除原因")
	if err != nil {
		return &FormError{Fields: map[string]string{"reason": gs.ErrorMessage(err)}}
	}
	ch := store.RecordChange{Delete: []store.RecordKey{{Kind: kind, Key: key}}}
	switch kind {
	case "meetings":
		ch.Drop = []store.RecordKey{{Kind: "attendance", Key: key}}
		if old.Attendance, err = s.DB.Attendance(ctx, key[0]); err != nil {
			return err
		}
	case "findings":
		ch.DropEvidence = key
	}
	detail, err := s.recordDetail(ctx, u, kind, old, reason, 0, 0)
	if err != nil {
		return err
	}
	return s.DB.ChangeRecords(ctx, ch, gs.AuditEntry{At: s.now(), Username: Actor(ctx), Action: gs.AuditRecordDeleted,
		Object: recordObject(kind, key, old), Detail: detail})
}

// readForm reads the form's values as the import reads a row of the kind's
// file (and, for a meeting, its attendance as rows of attendance.csv), the
// record checking itself (its Validate), and checks the workers named as
// the import checks references, and that they are the town's. Problems go
// into fe.
func (s *Service) readForm(ctx context.Context, u *gs.User, kind string, fields []string, values, attendance map[string]string, fe *FormError) *gs.Records {
	l := csvfile.NewLoader()
	l.AddValues(kind, formValues(fields, values))
	var attWorkers []string // the worker of each attendance row, in order
	if kind == "meetings" {
		for _, id := range slices.Sorted(maps.Keys(attendance)) {
			if st := strings.TrimSpace(attendance[id]); st != "" {
				attWorkers = append(attWorkers, id)
				l.AddValues("attendance", map[string]string{"meeting_id": values["meeting_id"], "worker_id": id, "status": st})
			}
		}
	}
	report := func(err error) {
		var rep *csvfile.Report
		if !errors.As(err, &rep) {
			return
		}
		for _, p := range rep.Problems {
			field, _, _ := strings.Cut(p.Key, "+")
			field = FormName(kind, field)
			if p.File == "attendance.csv" && p.Row >= 2 && p.Row-2 < len(attWorkers) {
				field = "att:" + attWorkers[p.Row-2]
			}
			fe.add(field, p.Message)
		}
	}
	batch, readErr := l.Batch()
	report(readErr)
	recs := &batch.Records
	ids := workerIDsOf(recs)
	if readErr != nil && values["worker_id"] != "" {
		// The row could not be read, but its worker is checked all the
		// same, so that every mistake is shown at once.
		ids = []string{values["worker_id"]}
	}
	stored, err := s.DB.WorkersByID(ctx, ids)
	if err != nil {
		fe.Message = gs.ErrorMessage(err)
		return nil
	}
	var known csvfile.Known
	for _, w := range stored {
		if w.Town == u.Town {
			known.Workers = append(known.Workers, w.Worker)
		} else {
			fe.add("worker_id", "工号 "+strconv.Quote(w.ID)+" 不是本镇街的网格员")
		}
	}
	if readErr != nil {
		if len(ids) > 0 && len(stored) == 0 {
			fe.add("worker_id", "工号 "+strconv.Quote(ids[0])+" 没有对应的网格员")
		}
		return nil
	}
	report(batch.CheckReferences(known))
	return recs
}

// RecordKeys returns the key of each record of a hand kind in recs, in
// order, as it is stored and named in URLs (nil for the other kinds).
func RecordKeys(kind string, recs *gs.Records) [][]string {
	var keys [][]string
	switch kind {
	case "findings":
		for _, f := range recs.Findings {
			keys = append(keys, []string{f.ID})
		}
	case "quiz":
		for _, q := range recs.Quizzes {
			keys = append(keys, []string{q.ID})
		}
	case "meetings":
		for _, m := range recs.Meetings {
			keys = append(keys, []string{m.ID})
		}
	case "leaves":
		for _, l := range recs.Leaves {
			keys = append(keys, []string{l.WorkerID, l.From.String()})
		}
	case "calendar":
		for _, c := range recs.Calendar {
			keys = append(keys, []string{c.Date.String(), c.Town})
		}
	}
	return keys
}

// KeyPath is the text that names a record's key in its page's URL (as one
// path segment): its parts joined by "/", an empty last part left out, so
// that a district's calendar day is 2023-09-29 and a town's
// 2023-09-29/青山镇.
func KeyPath(key []string) string {
	return strings.TrimSuffix(strings.Join(key, "/"), "/")
}

// ParseKeyPath reads a KeyPath back into the key of a record of kind. A
// date part holds no "/": a leave (worker/from) is split at its last "/",
// a calendar day (date/town) at its first, and a missing last part is "".
func ParseKeyPath(kind, path string) []string {
	_, key := handKeys(kind)
	if len(key) != 2 {
		return []string{path}
	}
	i := strings.LastIndexByte(path, '/')
	if kind == "calendar" {
		i = strings.IndexByte(path, '/')
	}
	if i < 0 {
		return []string{path, ""}
	}
	return []string{path[:i], path[i+1:]}
}

// workerIDsOf returns the workers the hand-entered records of recs name.
func workerIDsOf(recs *gs.Records) []string {
	var ids []string
	for _, f := range recs.Findings {
		ids = append(ids, f.WorkerID)
	}
	for _, q := range recs.Quizzes {
		ids = append(ids, q.WorkerID)
	}
	for _, l := range recs.Leaves {
		ids = append(ids, l.WorkerID)
	}
	for _, a := range recs.Attendance {
		ids = append(ids, a.WorkerID)
	}
	return ids
}

// formValues returns the values of fields with a browser's line breaks
// (\r\n) as the import keeps them (\n): a form's record is stored as the same
// record imported from a file would be.
func formValues(fields []string, values map[string]string) map[string]string {
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		out[f] = strings.ReplaceAll(values[f], "\r\n", "\n")
	}
	return out
}

// nextRecordID returns the id of a new record entered by hand: the kind's
// letters, the year of its date (of today when the date is not typed as
// a year first), and one past the last number of that year, in three
// digits at least (HC2023-014).
func (s *Service) nextRecordID(ctx context.Context, kind string, h handKind, values map[string]string) (string, error) {
	year := s.now().In(gs.CST).Format("2006")
	if d := values[h.yearField]; len(d) >= 4 {
		if _, err := strconv.Atoi(d[:4]); err == nil {
			year = d[:4]
		}
	}
	prefix := h.idPrefix + year + "-"
	last, err := s.DB.LastNumber(ctx, kind, prefix)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s%03d", prefix, last+1), nil
}

// editable returns the stored record that u may change (mayChange).
func (s *Service) editable(ctx context.Context, u *gs.User, kind string, key []string) (*gs.Records, error) {
	old, err := s.DB.Record(ctx, kind, key...)
	if err != nil {
		return nil, err
	}
	town, err := s.townOf(ctx, kind, old)
	if err != nil {
		return nil, err
	}
	return old, s.mayChange(ctx, u, kind, key, town)
}

// townOf returns the town a stored record of kind belongs to: a meeting's
// or a calendar day's own ("" for the district's), else the town of the
// worker it names ("" when the worker is unknown).
func (s *Service) townOf(ctx context.Context, kind string, recs *gs.Records) (string, error) {
	switch {
	case kind == "meetings" && len(recs.Meetings) > 0:
		return recs.Meetings[0].Town, nil
	case kind == "calendar" && len(recs.Calendar) > 0:
		return recs.Calendar[0].Town, nil
	}
	return s.recordTown(ctx, recs)
}

// mayChange refuses u a change of the stored record of kind and key, which
// belongs to town (townOf): a town's center may change a record of its
// workers, a calendar day of its own, or a meeting of its own whose
// recorded attendance is all of its workers; the district any meeting or
// calendar day.
func (s *Service) mayChange(ctx context.Context, u *gs.User, kind string, key []string, town string) error {
	if townOwned(kind) && u.Role == gs.RoleDistrict {
		return nil
	}
	switch {
	case townOwned(kind) && town == "":
		return gs.Errorf(gs.EFORBIDDEN, "这是区中心设置的全区%s，只有区中心可以修改或删除。", gs.KindName[kind])
	case town != u.Town:
		return gs.Errorf(gs.EFORBIDDEN, "这条记录不属于本镇街，不能修改或删除。")
	case kind == "meetings":
		towns, err := s.DB.MeetingTowns(ctx, key[0])
		if err != nil {
			return err
		}
		for _, t := range towns {
			if t != u.Town {
				return gs.Errorf(gs.EFORBIDDEN, "这次会议记录了其他镇街网格员的考勤，本镇街不能修改或删除。")
			}
		}
	}
	return nil
}

// recordTown returns the town of the worker a record names ("" when the
// worker is unknown).
func (s *Service) recordTown(ctx context.Context, recs *gs.Records) (string, error) {
	ids := workerIDsOf(recs)
	if len(ids) == 0 {
		return "", nil
	}
	ws, err := s.DB.WorkersByID(ctx, ids[:1])
	if err != nil || len(ws) == 0 {
		return "", err
	}
	return ws[0].Town, nil
}

// recordObject names a record in the audit log: worker:<id>/<kind>:<key>
// for a worker's record (so that the town's audit page finds it),
// <kind>:<key> for a meeting or a calendar day (whose key, date/town,
// names a town's day).
func recordObject(kind string, key []string, recs *gs.Records) string {
	obj := kind + ":" + KeyPath(key)
	if ids := workerIDsOf(recs); len(ids) > 0 && kind != "meetings" {
		return "worker:" + ids[0] + "/" + obj
	}
	return obj
}

// recordDetail words a change for the audit log: the record's values in
// Chinese as the export writes them, the attendance counts of a meeting,
// the evidence files attached and removed, the reason, and whether a
// finalized quarter is concerned.
func (s *Service) recordDetail(ctx context.Context, u *gs.User, kind string, recs *gs.Records, reason string, added, removed int) (string, error) {
	var parts []string
	if header, rows, err := ChineseRows(kind, recs); err == nil && len(rows) > 0 {
		for i, h := range header {
			if rows[0][i] != "" {
				parts = append(parts, h+"："+rows[0][i])
			}
		}
	}
	detail := strings.Join(parts, "，")
	if kind == "meetings" && len(recs.Attendance) > 0 {
		n := map[gs.AttendanceStatus]int{}
		for _, a := range recs.Attendance {
			n[a.Status]++
		}
		detail += "；考勤：出席 " + strconv.Itoa(n[gs.StatusPresent]) + " 人，请假 " + strconv.Itoa(n[gs.StatusLeave]) +
			" 人，缺席 " + strconv.Itoa(n[gs.StatusAbsent]) + " 人"
	}
	if added > 0 {
		detail += "；附佐证文件 " + strconv.Itoa(added) + " 个"
	}
	if removed > 0 {
		detail += "；删除佐证文件 " + strconv.Itoa(removed) + " 个"
	}
	if reason != "" {
		detail += "；原因：" + reason
	}
	town := u.Town
	if u.Role == gs.RoleDistrict {
		var err error
		if town, err = s.townOf(ctx, kind, recs); err != nil {
			return "", err
		}
	}
	frozen, err := s.FrozenQuarters(ctx, town, RecordDates(recs)...)
	if err != nil {
		return "", err
	}
	if len(frozen) > 0 {
		detail += "；" + strings.Join(frozen, "、") + " 已定稿，定稿结果不随之改变"
	}
	return detail, nil
}

// RecordDates returns the dates that place the hand-entered records of
// recs in quarters.
func RecordDates(recs *gs.Records) []gs.Date {
	var ds []gs.Date
	for _, f := range recs.Findings {
		ds = append(ds, f.OccurredOn)
	}
	for _, q := range recs.Quizzes {
		ds = append(ds, q.TakenOn)
	}
	for _, m := range recs.Meetings {
		ds = append(ds, m.HeldOn)
	}
	for _, l := range recs.Leaves {
		ds = append(ds, l.From, l.To)
		// A long leave (a maternity leave) spans whole quarters between.
		for d := gs.QuarterOf(l.From).Last() + 1; d < l.To; d = gs.QuarterOf(d).Last() + 1 {
			ds = append(ds, d)
		}
	}
	for _, c := range recs.Calendar {
		ds = append(ds, c.Date)
	}
	return ds
}

// FrozenQuarters returns the quarters among those of dates that town has
// finalized (or filed): their snapshots do not change with the records.
// The district ("") has no quarters of its own.
func (s *Service) FrozenQuarters(ctx context.Context, town string, dates ...gs.Date) ([]string, error) {
	if town == "" {
		return nil, nil
	}
	var out []string
	seen := map[gs.Quarter]bool{}
	for _, d := range dates {
		if d.IsZero() {
			continue
		}
		q := gs.QuarterOf(d)
		if seen[q] {
			continue
		}
		seen[q] = true
		st, err := s.QuarterState(ctx, town, q)
		if err != nil {
			return nil, err
		}
		if st.State == gs.StateFinalized || st.State == gs.StateFiled {
			out = append(out, q.String())
		}
	}
	return out, nil
}

// ChineseRows returns the records of kind in recs as the export writes
// them: the Chinese header and, per record, the Chinese cells.
func ChineseRows(kind string, recs *gs.Records) ([]string, [][]string, error) {
	var b bytes.Buffer
	if err := csvfile.WriteKind(&b, kind, recs, csvfile.UTF8); err != nil {
		return nil, nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil, nil, err
	}
	return rows[0], rows[1:], nil
}
