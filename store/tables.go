package store

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// table describes the table of one record kind. Its name is the kind's name
// of DATA.md §1; the first keyLen columns are the kind's key.
type table struct {
	name   string
	cols   []string
	keyLen int
}

// key returns the key columns.
func (t *table) key() []string { return t.cols[:t.keyLen] }

// selectList returns the columns separated by commas, for SELECT.
func (t *table) selectList() string { return strings.Join(t.cols, ", ") }

// tables lists every table in the order of DATA.md §1, which is also an
// order in which referenced rows come before rows that refer to them.
var tables = []table{
	{"grids", []string{"grid_code", "grid_name", "community", "town"}, 1},
	{"workers", []string{"worker_id", "name", "worker_type", "stationed", "grid_code", "hired_on", "left_on", "phone", "monthly_performance_fen", "quarterly_subsidy_fen"}, 1},
	{"events", []string{"event_id", "worker_id", "flow", "severity", "category", "occurred_at", "reported_at", "deadline", "closed_at", "card", "irregular"}, 1},
	{"logins", []string{"worker_id", "channel", "logged_at"}, 3},
	{"patrols", []string{"patrol_id", "worker_id", "started_at", "ended_at", "distance_m"}, 1},
	{"leaves", []string{"worker_id", "from_date", "to_date", "reason"}, 2},
	{"register", []string{"person_id", "category", "grid_code", "entered_at", "left_at", "name", "id_number"}, 1},
	{"rosters", []string{"person_id", "listed_on", "category", "grid_code", "department"}, 2},
	{"visits", []string{"visit_id", "person_id", "worker_id", "visited_at", "note"}, 1},
	{"meetings", []string{"meeting_id", "held_on", "title", "kind", "town"}, 1},
	{"attendance", []string{"meeting_id", "worker_id", "status"}, 2},
	{"findings", []string{"finding_id", "worker_id", "kind", "occurred_on", "occurrences", "note", "evidence"}, 1},
	{"quiz", []string{"quiz_id", "worker_id", "taken_on", "wrong_answers"}, 1},
	{"ballots", []string{"ballot_id", "worker_id", "rater_group", "rating", "cast_at"}, 1},
	{"calendar", []string{"day", "town", "kind", "name"}, 2},
}

// Kinds returns the names of the record kinds of DATA.md §1 in the order of
// its table: the keys of Counts and ImportStats.
func Kinds() []string {
	names := make([]string, len(tables))
	for i, t := range tables {
		names[i] = t.name
	}
	return names
}

// rowsOf returns the column values of every record of recs, one slice of
// rows per table in the order of tables. Within a kind a later record with
// the same key replaces an earlier one, as it would replace a stored row;
// received counts the records before that.
func rowsOf(recs *gridscore.Records) (rows [][][]any, received []int) {
	rows = make([][][]any, len(tables))
	received = make([]int, len(tables))
	for i := range tables {
		n := kindLen(recs, tables[i].name)
		if n == 0 {
			continue
		}
		r := rowSet{keyLen: tables[i].keyLen, rows: make([][]any, 0, n), index: make(map[string]int, n),
			vals: make([]any, 0, n*len(tables[i].cols))}
		addKind(&r, recs, tables[i].name)
		rows[i], received[i] = r.rows, r.received
	}
	return rows, received
}

// rowSet collects the rows of one table, deduplicated by key.
type rowSet struct {
	keyLen   int
	rows     [][]any
	index    map[string]int
	received int
	vals     []any  // the values of every row, one after another
	key      []byte // the key being built
}

// add appends a row, or replaces the earlier row with the same key. Its
// values are kept in one array for the table, not an allocation a row.
func (r *rowSet) add(vals ...any) {
	r.received++
	start := len(r.vals)
	r.vals = append(r.vals, vals...)
	row := r.vals[start:len(r.vals):len(r.vals)]
	var k string
	if s, ok := vals[0].(string); ok && r.keyLen == 1 {
		k = s // every key of one column is text
	} else {
		r.key = r.key[:0]
		for _, v := range vals[:r.keyLen] {
			r.key = appendKeyPart(r.key, v)
			r.key = append(r.key, 0)
		}
		if i, ok := r.index[string(r.key)]; ok {
			r.rows[i] = row
			return
		}
		k = string(r.key)
	}
	if i, ok := r.index[k]; ok {
		r.rows[i] = row
		return
	}
	r.index[k] = len(r.rows)
	r.rows = append(r.rows, row)
}

// appendKeyPart renders one key value for deduplication; the prefix keeps
// a string from equalling a number or NULL.
func appendKeyPart(b []byte, v any) []byte {
	switch x := v.(type) {
	case string:
		return append(append(b, 's'), x...)
	case int64:
		return strconv.AppendInt(append(b, 'i'), x, 10)
	case nil:
		return append(b, 'n')
	}
	panic(fmt.Sprintf("store: key value of type %T", v))
}

// kindLen returns the number of records of one kind in recs.
func kindLen(recs *gridscore.Records, kind string) int {
	switch kind {
	case "grids":
		return len(recs.Grids)
	case "workers":
		return len(recs.Workers)
	case "events":
		return len(recs.Events)
	case "logins":
		return len(recs.Logins)
	case "patrols":
		return len(recs.Patrols)
	case "leaves":
		return len(recs.Leaves)
	case "register":
		return len(recs.Register)
	case "rosters":
		return len(recs.Rosters)
	case "visits":
		return len(recs.Visits)
	case "meetings":
		return len(recs.Meetings)
	case "attendance":
		return len(recs.Attendance)
	case "findings":
		return len(recs.Findings)
	case "quiz":
		return len(recs.Quizzes)
	case "ballots":
		return len(recs.Ballots)
	case "calendar":
		return len(recs.Calendar)
	}
	panic("store: no rows for table " + kind)
}

// addKind adds the records of one kind, in the column order of its table.
func addKind(r *rowSet, recs *gridscore.Records, kind string) {
	switch kind {
	case "grids":
		for _, g := range recs.Grids {
			r.add(g.Code, g.Name, textValue(g.Community), g.Town)
		}
	case "workers":
		for _, w := range recs.Workers {
			r.add(w.ID, w.Name, string(w.Type), flagValue(w.Stationed), w.GridCode,
				dateValue(w.HiredOn), dateValue(w.LeftOn), textValue(w.Phone),
				fenValue(w.MonthlyPerformanceFen), fenValue(w.QuarterlySubsidyFen))
		}
	case "events":
		for _, e := range recs.Events {
			r.add(e.ID, e.WorkerID, string(e.Flow), string(e.Severity), textValue(e.Category),
				timeValue(e.OccurredAt), timeValue(e.ReportedAt), timeValue(e.Deadline),
				timeValue(e.ClosedAt), textValue(e.Card), flagValue(e.Irregular))
		}
	case "logins":
		for _, l := range recs.Logins {
			r.add(l.WorkerID, string(l.Channel), timeValue(l.At))
		}
	case "patrols":
		for _, p := range recs.Patrols {
			r.add(p.ID, p.WorkerID, timeValue(p.StartedAt), timeValue(p.EndedAt), p.DistanceM)
		}
	case "leaves":
		for _, l := range recs.Leaves {
			r.add(l.WorkerID, dateValue(l.From), dateValue(l.To), textValue(l.Reason))
		}
	case "register":
		for _, p := range recs.Register {
			r.add(p.PersonID, string(p.Category), p.GridCode, timeValue(p.EnteredAt),
				timeValue(p.LeftAt), textValue(p.Name), textValue(p.IDNumber))
		}
	case "rosters":
		for _, x := range recs.Rosters {
			r.add(x.PersonID, dateValue(x.ListedOn), string(x.Category), x.GridCode, textValue(x.Department))
		}
	case "visits":
		for _, v := range recs.Visits {
			r.add(v.ID, v.PersonID, v.WorkerID, timeValue(v.VisitedAt), textValue(v.Note))
		}
	case "meetings":
		for _, m := range recs.Meetings {
			r.add(m.ID, dateValue(m.HeldOn), m.Title, textValue(m.Kind), m.Town)
		}
	case "attendance":
		for _, a := range recs.Attendance {
			r.add(a.MeetingID, a.WorkerID, string(a.Status))
		}
	case "findings":
		for _, f := range recs.Findings {
			r.add(f.ID, f.WorkerID, string(f.Kind), dateValue(f.OccurredOn), int64(f.Count),
				textValue(f.Note), textValue(f.Evidence))
		}
	case "quiz":
		for _, q := range recs.Quizzes {
			r.add(q.ID, q.WorkerID, dateValue(q.TakenOn), int64(q.WrongAnswers))
		}
	case "ballots":
		for _, b := range recs.Ballots {
			r.add(b.ID, b.WorkerID, string(b.RaterGroup), string(b.Rating), timeValue(b.CastAt))
		}
	case "calendar":
		for _, c := range recs.Calendar {
			r.add(dateValue(c.Date), c.Town, string(c.Kind), textValue(c.Name))
		}
	default:
		panic("store: no rows for table " + kind)
	}
}
