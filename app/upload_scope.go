package app

import (
	"context"
	"maps"
	"path/filepath"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// townScope keeps an upload inside the uploader's town. DATA.md ties rows
// to towns this way: a grid, a meeting and a calendar day name their town
// (an empty town is the district's, which a town may not write); a worker,
// a registered person and a roster row belong to the town of their grid;
// every other kind names a worker and belongs to the worker's town. A row
// of another town is refused, and so is a row whose key is that of another
// town's stored row (an event id, say), which it would overwrite. A visit
// is refused too when its person is on another town's register: that
// town's assessment counts every visit to its persons, whoever made it
// (RULES.md key.visits), so a visit of ours would spare its worker.
//
// Its check is the Scanner's Check: it sees the records of each chunk with
// their origins, in the Scanner's order (grids and workers first), and
// learns the towns of the grids and workers read. It asks the import's
// transaction (store.ImportTx) which town the stored grids, workers,
// persons and keys named belong to, as each chunk names them: what it
// finds holds until the import ends, so an upload or a push of another
// town writing one of the keys at the same moment waits, then is refused
// (store.ImportTx.OtherTowns).
type townScope struct {
	ctx  context.Context
	db   townOwners
	town string
	// gridTown, workerTown and personTown are the towns of the grids,
	// workers and registered persons read, or looked up as records name
	// them ("" for one not stored).
	gridTown, workerTown, personTown map[string]string
	// calendar is set when calendar days were read.
	calendar bool
	// err is the first failure to query the store; the check then stops.
	err error
}

// townOwners says, inside an import (*store.ImportTx), which town stored
// rows belong to.
type townOwners interface {
	OtherTowns(ctx context.Context, kind, town string, firsts []string) (map[string]string, error)
	GridTownsOf(ctx context.Context, codes []string) (map[string]string, error)
	WorkerTownsOf(ctx context.Context, ids []string) (map[string]string, error)
	PersonTownsOf(ctx context.Context, ids []string) (map[string]string, error)
}

// newTownScope keeps the records that db (an import) writes inside town.
func newTownScope(ctx context.Context, db townOwners, town string) *townScope {
	return &townScope{ctx: ctx, db: db, town: town,
		gridTown: map[string]string{}, workerTown: map[string]string{}, personTown: map[string]string{}}
}

// scopeKind is how townScope reads the records of one kind: their number
// and origins, the key column and each record's key (its first column and
// the whole key joined with "\x1f"), and the town, grid or worker a record
// names, and the registered person it concerns.
type scopeKind struct {
	n      func(r *gs.Records) int
	orgs   func(o *csvfile.Origins) []csvfile.Origin
	keyCol string
	key    func(r *gs.Records, i int) (first, full string)
	town   func(r *gs.Records, i int) string
	grid   func(r *gs.Records, i int) string
	worker func(r *gs.Records, i int) string
	person func(r *gs.Records, i int) string
}

// Columns (DATA.md's keys) named in problems.
const (
	colGrid   = "grid_code"
	colWorker = "worker_id"
	colPerson = "person_id"
	colTown   = "town"
)

func one(s string) (string, string) { return s, s }

var scopeKinds = map[string]scopeKind{
	"grids": {
		n: func(r *gs.Records) int { return len(r.Grids) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Grids },
		keyCol: colGrid, key: func(r *gs.Records, i int) (string, string) { return one(r.Grids[i].Code) },
		town: func(r *gs.Records, i int) string { return r.Grids[i].Town },
	},
	"workers": {
		n: func(r *gs.Records) int { return len(r.Workers) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Workers },
		keyCol: colWorker, key: func(r *gs.Records, i int) (string, string) { return one(r.Workers[i].ID) },
		grid: func(r *gs.Records, i int) string { return r.Workers[i].GridCode },
	},
	"register": {
		n: func(r *gs.Records) int { return len(r.Register) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Register },
		keyCol: colPerson, key: func(r *gs.Records, i int) (string, string) { return one(r.Register[i].PersonID) },
		grid: func(r *gs.Records, i int) string { return r.Register[i].GridCode },
	},
	"rosters": {
		n: func(r *gs.Records) int { return len(r.Rosters) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Rosters },
		keyCol: colPerson, key: func(r *gs.Records, i int) (string, string) {
			p := r.Rosters[i]
			return p.PersonID, p.PersonID + "\x1f" + p.ListedOn.String()
		},
		grid: func(r *gs.Records, i int) string { return r.Rosters[i].GridCode },
	},
	"meetings": {
		n: func(r *gs.Records) int { return len(r.Meetings) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Meetings },
		keyCol: "meeting_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Meetings[i].ID) },
		town: func(r *gs.Records, i int) string { return r.Meetings[i].Town },
	},
	"events": {
		n: func(r *gs.Records) int { return len(r.Events) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Events },
		keyCol: "event_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Events[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Events[i].WorkerID },
	},
	"logins": {
		n: func(r *gs.Records) int { return len(r.Logins) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Logins },
		worker: func(r *gs.Records, i int) string { return r.Logins[i].WorkerID },
	},
	"patrols": {
		n: func(r *gs.Records) int { return len(r.Patrols) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Patrols },
		keyCol: "patrol_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Patrols[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Patrols[i].WorkerID },
	},
	"leaves": {
		n: func(r *gs.Records) int { return len(r.Leaves) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Leaves },
		worker: func(r *gs.Records, i int) string { return r.Leaves[i].WorkerID },
	},
	"visits": {
		n: func(r *gs.Records) int { return len(r.Visits) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Visits },
		keyCol: "visit_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Visits[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Visits[i].WorkerID },
		person: func(r *gs.Records, i int) string { return r.Visits[i].PersonID },
	},
	"attendance": {
		n: func(r *gs.Records) int { return len(r.Attendance) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Attendance },
		worker: func(r *gs.Records, i int) string { return r.Attendance[i].WorkerID },
	},
	"findings": {
		n: func(r *gs.Records) int { return len(r.Findings) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Findings },
		keyCol: "finding_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Findings[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Findings[i].WorkerID },
	},
	"quiz": {
		n: func(r *gs.Records) int { return len(r.Quizzes) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Quizzes },
		keyCol: "quiz_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Quizzes[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Quizzes[i].WorkerID },
	},
	"ballots": {
		n: func(r *gs.Records) int { return len(r.Ballots) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Ballots },
		keyCol: "ballot_id", key: func(r *gs.Records, i int) (string, string) { return one(r.Ballots[i].ID) },
		worker: func(r *gs.Records, i int) string { return r.Ballots[i].WorkerID },
	},
	"calendar": {
		n: func(r *gs.Records) int { return len(r.Calendar) }, orgs: func(o *csvfile.Origins) []csvfile.Origin { return o.Calendar },
		town: func(r *gs.Records, i int) string { return r.Calendar[i].Town },
	},
}

// check is the Scanner's Check: it returns a problem for every record of
// recs (of kind) outside the town.
func (sc *townScope) check(kind string, recs *gs.Records, orgs *csvfile.Origins) []csvfile.Problem {
	k, ok := scopeKinds[kind]
	if !ok || sc.err != nil {
		return nil
	}
	o := k.orgs(orgs)
	title := gs.KindName[kind]
	var ps []csvfile.Problem
	add := func(i int, col, msg string) {
		ps = append(ps, csvfile.ColumnProblem(o[i], kind, col, msg))
	}
	n := k.n(recs)
	if !sc.lookUp(sc.gridTown, k.grid, recs, n, sc.db.GridTownsOf) ||
		!sc.lookUp(sc.workerTown, k.worker, recs, n, sc.db.WorkerTownsOf) ||
		!sc.lookUp(sc.personTown, k.person, recs, n, sc.db.PersonTownsOf) {
		return nil
	}
	for i := range n {
		switch {
		case k.town != nil:
			switch t := k.town(recs, i); {
			case t == "" && kind != "grids":
				add(i, colTown, "镇街为空，即区中心设置的全区"+title+"，只有区中心可以设置：本镇街的"+title+"请在镇街一栏填写“"+sc.town+"”")
			case t != sc.town:
				add(i, colTown, "镇街 "+strconv.Quote(t)+" 不是您所在的"+sc.town+"：只能导入本镇街的数据")
			}
		case k.grid != nil:
			if t := sc.gridTown[k.grid(recs, i)]; t != "" && t != sc.town {
				add(i, colGrid, "网格 "+strconv.Quote(k.grid(recs, i))+" 属于"+t+"，不是您所在的"+sc.town+"：只能导入本镇街的数据")
			}
		case k.worker != nil:
			if t := sc.workerTown[k.worker(recs, i)]; t != "" && t != sc.town {
				add(i, colWorker, "工号 "+strconv.Quote(k.worker(recs, i))+" 是"+t+"的网格员，不是您所在的"+sc.town+"的：只能导入本镇街的数据")
			}
		}
	}
	if k.person != nil {
		for i := range n {
			if id := k.person(recs, i); sc.personTown[id] != "" && sc.personTown[id] != sc.town {
				add(i, colPerson, "人员编号 "+strconv.Quote(id)+" 在"+sc.personTown[id]+"的特殊人群名单上，不是您所在的"+sc.town+"的：只能导入本镇街的数据")
			}
		}
	}
	if k.key != nil {
		firsts := make([]string, n)
		for i := range n {
			firsts[i], _ = k.key(recs, i)
		}
		other, err := sc.db.OtherTowns(sc.ctx, kind, sc.town, firsts)
		if err != nil {
			sc.err = err
			return nil
		}
		for i := range n {
			first, full := k.key(recs, i)
			if t, ok := other[full]; ok {
				if t == "" {
					t = "区中心（全区）"
				}
				add(i, k.keyCol, "编号 "+strconv.Quote(first)+" 已是"+t+"的记录，不能用本镇街的数据覆盖")
			}
		}
	}
	sc.learn(kind, recs)
	if kind == "calendar" {
		sc.calendar = true
	}
	return ps
}

// lookUp adds to towns the towns that townsOf finds of what the n
// records of recs name by field (nil: nothing) and towns lacks, "" for
// those not stored; false if the store failed (sc.err).
func (sc *townScope) lookUp(towns map[string]string, field func(*gs.Records, int) string, recs *gs.Records, n int,
	townsOf func(context.Context, []string) (map[string]string, error)) bool {
	if field == nil {
		return true
	}
	var ids []string
	for i := range n {
		id := field(recs, i)
		if _, ok := towns[id]; !ok {
			towns[id] = "" // until found: asked once
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return true
	}
	found, err := townsOf(sc.ctx, ids)
	if err != nil {
		sc.err = err
		return false
	}
	maps.Copy(towns, found)
	return true
}

// learn keeps the towns of the grids, workers and registered persons read,
// for the kinds that name them.
func (sc *townScope) learn(kind string, recs *gs.Records) {
	switch kind {
	case "register":
		for _, p := range recs.Register {
			sc.personTown[p.PersonID] = sc.gridTown[p.GridCode]
		}
	case "grids":
		for _, g := range recs.Grids {
			sc.gridTown[g.Code] = g.Town
		}
	case "workers":
		for _, w := range recs.Workers {
			sc.workerTown[w.ID] = sc.gridTown[w.GridCode]
		}
	}
}

// fileReports lists the files of up (a workbook by its sheets read) with
// their kind and valid rows, from what the Scanner read (sources).
func fileReports(up *gs.Upload, sources []csvfile.Source) []FileReport {
	var out []FileReport
	for _, f := range up.Files {
		found := false
		for _, src := range sources {
			if src.File == f.Name || strings.EqualFold(filepath.Ext(f.Name), ".xlsx") && strings.HasPrefix(src.File, f.Name+"[") {
				out = append(out, FileReport{Name: src.File, Kind: gs.KindName[src.Kind], Rows: src.Valid, Mapping: src.Mapping, Totals: rowNumbers(src.Totals)})
				found = true
			}
		}
		if !found {
			kind := ""
			if strings.EqualFold(filepath.Ext(f.Name), ".csv") {
				kind = csvfile.KindTitle(strings.TrimSuffix(f.Name, filepath.Ext(f.Name)))
			}
			out = append(out, FileReport{Name: f.Name, Kind: kind})
		}
	}
	return out
}
