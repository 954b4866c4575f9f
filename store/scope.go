package store

import "strconv"

// scope limits a read to part of the store: one town's rows, or the rows
// of one range of workers (a chunk of the assessment) or of a few workers
// (those whose results are computed again, LoadTownSince), and of their
// grids. The zero scope is every row.
type scope struct {
	town   string   // the town's rows, when not ""
	lo, hi string   // else the rows of workers whose id lies in [lo, hi], when not ""
	ids    []string // else the rows of these workers, when not empty
	// byID reads the register entries of listed persons entered outside
	// the scope's grids by id, only those not read with the grids (on
	// PostgreSQL: a lookup per roster row cost 60 ms a range of 1,000
	// workers), rather than by a subquery on the rosters (on SQLite: 10 s
	// faster at 100,000 workers than lists of ids).
	byID bool
}

// all reports whether sc is every row.
func (sc scope) all() bool { return sc.town == "" && sc.lo == "" && len(sc.ids) == 0 }

// rosteredElsewhere is the pseudo-kind of the register rows that sc's
// rosters name but that lie outside sc's grids: whether a listed person was
// entered is looked up on the whole register (RULES.md key.missing_entry).
// PostgreSQL plans this as a scan of the register, so there (sc.byID) the
// few such persons are read by id instead.
const rosteredElsewhere = "register:rostered"

// cond returns the condition limiting kind's rows to sc, with its
// parameters numbered from n, and their arguments; "" for every row (the
// zero scope, and the meetings, which are few: a worker's absence counts
// whatever the meeting's town).
//
//   - calendar: the district's days and the town's own (not another
//     town's); every day for a range, whose workers may be of any town;
//   - grids: the town's grids, or the grids of the range's (or the
//     listed) workers;
//   - workers, the register and rosters: those of those grids;
//   - visits: of the persons on those grids' register (for a town, also of
//     the persons on its rosters and by its workers);
//   - every other kind (events, logins, patrols, leaves, findings, quizzes,
//     ballots, attendance): of the town's workers, or of the range (or
//     the list).
func (sc scope) cond(kind string, n int) (string, []any) {
	if sc.all() || kind == "meetings" || kind == "calendar" && sc.town == "" {
		return "", nil
	}
	p := "$" + strconv.Itoa(n)
	if kind == "calendar" {
		return "town IN ('', " + p + ")", []any{sc.town}
	}
	var grids, workers string
	var args []any
	if sc.town != "" {
		grids = "SELECT grid_code FROM grids WHERE town = " + p
		workers = "worker_id IN (SELECT w.worker_id FROM workers w JOIN grids g ON g.grid_code = w.grid_code WHERE g.town = " + p + ")"
		args = []any{sc.town}
	} else if len(sc.ids) > 0 {
		workers = "worker_id IN (" + placeholdersFrom(n, len(sc.ids)) + ")"
		grids = "SELECT grid_code FROM workers WHERE " + workers
		args = anys(sc.ids)
	} else {
		workers = "worker_id >= " + p + " AND worker_id <= $" + strconv.Itoa(n+1)
		grids = "SELECT grid_code FROM workers WHERE " + workers
		args = []any{sc.lo, sc.hi}
	}
	inGrids := "grid_code IN (" + grids + ")"
	switch kind {
	case "grids":
		if sc.town != "" {
			return "town = " + p, args
		}
		return inGrids, args
	case "workers", "register", "rosters":
		return inGrids, args
	case rosteredElsewhere:
		return "person_id IN (SELECT person_id FROM rosters WHERE " + inGrids + ") AND grid_code NOT IN (" + grids + ")", args
	case "visits":
		registered := "person_id IN (SELECT person_id FROM register WHERE " + inGrids + ")"
		if sc.town == "" {
			return registered, args
		}
		return "(" + registered + " OR person_id IN (SELECT person_id FROM rosters WHERE " + inGrids + ") OR " + workers + ")", args
	}
	return workers, args
}
