package app

import (
	"context"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// The records of every kind, as the records pages list them, and the
// records the town centers enter by hand (records_form.go). Who may see
// what: the district every town (read only, but for the meetings and
// calendar days it enters), a town's center its own town, a grid worker
// only their own records (for the register and the rosters, those of their
// grid; for meetings, those they attended). Of meetings and calendar days
// a town's center and workers see their own town's and the district's.
// Special-population names and ID numbers are masked for everyone but the
// town administrator.

// RecordQuery is what a records page asks for. Zero fields do not filter.
type RecordQuery struct {
	Kind     string
	Town     string
	WorkerID string
	GridCode string
	From, To gs.Date
	// IDs keep only the records of these ids (see store.RecordFilter).
	IDs    []string
	Offset int
	Limit  int
	// Sort names the column the list is ordered by (RecordColumn.Sort),
	// descending when Desc; "" is newest first.
	Sort string
	Desc bool
}

// Bounds of a records page.
const (
	// MaxRecordIDs is how many record ids a list may be asked for at once.
	MaxRecordIDs = store.MaxIDs
	// MaxCounted is where RecordPage's count stops: a list longer than that
	// says "more than MaxCounted" rather than count a whole table.
	MaxCounted = store.MaxCounted
)

// ListedKinds returns the kinds the records pages list, in DATA.md order.
func ListedKinds() []string { return store.ListedKinds() }

// RecordPage is a page of records of one kind, in the order listed.
type RecordPage struct {
	Records gs.Records
	// Matched is the number of records the query keeps, at most
	// MaxCounted+1 (more than MaxCounted).
	Matched int
	// Withheld says why a grid worker's ballots of the current quarter are
	// left out while the town's survey runs ("" when none are).
	Withheld string
}

// Records returns the page of records of q that u may see, with names and
// ID numbers masked unless u may see them. A grid worker who names another
// worker, grid or town is refused with EFORBIDDEN; so is a town's center
// naming another town, and a user sorting by what is masked for them.
func (s *Service) Records(ctx context.Context, u *gs.User, q RecordQuery) (*RecordPage, error) {
	f, err := s.recordScope(ctx, u, q)
	if err != nil {
		return nil, err
	}
	withheld, err := s.withholdBallots(ctx, u, &f)
	if err != nil {
		return nil, err
	}
	page, err := s.DB.Records(ctx, f)
	if err != nil {
		return nil, err
	}
	if !u.SeesPersonalData() {
		MaskPersons(page.Records.Register)
	}
	return &RecordPage{Records: page.Records, Matched: page.Matched, Withheld: withheld}, nil
}

// AnyRecord reports whether u may see any record of kinds that q keeps
// (its Kind aside): whether Records would list one of some kind, asked of
// the store at once for every kind.
func (s *Service) AnyRecord(ctx context.Context, u *gs.User, q RecordQuery, kinds ...string) (bool, error) {
	fs := make([]store.RecordFilter, len(kinds))
	for i, kind := range kinds {
		q.Kind = kind
		f, err := s.recordScope(ctx, u, q)
		if err != nil {
			return false, err
		}
		if _, err := s.withholdBallots(ctx, u, &f); err != nil {
			return false, err
		}
		fs[i] = f
	}
	return s.DB.AnyRecord(ctx, fs...)
}

// recordScope returns the store's filter of q limited to what u may see,
// or refuses q (see Records).
func (s *Service) recordScope(ctx context.Context, u *gs.User, q RecordQuery) (store.RecordFilter, error) {
	f := store.RecordFilter{Kind: q.Kind, Town: q.Town, WorkerID: q.WorkerID, GridCode: q.GridCode,
		From: q.From, To: q.To, IDs: q.IDs, Offset: q.Offset, Limit: q.Limit, Sort: q.Sort, Desc: q.Desc}
	if masked(q.Kind, q.Sort) && !u.SeesPersonalData() {
		return f, gs.Errorf(gs.EFORBIDDEN, "不能按已脱敏的列排序。")
	}
	switch u.Role {
	case gs.RoleDistrict:
	case gs.RoleTownAdmin, gs.RoleTownStaff:
		if q.Town != "" && q.Town != u.Town {
			return f, gs.Errorf(gs.EFORBIDDEN, "您只能查看本镇街的记录。")
		}
		f.Town = u.Town
	case gs.RoleWorker:
		if q.WorkerID != "" && q.WorkerID != u.WorkerID || q.Town != "" && q.Town != u.Town {
			return f, errOwnRecords()
		}
		if q.GridCode != "" {
			if grid, err := s.workerGrid(ctx, u.WorkerID); err != nil {
				return f, err
			} else if q.GridCode != grid {
				return f, errOwnRecords()
			}
		}
		f.Town, f.WorkerID = u.Town, u.WorkerID
	default:
		return f, errOwnRecords()
	}
	return f, nil
}

func errOwnRecords() error {
	return gs.Errorf(gs.EFORBIDDEN, "网格员只能查看本人的记录。")
}

// MaskPersons masks the names and ID numbers of persons in place.
func MaskPersons(ps []gs.Person) {
	for i := range ps {
		ps[i].Name, ps[i].IDNumber = gs.MaskName(ps[i].Name), gs.MaskIDNumber(ps[i].IDNumber)
	}
}

// workerGrid returns the grid of a stored worker ("" when unknown).
func (s *Service) workerGrid(ctx context.Context, id string) (string, error) {
	ws, err := s.DB.WorkersByID(ctx, []string{id})
	if err != nil || len(ws) == 0 {
		return "", err
	}
	return ws[0].GridCode, nil
}

// RecordChoices are the towns and grids u may filter the records by.
func (s *Service) RecordChoices(ctx context.Context, u *gs.User, town string) (towns []string, grids []gs.Grid, err error) {
	switch u.Role {
	case gs.RoleDistrict:
		if towns, err = s.DB.Towns(ctx); err != nil {
			return nil, nil, err
		}
		if town == "" {
			return towns, nil, nil // every grid of a district is too long a list
		}
	case gs.RoleWorker:
		return nil, nil, nil
	default:
		town = u.Town
	}
	grids, err = s.DB.TownGrids(ctx, town)
	return towns, grids, err
}

// RecordView is a record entered by hand as its page shows it to a user.
type RecordView struct {
	Records *gs.Records
	// Values holds the record's values by field (HandFields) as the
	// export writes them and its form takes them back: dates as
	// 2023-07-03, a value of a closed set by its Chinese label.
	Values map[string]string
	// CanEdit is set when the user may change or delete it.
	CanEdit bool
	// Frozen lists the finalized quarters the record concerns (of the
	// user's town).
	Frozen []string
	// Evidence lists the files attached to a finding.
	Evidence []gs.Evidence
}

// Record returns a record of a hand kind for u: a grid worker sees only
// their own (and, of a meeting, their own attendance), a town's center the
// records of its town (and, of a meeting, its workers' attendance), the
// district everything. A grid worker asking for a record that is not theirs,
// or does not exist, is refused alike.
func (s *Service) Record(ctx context.Context, u *gs.User, kind string, key []string) (*RecordView, error) {
	if _, ok := handKinds[kind]; !ok {
		return nil, gs.Errorf(gs.ENOTFOUND, "这类记录没有单独的页面。")
	}
	recs, err := s.DB.Record(ctx, kind, key...)
	if err != nil {
		if u.Role == gs.RoleWorker && gs.ErrorCode(err) == gs.ENOTFOUND {
			return nil, errOwnRecords()
		}
		return nil, err
	}
	v := &RecordView{Records: recs, Values: csvfile.Values(kind, recs, 0)}
	var town string // the town the record belongs to (townOf)
	if townOwned(kind) {
		if town, err = s.townOf(ctx, kind, recs); err != nil {
			return nil, err
		}
		if err := visibleOwned(u, town); err != nil {
			return nil, err
		}
		if kind == "meetings" {
			if err := s.visibleAttendance(ctx, u, recs, key[0]); err != nil {
				return nil, err
			}
		}
	} else if town, err = s.visibleTown(ctx, u, recs); err != nil {
		return nil, err
	}
	if CanEnter(u, kind) {
		err := s.mayChange(ctx, u, kind, key, town)
		switch gs.ErrorCode(err) {
		case "":
			v.CanEdit = true
		case gs.EFORBIDDEN:
		default:
			return nil, err
		}
		frozenTown := u.Town
		if u.Role == gs.RoleDistrict {
			frozenTown = town
		}
		if v.Frozen, err = s.FrozenQuarters(ctx, frozenTown, RecordDates(recs)...); err != nil {
			return nil, err
		}
	}
	if kind == "findings" {
		if v.Evidence, err = s.DB.EvidenceOf(ctx, key); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// visibleOwned refuses u a meeting or calendar day of town they may not
// see: the district sees all; a town's center and its workers their own
// town's and the district's (no town).
func visibleOwned(u *gs.User, town string) error {
	switch {
	case u.Role == gs.RoleDistrict || town == "" || town == u.Town:
		return nil
	case u.Role == gs.RoleWorker:
		return errOwnRecords()
	}
	return gs.Errorf(gs.EFORBIDDEN, "您只能查看本镇街和全区的记录。")
}

// visibleTown returns the town of the worker a record of recs names, or
// refuses u a record they may not see.
func (s *Service) visibleTown(ctx context.Context, u *gs.User, recs *gs.Records) (string, error) {
	town, err := s.recordTown(ctx, recs)
	if err != nil {
		return "", err
	}
	if !u.CanSeeWorker(workerIDsOf(recs)[0], town) {
		if u.Role == gs.RoleWorker {
			return "", errOwnRecords()
		}
		return "", gs.Errorf(gs.EFORBIDDEN, "您只能查看本镇街的记录。")
	}
	return town, nil
}

// visibleAttendance puts into recs the attendance at the meeting that u
// may see: a grid worker their own (refused when they have none), a town's
// center its workers', the district all.
func (s *Service) visibleAttendance(ctx context.Context, u *gs.User, recs *gs.Records, meetingID string) error {
	all, err := s.DB.Attendance(ctx, meetingID)
	if err != nil {
		return err
	}
	switch u.Role {
	case gs.RoleDistrict:
		recs.Attendance = all
	case gs.RoleWorker:
		for _, a := range all {
			if a.WorkerID == u.WorkerID {
				recs.Attendance = append(recs.Attendance, a)
			}
		}
		if len(recs.Attendance) == 0 {
			return errOwnRecords()
		}
	default:
		ids := make([]string, len(all))
		for i, a := range all {
			ids[i] = a.WorkerID
		}
		ws, err := s.DB.WorkersByID(ctx, ids)
		if err != nil {
			return err
		}
		ours := map[string]bool{}
		for _, w := range ws {
			ours[w.ID] = w.Town == u.Town
		}
		for _, a := range all {
			if ours[a.WorkerID] {
				recs.Attendance = append(recs.Attendance, a)
			}
		}
	}
	return nil
}

// Persons returns the persons of the register with these ids. The caller
// masks their names and ID numbers unless the user may see them.
func (s *Service) Persons(ctx context.Context, ids []string) ([]gs.Person, error) {
	return s.DB.Persons(ctx, ids)
}

// WorkersByID returns the stored workers with these ids, with their towns.
func (s *Service) WorkersByID(ctx context.Context, ids []string) ([]gs.TownWorker, error) {
	return s.DB.WorkersByID(ctx, ids)
}

// LeftOn returns the last day in post of those of ids who have left, by
// id, read from the list of every worker kept between changes: a result
// does not say it, and the pages show it beside the worker's name.
func (s *Service) LeftOn(ctx context.Context, ids []string) (map[string]gs.Date, error) {
	tw, err := s.workersMemo(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]gs.Date{}
	for _, id := range ids {
		if i, ok := tw.byID[id]; ok && !tw.list[i].LeftOn.IsZero() {
			out[id] = tw.list[i].LeftOn
		}
	}
	return out, nil
}

// GridWorkers returns the workers of town's grids, for a form's choices.
func (s *Service) GridWorkers(ctx context.Context, town string) ([]gs.TownWorker, error) {
	return s.DB.GridWorkers(ctx, town)
}
