package gridscore

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// A record checks itself: each kind has a Validate that checks what belongs
// to the record alone (required fields, values in their value set, ranges,
// rules between two of its fields) and returns FieldErrors. Whatever brings
// records in (the importer, the forms, the API) calls it; what needs more
// than the record (does the worker exist? is the row a duplicate?) is
// checked where that is known. Every text field is checked against its
// TextRule (text.go): its length and the characters it may hold. A valid
// record costs no allocation.

// FieldError is one thing wrong with one field of a record, in words for
// the person who typed it.
type FieldError struct {
	// Field is the field's name as DATA.md names its column (worker_id).
	Field string
	// Message says what is wrong, in Chinese.
	Message string
	// Value, when set, is the offending value as the record holds it; it is
	// shown after the message (不能小于 1："0"). A reader that has the value
	// as it was typed (1.5 rather than 1.50) sets Value to that first.
	Value string
	// Cross marks a rule between two fields (a removal before the entry),
	// reported on the later field. Such rules are checked after the fields
	// one by one, and a reader lists them after the other problems of a row.
	Cross bool
}

// Text is the message with the value, if any, as people read it.
func (e FieldError) Text() string {
	if e.Value == "" {
		return e.Message
	}
	return e.Message + "：" + strconv.Quote(e.Value)
}

// FieldErrors is everything wrong with one record: single-field problems in
// the order of the record's fields, then the rules between fields. As an
// error it has the code EINVALID.
type FieldErrors []FieldError

// Error lists the problems one per line, each as "field: message".
func (es FieldErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Field + ": " + e.Text()
	}
	return strings.Join(lines, "\n")
}

// As lets ErrorCode and ErrorMessage treat FieldErrors as invalid input.
func (es FieldErrors) As(target any) bool {
	if t, ok := target.(**Error); ok {
		*t = &Error{Code: EINVALID, Message: es.Error()}
		return true
	}
	return false
}

// err returns es as an error, nil when it is empty.
func (es FieldErrors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// The messages of the rules of records, as every reader shows them.
const (
	msgRequired = "必填，不能为空"
	msgNegative = "金额不能为负数"
)

// ValueHint lists the values of a value set for a message, by their Chinese
// names and then their codes: 自办、上报、转办（或 self_handled、reported、assigned）.
func ValueHint(names, codes []string) string {
	return strings.Join(names, "、") + "（或 " + strings.Join(codes, "、") + "）"
}

// required reports an empty text field.
func (es *FieldErrors) required(field, v string) {
	if v == "" {
		*es = append(*es, FieldError{Field: field, Message: msgRequired})
	}
}

// requiredDate reports a date field left unset.
func (es *FieldErrors) requiredDate(field string, d Date) {
	if d.IsZero() {
		*es = append(*es, FieldError{Field: field, Message: msgRequired})
	}
}

// requiredTime reports a timestamp field left unset.
func (es *FieldErrors) requiredTime(field string, t time.Time) {
	if t.IsZero() {
		*es = append(*es, FieldError{Field: field, Message: msgRequired})
	}
}

// between reports a whole number below min, or above max: a value no one
// could have meant (999 wrong answers in one spot check), taken for a
// typing error.
func (es *FieldErrors) between(field string, v, min, max int64) {
	switch {
	case v < min:
		*es = append(*es, FieldError{Field: field, Message: "不能小于 " + strconv.FormatInt(min, 10), Value: strconv.FormatInt(v, 10)})
	case v > max:
		*es = append(*es, FieldError{Field: field, Message: "不能大于 " + strconv.FormatInt(max, 10) + "，请核对", Value: strconv.FormatInt(v, 10)})
	}
}

// The sane ranges of the numbers of records (RULES.md gives no bounds; these
// are far beyond anything a town records, so a value outside is a typing
// error): a spot check of the handbook asks a few questions, a finding
// records a few occurrences, a patrol on foot or by bicycle covers a few
// kilometres, and a grid worker's pay is a few thousand yuan.
const (
	MaxWrongAnswers = 50
	MaxFindingCount = 50
	MaxDistanceM    = 100_000
	MaxAmountFen    = Fen(100_000_00) // 100 000 yuan
)

// amount reports a negative amount of money, or one above MaxAmountFen
// (nil is no amount).
func (es *FieldErrors) amount(field string, f *Fen) {
	switch {
	case f == nil:
	case *f < 0:
		*es = append(*es, FieldError{Field: field, Message: msgNegative, Value: f.String()})
	case *f > MaxAmountFen:
		*es = append(*es, FieldError{Field: field, Message: "金额不能大于 " + MaxAmountFen.String() + "，请核对", Value: f.String()})
	}
}

// order reports, on the field of later, a later date before an earlier one
// when both are set: something that cannot happen (left before hired).
func (es *FieldErrors) order(earlier, later Date, field, msg string) {
	if !earlier.IsZero() && !later.IsZero() && later < earlier {
		*es = append(*es, FieldError{Field: field, Message: msg, Cross: true})
	}
}

// orderTime is order for timestamps.
func (es *FieldErrors) orderTime(earlier, later time.Time, field, msg string) {
	if !earlier.IsZero() && !later.IsZero() && later.Before(earlier) {
		*es = append(*es, FieldError{Field: field, Message: msg, Cross: true})
	}
}

// oneOf reports a value outside its value set set, whose Chinese names are
// names; an empty value is reported when required and allowed otherwise.
func oneOf[T ~string](es *FieldErrors, field string, v T, set []T, names map[T]string, required bool) {
	if v == "" {
		if required {
			*es = append(*es, FieldError{Field: field, Message: msgRequired})
		}
		return
	}
	if slices.Contains(set, v) {
		return
	}
	zh, codes := make([]string, len(set)), make([]string, len(set))
	for i, c := range set {
		zh[i], codes[i] = names[c], string(c)
	}
	*es = append(*es, FieldError{Field: field, Message: "无法识别的值 " + strconv.Quote(string(v)) + "，应为：" + ValueHint(zh, codes)})
}

// Validate checks a grid: its code, name and town are required.
func (g *Grid) Validate() error {
	var es FieldErrors
	es.required("grid_code", g.Code)
	es.text(KindGrids, "grid_code", g.Code)
	es.required("grid_name", g.Name)
	es.text(KindGrids, "grid_name", g.Name)
	es.text(KindGrids, "community", g.Community)
	es.required("town", g.Town)
	es.text(KindGrids, "town", g.Town)
	return es.err()
}

// Validate checks a worker: the required fields, a known type, amounts
// that are not negative, and a last day not before the first.
func (w *Worker) Validate() error {
	var es FieldErrors
	es.required("worker_id", w.ID)
	es.text(KindWorkers, "worker_id", w.ID)
	es.required("name", w.Name)
	es.text(KindWorkers, "name", w.Name)
	oneOf(&es, "type", w.Type, WorkerTypes, WorkerTypeName, true)
	es.required("grid_code", w.GridCode)
	es.text(KindWorkers, "grid_code", w.GridCode)
	es.requiredDate("hired_on", w.HiredOn)
	es.text(KindWorkers, "phone", w.Phone)
	es.amount("monthly_performance_yuan", w.MonthlyPerformanceFen)
	es.amount("quarterly_subsidy_yuan", w.QuarterlySubsidyFen)
	es.order(w.HiredOn, w.LeftOn, "left_on", "离职日期早于入职日期")
	return es.err()
}

// Validate checks an event: the required fields, known values, and an
// event neither reported nor closed before it occurred.
func (e *Event) Validate() error {
	var es FieldErrors
	es.required("event_id", e.ID)
	es.text(KindEvents, "event_id", e.ID)
	es.required("worker_id", e.WorkerID)
	es.text(KindEvents, "worker_id", e.WorkerID)
	oneOf(&es, "flow", e.Flow, Flows, FlowName, true)
	oneOf(&es, "severity", e.Severity, Severities, SeverityName, true)
	es.text(KindEvents, "category", e.Category)
	es.requiredTime("reported_at", e.ReportedAt)
	oneOf(&es, "card", e.Card, Cards, CardName, false)
	es.orderTime(e.OccurredAt, e.ReportedAt, "reported_at", "上报时间早于发生时间")
	es.orderTime(e.OccurredAt, e.ClosedAt, "closed_at", "办结时间早于发生时间")
	return es.err()
}

// Validate checks a login: its worker, a known channel and its time.
func (l *Login) Validate() error {
	var es FieldErrors
	es.required("worker_id", l.WorkerID)
	es.text(KindLogins, "worker_id", l.WorkerID)
	oneOf(&es, "channel", l.Channel, Channels, ChannelName, true)
	es.requiredTime("at", l.At)
	return es.err()
}

// Validate checks a patrol: the required fields, a distance within its
// range, and an end not before the start.
func (p *Patrol) Validate() error {
	var es FieldErrors
	es.required("patrol_id", p.ID)
	es.text(KindPatrols, "patrol_id", p.ID)
	es.required("worker_id", p.WorkerID)
	es.text(KindPatrols, "worker_id", p.WorkerID)
	es.requiredTime("started_at", p.StartedAt)
	es.between("distance_m", p.DistanceM, 0, MaxDistanceM)
	es.orderTime(p.StartedAt, p.EndedAt, "ended_at", "结束时间早于开始时间")
	return es.err()
}

// Validate checks a leave: its worker and both days, the last not before
// the first.
func (l *Leave) Validate() error {
	var es FieldErrors
	es.required("worker_id", l.WorkerID)
	es.text(KindLeaves, "worker_id", l.WorkerID)
	es.requiredDate("from", l.From)
	es.requiredDate("to", l.To)
	es.text(KindLeaves, "reason", l.Reason)
	es.order(l.From, l.To, "to", "结束日期早于开始日期")
	return es.err()
}

// Validate checks a person on the register: the required fields, a known
// category, and a removal not before the entry.
func (p *Person) Validate() error {
	var es FieldErrors
	es.required("person_id", p.PersonID)
	es.text(KindRegister, "person_id", p.PersonID)
	oneOf(&es, "category", p.Category, Categories, PopulationName, true)
	es.required("grid_code", p.GridCode)
	es.text(KindRegister, "grid_code", p.GridCode)
	es.requiredTime("entered_at", p.EnteredAt)
	es.text(KindRegister, "name", p.Name)
	es.text(KindRegister, "id_number", p.IDNumber)
	es.orderTime(p.EnteredAt, p.LeftAt, "left_at", "移出时间早于录入时间")
	return es.err()
}

// Validate checks a row of a department's roster: the required fields and a
// known category.
func (r *RosterRow) Validate() error {
	var es FieldErrors
	es.required("person_id", r.PersonID)
	es.text(KindRosters, "person_id", r.PersonID)
	oneOf(&es, "category", r.Category, Categories, PopulationName, true)
	es.required("grid_code", r.GridCode)
	es.text(KindRosters, "grid_code", r.GridCode)
	es.requiredDate("listed_on", r.ListedOn)
	es.text(KindRosters, "department", r.Department)
	return es.err()
}

// Validate checks a visit: who visited whom, and when.
func (v *Visit) Validate() error {
	var es FieldErrors
	es.required("visit_id", v.ID)
	es.text(KindVisits, "visit_id", v.ID)
	es.required("person_id", v.PersonID)
	es.text(KindVisits, "person_id", v.PersonID)
	es.required("worker_id", v.WorkerID)
	es.text(KindVisits, "worker_id", v.WorkerID)
	es.requiredTime("visited_at", v.VisitedAt)
	es.text(KindVisits, "note", v.Note)
	return es.err()
}

// Validate checks a meeting: its id, day and title (its town is
// optional: "" is the district's).
func (m *Meeting) Validate() error {
	var es FieldErrors
	es.required("meeting_id", m.ID)
	es.text(KindMeetings, "meeting_id", m.ID)
	es.requiredDate("held_on", m.HeldOn)
	es.required("title", m.Title)
	es.text(KindMeetings, "title", m.Title)
	es.text(KindMeetings, "kind", m.Kind)
	es.text(KindMeetings, "town", m.Town)
	return es.err()
}

// Validate checks an attendance: its meeting, worker and a known status.
func (a *Attendance) Validate() error {
	var es FieldErrors
	es.required("meeting_id", a.MeetingID)
	es.text(KindAttendance, "meeting_id", a.MeetingID)
	es.required("worker_id", a.WorkerID)
	es.text(KindAttendance, "worker_id", a.WorkerID)
	oneOf(&es, "status", a.Status, AttendanceStatuses, AttendanceStatusName, true)
	return es.err()
}

// Validate checks a finding: the required fields, a known kind and a count
// within its range (at least 1).
func (f *Finding) Validate() error {
	var es FieldErrors
	es.required("finding_id", f.ID)
	es.text(KindFindings, "finding_id", f.ID)
	es.required("worker_id", f.WorkerID)
	es.text(KindFindings, "worker_id", f.WorkerID)
	oneOf(&es, "kind", f.Kind, FindingKinds, FindingKindName, true)
	es.requiredDate("occurred_on", f.OccurredOn)
	es.between("count", int64(f.Count), 1, MaxFindingCount)
	es.text(KindFindings, "note", f.Note)
	es.text(KindFindings, "evidence", f.Evidence)
	return es.err()
}

// Validate checks a spot check of the handbook: the required fields and a
// number of wrong answers within its range. (A number cannot be seen to
// be missing on the record: a reader of text reports an empty one.)
func (q *Quiz) Validate() error {
	var es FieldErrors
	es.required("quiz_id", q.ID)
	es.text(KindQuiz, "quiz_id", q.ID)
	es.required("worker_id", q.WorkerID)
	es.text(KindQuiz, "worker_id", q.WorkerID)
	es.requiredDate("taken_on", q.TakenOn)
	es.between("wrong_answers", int64(q.WrongAnswers), 0, MaxWrongAnswers)
	return es.err()
}

// Validate checks a ballot: the required fields, a known rater group and a
// known rating.
func (b *Ballot) Validate() error {
	var es FieldErrors
	es.required("ballot_id", b.ID)
	es.text(KindBallots, "ballot_id", b.ID)
	es.required("worker_id", b.WorkerID)
	es.text(KindBallots, "worker_id", b.WorkerID)
	oneOf(&es, "rater_group", b.RaterGroup, RaterGroups, RaterGroupName, true)
	oneOf(&es, "rating", b.Rating, Ratings, RatingName, true)
	es.requiredTime("cast_at", b.CastAt)
	return es.err()
}

// Validate checks a calendar day: its date and a known kind (its town is
// optional: "" is the district's).
func (c *CalendarDay) Validate() error {
	var es FieldErrors
	es.requiredDate("date", c.Date)
	oneOf(&es, "kind", c.Kind, DayKinds, DayKindName, true)
	es.text(KindCalendar, "name", c.Name)
	es.text(KindCalendar, "town", c.Town)
	return es.err()
}
