package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gridscore/gridscore"
)

// Versions by what a result rests on (migrations 00018 and 00019). Every
// committed change to the records raises data_version; a change also notes
// what it concerns, so that a town's live result computed at an older
// version can be brought up to date by computing again only the workers
// whose results rest on something changed since (LoadTownSince):
//
//   - a worker's own records (events, logins, patrols, leaves, findings,
//     quizzes, ballots, attendance): worker_versions;
//   - a grid's row, its workers' rows (who is in post in the grid on a day
//     decides who answers for its rosters and visits), its register and
//     rosters, the visits of the persons on its register, and the register
//     entries of the persons on its rosters: grid_versions;
//   - a town's own calendar days: town_versions.whole;
//   - the district's calendar days, or an import too large to note what it
//     touched: every town (data_version alone, see town_epoch).
//
// A meeting concerns the workers whose attendance names it (only their
// absences read it). Every town whose workers' results change gets the
// version in town_versions, which is what its kept results are keyed by
// (TownVersion).

// role is what a column of a changed row names, and so whose results the
// change concerns.
type role int

const (
	roleWorker   role = iota // a worker: their own records
	roleGrid                 // a grid: its row, workers, register, rosters
	roleTown                 // a grid's town: a town whose workers may change
	roleVisited              // a person visited: the grid of their register entry
	roleListed               // a person entered: the grids whose rosters list them
	roleMeeting              // a meeting: the workers its attendance names
	roleCalendar             // a calendar day's town ("" the district's)
	roles
)

// concernCol is a column of a table naming something a change concerns.
type concernCol struct {
	col  string
	role role
}

// concernCols lists, per table, the columns that tell what a change to one
// of its rows concerns.
var concernCols = map[string][]concernCol{
	"grids":      {{"grid_code", roleGrid}, {"town", roleTown}},
	"workers":    {{"worker_id", roleWorker}, {"grid_code", roleGrid}},
	"events":     {{"worker_id", roleWorker}},
	"logins":     {{"worker_id", roleWorker}},
	"patrols":    {{"worker_id", roleWorker}},
	"leaves":     {{"worker_id", roleWorker}},
	"register":   {{"person_id", roleListed}, {"grid_code", roleGrid}},
	"rosters":    {{"grid_code", roleGrid}},
	"visits":     {{"person_id", roleVisited}},
	"meetings":   {{"meeting_id", roleMeeting}},
	"attendance": {{"worker_id", roleWorker}},
	"findings":   {{"worker_id", roleWorker}},
	"quiz":       {{"worker_id", roleWorker}},
	"ballots":    {{"worker_id", roleWorker}},
	"calendar":   {{"town", roleCalendar}},
}

// refKinds are the tables whose rows a town's workers are assessed with
// beside their records (LoadTownSince's TownDelta.Town): a change to them
// raises data_version.refs.
var refKinds = map[string]bool{"grids": true, "workers": true, "meetings": true, "calendar": true}

// concerns collects what a change concerns: the values of its rows'
// concern columns, old and new, then (resolve) the workers, grids and
// towns whose results it changes.
type concerns struct {
	// all: every town's results (the district's calendar, or too much to
	// note).
	all bool
	// refs: a grid, worker, meeting or calendar day changes (refKinds).
	refs bool
	seen [roles]map[string]bool
	// Resolved: the workers and grids whose versions are raised, the towns
	// whose results change, and the towns every worker of which does.
	workers, grids, towns, whole map[string]bool
}

// add notes value v in role r.
func (c *concerns) add(r role, v string) {
	if c.seen[r] == nil {
		c.seen[r] = map[string]bool{}
	}
	c.seen[r][v] = true
}

// addRow notes row, a row of t with every column in t's order.
func (c *concerns) addRow(t *table, row []any) {
	c.refs = c.refs || refKinds[t.name]
	for _, cc := range concernCols[t.name] {
		if s, ok := row[slices.Index(t.cols, cc.col)].(string); ok {
			c.add(cc.role, s)
		}
	}
}

// addStored notes the stored rows of t matching cond (parameters from $1).
func (c *concerns) addStored(ctx context.Context, q queryer, t *table, cond string, args []any) error {
	ccs := concernCols[t.name]
	cols := make([]string, len(ccs))
	for i, cc := range ccs {
		cols[i] = cc.col
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name+" WHERE "+cond, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	vals := make([]sql.NullString, len(ccs))
	dest := make([]any, len(ccs))
	for i := range vals {
		dest[i] = &vals[i]
	}
	for rows.Next() {
		c.refs = c.refs || refKinds[t.name]
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, cc := range ccs {
			if vals[i].Valid {
				c.add(cc.role, vals[i].String)
			}
		}
	}
	return rows.Err()
}

// addPut notes rows, rows of t about to be written, and the stored rows
// they replace: looked up by key unless every concern column is part of
// the key (the old row then names the same), by the first key column when
// the key has several (rosters: a superset).
func (c *concerns) addPut(ctx context.Context, q queryer, t *table, rows [][]any) error {
	var keys []string
	inKey := true
	for _, cc := range concernCols[t.name] {
		inKey = inKey && slices.Index(t.cols, cc.col) < t.keyLen
	}
	for _, row := range rows {
		c.addRow(t, row)
		if !inKey {
			if s, ok := row[0].(string); ok {
				keys = append(keys, s)
			}
		}
	}
	return eachPart(keys, func(part []any) error {
		return c.addStored(ctx, q, t, t.cols[0]+" IN ("+placeholders(len(part))+")", part)
	})
}

// eachPart calls fn with ids, maxListParams at a time.
func eachPart(ids []string, fn func(part []any) error) error {
	for len(ids) > 0 {
		n := min(len(ids), maxListParams)
		if err := fn(anys(ids[:n])); err != nil {
			return err
		}
		ids = ids[n:]
	}
	return nil
}

// column reads the one column of query (which ends in an IN list of
// ids's values) for ids, a part at a time, and calls fn with each value.
func column(ctx context.Context, q queryer, query string, ids map[string]bool, fn func(string)) error {
	return eachPart(slices.Sorted(maps.Keys(ids)), func(part []any) error {
		rows, err := q.QueryContext(ctx, query+" IN ("+placeholders(len(part))+")", part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v sql.NullString
			if err := rows.Scan(&v); err != nil {
				return err
			}
			if v.Valid {
				fn(v.String)
			}
		}
		return rows.Err()
	})
}

// resolve works out, from what was noted and the stored rows as they are
// before the change, the workers, grids and towns the change concerns.
// The rows noted hold both the old and the new values, so a worker or a
// grid that moves concerns both its towns.
func (c *concerns) resolve(ctx context.Context, q queryer) error {
	c.workers, c.grids = setOf(c.seen[roleWorker]), setOf(c.seen[roleGrid])
	c.towns, c.whole = setOf(c.seen[roleTown]), map[string]bool{}
	for town := range c.seen[roleCalendar] {
		if town == "" {
			c.all = true
		}
		c.whole[town], c.towns[town] = true, true
	}
	if c.all {
		return nil
	}
	addTo := func(set map[string]bool) func(string) { return func(v string) { set[v] = true } }
	steps := []struct {
		query string
		of    map[string]bool
		to    map[string]bool
	}{
		{"SELECT grid_code FROM register WHERE person_id", c.seen[roleVisited], c.grids},
		{"SELECT grid_code FROM rosters WHERE person_id", c.seen[roleListed], c.grids},
		{"SELECT worker_id FROM attendance WHERE meeting_id", c.seen[roleMeeting], c.workers},
		{"SELECT g.town FROM workers w JOIN grids g ON g.grid_code = w.grid_code WHERE w.worker_id", c.workers, c.towns},
		{"SELECT town FROM grids WHERE grid_code", c.grids, c.towns},
	}
	for _, st := range steps {
		if err := column(ctx, q, st.query, st.of, addTo(st.to)); err != nil {
			return err
		}
	}
	return nil
}

// setOf returns a copy of s (never nil).
func setOf(s map[string]bool) map[string]bool {
	out := make(map[string]bool, len(s))
	maps.Copy(out, s)
	return out
}

// merge adds what o resolved to c.
func (c *concerns) merge(o *concerns) {
	c.all, c.refs = c.all || o.all, c.refs || o.refs
	c.workers, c.grids = union(c.workers, o.workers), union(c.grids, o.grids)
	c.towns, c.whole = union(c.towns, o.towns), union(c.whole, o.whole)
}

// union adds b to a (made when nil) and returns a.
func union(a, b map[string]bool) map[string]bool {
	if a == nil {
		a = map[string]bool{}
	}
	maps.Copy(a, b)
	return a
}

// changeConcerns returns what ch concerns, read in tx before the change.
func changeConcerns(ctx context.Context, tx *sql.Tx, ch RecordChange) (*concerns, error) {
	c := &concerns{}
	for _, ks := range [][]RecordKey{ch.Delete, ch.Drop} {
		for _, k := range ks {
			t := tableNamed(k.Kind)
			kc := keyConds(t, anys(k.Key))
			if err := c.addStored(ctx, tx, t, strings.TrimPrefix(kc.where(), " WHERE "), kc.args); err != nil {
				return nil, err
			}
		}
	}
	if ch.Put != nil {
		rows, _ := rowsOf(ch.Put)
		for i := range tables {
			if err := c.addPut(ctx, tx, &tables[i], rows[i]); err != nil {
				return nil, err
			}
		}
	}
	return c, c.resolve(ctx, tx)
}

// bump raises the version of the records in tx, which makes the change c
// resolved: every town's (bumpVersion) when it concerns all, else the
// versions of the workers, grids and towns it concerns; the other towns'
// versions stay.
func (c *concerns) bump(ctx context.Context, tx *sql.Tx) error {
	if c.all {
		return bumpVersion(ctx, tx)
	}
	refs := 0
	if c.refs {
		refs = 1
	}
	var v int64
	if err := tx.QueryRowContext(ctx, `UPDATE data_version SET version = version + 1,
		refs = CASE WHEN $1 = 1 THEN version + 1 ELSE refs END WHERE id = 1 RETURNING version`, refs).Scan(&v); err != nil {
		return err
	}
	// When the change before this one changed every town, it is the epoch.
	if _, err := tx.ExecContext(ctx, `UPDATE town_epoch SET epoch = CASE WHEN last_town_bump = $2 THEN epoch ELSE $2 END,
		last_town_bump = $1 WHERE id = 1`, v, v-1); err != nil {
		return err
	}
	for _, set := range []struct {
		table, col string
		ids        map[string]bool
	}{{"worker_versions", "worker_id", c.workers}, {"grid_versions", "grid_code", c.grids}, {"town_versions", "town", c.towns}} {
		err := eachPart(slices.Sorted(maps.Keys(set.ids)), func(part []any) error {
			values := make([]string, len(part))
			for i := range part {
				values[i] = "($" + strconv.Itoa(i+2) + ", $1)"
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO "+set.table+" ("+set.col+", version) VALUES "+strings.Join(values, ", ")+
				" ON CONFLICT ("+set.col+") DO UPDATE SET version = excluded.version", append([]any{v}, part...)...)
			return err
		})
		if err != nil {
			return err
		}
	}
	return eachPart(slices.Sorted(maps.Keys(c.whole)), func(part []any) error {
		_, err := tx.ExecContext(ctx, "UPDATE town_versions SET whole = $1 WHERE town IN ("+placeholdersFrom(2, len(part))+")",
			append([]any{v}, part...)...)
		return err
	})
}

// bumpTowns raises the version of the records in tx, which changes
// records of the workers of towns without noting which: every worker of
// those towns rests on the change (their towns' whole version is raised,
// so LoadTownSince has them computed whole), and so may the towns' grids,
// workers, meetings and calendar days (refs). The other towns' versions
// stay.
func bumpTowns(ctx context.Context, tx *sql.Tx, towns []string) error {
	set := map[string]bool{}
	for _, t := range towns {
		set[t] = true
	}
	c := &concerns{refs: true, towns: set, whole: setOf(set)}
	return c.bump(ctx, tx)
}

// importNoted is what an import's records concern, noted before they were
// written (ImportTx.Note).
type importNoted struct {
	c concerns
	// received counts the records noted per table of tables, to be
	// compared with those written; rows counts them all.
	received []int64
	rows     int
	// over: more than noteRows records were given to Note, which then
	// stopped noting (the import concerns every town).
	over bool
}

// noteRows is the most records of an import ImportTx.Note notes: finding
// the stored rows that records replace costs a lookup per record, worth it
// for a day's records of a town (their towns' live results are kept), not
// for a quarter's of a district, which concerns most towns anyway.
const noteRows = 10_000

// Note notes what recs concern (see versions.go), before Write writes
// them: the workers, grids and towns of their rows, and of the stored rows
// they replace. An import all of whose records were noted outdates only
// the live results of what they concern; any other, every town's.
func (it *ImportTx) Note(ctx context.Context, recs *gridscore.Records) error {
	n := &it.noted
	if n.over {
		return nil
	}
	n.rows += len(recs.Grids) + len(recs.Workers) + len(recs.Events) + len(recs.Logins) + len(recs.Patrols) +
		len(recs.Leaves) + len(recs.Register) + len(recs.Rosters) + len(recs.Visits) + len(recs.Meetings) +
		len(recs.Attendance) + len(recs.Findings) + len(recs.Quizzes) + len(recs.Ballots) + len(recs.Calendar)
	if n.rows > noteRows {
		n.over = true
		return nil
	}
	rows, received := rowsOf(recs)
	if n.received == nil {
		n.received = make([]int64, len(tables))
	}
	c := &concerns{}
	for i := range tables {
		if err := c.addPut(ctx, it.tx, &tables[i], rows[i]); err != nil {
			return it.db.wrap("import: note", err)
		}
		n.received[i] += int64(received[i])
	}
	if err := c.resolve(ctx, it.tx); err != nil {
		return it.db.wrap("import: note", err)
	}
	n.c.merge(c)
	return nil
}

// concerns returns what the import concerns: what was noted when every
// record written was noted (notedAll), else every town.
func (it *ImportTx) concerns() *concerns {
	if !it.notedAll() {
		return &concerns{all: true}
	}
	return &it.noted.c
}

// notedAll reports whether every record written was noted first (Note).
func (it *ImportTx) notedAll() bool {
	if it.noted.over {
		return false
	}
	for i, tw := range it.tables {
		if tw != nil && (it.noted.received == nil || tw.received != it.noted.received[i]) {
			return false
		}
	}
	return true
}
