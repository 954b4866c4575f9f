package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// The records pushed through the JSON API: a JSON array of one kind's
// records with DATA.md's keys and values, read as the rows of the kind's
// file are (csvfile.ReadJSON: the same values, messages and records' own
// Validate, no CSV in between), kept in the token's town as an upload is
// (townScope), their references checked as an import checks them, and
// written by the import's upsert (store.ImportTx) with the audit entry in
// one transaction: all of the request or nothing. The same request sent
// again changes nothing.

// Bounds of a request of the API.
const (
	// MaxAPIItems is the most records one request may hold.
	MaxAPIItems = 10_000
	// MaxAPIBytes is the largest body a request may send: about 10,000
	// events of the longest likely text.
	MaxAPIBytes = 8 << 20
	// pushLockWait is how long a push waits for the town check's locks
	// another import holds (a large upload of the same kind holds its kind
	// until it commits) before it is answered 数据库正忙，请稍后重试: each
	// waiting push holds a connection of the pool, which the upload may
	// need.
	pushLockWait = 10 * time.Second
)

// APIKind is a kind of record the API writes, as its OpenAPI document
// describes it.
type APIKind struct {
	// Name is DATA.md's (events), Title the Chinese one (事件).
	Name, Title string
	// Platform is set for the kinds the grid platform produces (events,
	// logins, patrols, leaves, register, rosters, visits, ballots); the
	// others are the town center's.
	Platform bool
	Fields   []APIField
}

// APIField is one key of a record of a kind: a column of its file.
type APIField struct {
	// Key is DATA.md's (reported_at), Title its Chinese header (上报时间).
	Key, Title string
	// Required is set when a record must give it (not null, not "").
	Required bool
	// InKey is set when it is one of the keys that name a record.
	InKey bool
	// Type is what it holds: text, enum, boolean, date, timestamp,
	// integer or money.
	Type string
	// Values are the codes of an enum (DATA.md's English values), with
	// their Chinese labels, which are accepted too.
	Values []APIValue
	// MaxLength is the most characters of a text (0: no bound of its own).
	MaxLength int
}

// APIValue is one value of an enum.
type APIValue struct{ Code, Title string }

// platformKinds are the kinds the grid platform produces (issue 16).
var platformKinds = []string{gs.KindEvents, gs.KindLogins, gs.KindPatrols, gs.KindLeaves,
	gs.KindRegister, gs.KindRosters, gs.KindVisits, gs.KindBallots}

// APIKinds lists the kinds the API writes, every kind of DATA.md §1, in
// its order, each with its keys as the import reads them.
func APIKinds() []APIKind {
	var out []APIKind
	for _, f := range csvfile.Formats() {
		k := APIKind{Name: f.Name, Title: f.Title, Platform: slices.Contains(platformKinds, f.Name)}
		for _, c := range csvfile.Columns(f.Name) {
			fd := APIField{Key: c.Key, Title: c.Title, Required: c.Required, InKey: c.InKey, Type: string(c.Type),
				MaxLength: gs.MaxLength(f.Name, c.Key)}
			for _, v := range c.Values {
				fd.Values = append(fd.Values, APIValue{Code: v.Code, Title: v.Title})
			}
			k.Fields = append(k.Fields, fd)
		}
		out = append(out, k)
	}
	return out
}

// APIWrite is what a request of the API did with its records: how many
// it held (a record repeated identically counts once), how many were
// added, how many replaced a stored record that differed, and how many
// changed nothing.
type APIWrite struct {
	Kind                                   string
	Received, Inserted, Updated, Unchanged int64
}

// APIProblems is the refusal of a request's records: what is wrong with
// each item (at most csvfile.MaxFileProblems listed; Unlisted counts the
// others), with a message for the whole. Its code is EINVALID, or
// EFORBIDDEN when records are outside the token's town.
type APIProblems struct {
	Code     string
	Message  string
	Items    []ItemProblem
	Unlisted int
}

// ItemProblem is a problem of the item of a request at Index (-1 for the
// request as a whole) with its key Field (DATA.md's name; the keys of a
// key of several joined by "+"; "" for the whole item).
type ItemProblem struct {
	Index   int
	Field   string
	Message string
}

func (e *APIProblems) Error() string { return e.Message }

// As lets gs.ErrorCode and gs.ErrorMessage see the refusal's code.
func (e *APIProblems) As(target any) bool {
	if t, ok := target.(**gs.Error); ok {
		*t = &gs.Error{Code: e.Code, Message: e.Message}
		return true
	}
	return false
}

// problemsOfItems turns a report of csvfile into the refusal of a request.
func problemsOfItems(code string, rep *csvfile.Report) *APIProblems {
	e := &APIProblems{Code: code}
	for _, p := range rep.Problems {
		e.Items = append(e.Items, ItemProblem{Index: csvfile.ItemIndex(p), Field: p.Key, Message: p.Message})
	}
	slices.SortStableFunc(e.Items, func(a, b ItemProblem) int { return cmp.Compare(a.Index, b.Index) })
	e.Unlisted = rep.Total() - len(rep.Problems)
	n := len(e.Items) + e.Unlisted
	switch {
	case code == gs.EFORBIDDEN:
		e.Message = fmt.Sprintf("有 %d 处记录不属于本令牌的镇街，没有写入任何记录。", n)
	case len(e.Items) == 1 && e.Items[0].Index < 0:
		e.Message = e.Items[0].Message
	default:
		e.Message = fmt.Sprintf("发现 %d 处问题，没有写入任何记录。", n)
	}
	return e
}

// PushRecords writes the records of kind that body holds (a JSON array)
// for token t, all or nothing, and says what it did. A kind t may not
// write is EFORBIDDEN; a body of more than MaxAPIItems records ETOOLARGE;
// records with mistakes are an *APIProblems naming each item and key
// (EINVALID), as are records of another town's workers, grids or keys
// (EFORBIDDEN). An error reading body (its size bound, say) is returned as
// it is.
func (s *Service) PushRecords(ctx context.Context, t *gs.APIToken, kind string, body io.Reader) (*APIWrite, error) {
	if !t.MayWrite(kind) {
		return nil, gs.Errorf(gs.EFORBIDDEN, "此令牌不能写入%s（%s）：请镇街管理员在「接口令牌」页新建一个包含此类记录的令牌。", gs.KindName[kind], kind)
	}
	batch, err := csvfile.ReadJSON(kind, body, MaxAPIItems)
	var rep *csvfile.Report
	switch {
	case errors.Is(err, csvfile.ErrTooManyItems):
		return nil, gs.Errorf(gs.ETOOLARGE, "一次最多写入 %d 条记录，请分批发送。", MaxAPIItems)
	case errors.As(err, &rep):
		return nil, problemsOfItems(gs.EINVALID, rep)
	case err != nil:
		return nil, err
	}
	recs := &batch.Records
	// A ballot a survey brought stays as it came (survey_guard.go). Asked
	// through the read pool before the import takes its connection: on
	// PostgreSQL both are one pool, and pushes each holding one connection
	// while waiting for a second would exhaust it.
	if kind == gs.KindBallots {
		ps, err := surveyBallotProblems(ctx, s.DB, recs.Ballots, batch.Origins.Ballots)
		if err != nil {
			return nil, err
		}
		if len(ps) > 0 {
			return nil, problemsOfItems(gs.EINVALID, &csvfile.Report{Problems: ps})
		}
	}
	it, err := s.DB.BeginImport(ctx, store.OnlyTown(t.Town), store.LockWait(pushLockWait))
	if err != nil {
		return nil, err
	}
	defer it.Rollback()
	if err := apiScope(ctx, it, t.Town, kind, batch); err != nil {
		return nil, err
	}
	if s.townChecked != nil {
		s.townChecked()
	}
	stored, err := it.KnownOf(ctx, knownQuery(recs))
	if err != nil {
		return nil, err
	}
	err = batch.CheckReferences(csvfile.Known{GridCodes: keys(stored.Grids), Workers: stored.Workers,
		MeetingIDs: keys(stored.MeetingIDs), PersonIDs: keys(stored.PersonIDs)})
	if errors.As(err, &rep) {
		return nil, problemsOfItems(gs.EINVALID, rep)
	} else if err != nil {
		return nil, err
	}
	if err := it.Note(ctx, recs); err != nil { // a push outdates the results of the workers it concerns alone
		return nil, err
	}
	if err := it.Write(ctx, recs); err != nil {
		return nil, err
	}
	stats, err := it.Preview(ctx)
	if err != nil {
		return nil, err
	}
	st := stats[kind]
	w := &APIWrite{Kind: kind, Received: st.Received, Inserted: st.Inserted, Updated: st.Updated, Unchanged: st.Unchanged}
	if err := it.AppendAudit(ctx, gs.AuditEntry{At: s.now(), Username: t.AuditName(), Action: gs.AuditAPIWrite,
		Object: apiTokenObject(t), Detail: fmt.Sprintf("%s：收到 %d 条，新增 %d、更新 %d、未变 %d",
			gs.KindName[kind], w.Received, w.Inserted, w.Updated, w.Unchanged)}); err != nil {
		return nil, err
	}
	if _, err := it.Commit(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

// apiScope refuses the records of batch (of kind) that are not town's, as
// an upload of the town's center would (townScope): those naming another
// town, another town's grid, worker or registered person, or the key of
// another town's stored record; and the district's rows (a meeting or
// calendar day without a town). It reads, inside the import it, only the
// grids, workers and persons the records name, and what it finds holds
// until it ends: a push of another town writing the same key waits, then
// is refused (store.ImportTx.OtherTowns).
func apiScope(ctx context.Context, it *store.ImportTx, town, kind string, batch *csvfile.Batch) error {
	sc := newTownScope(ctx, it, town)
	ps := sc.check(kind, &batch.Records, &batch.Origins)
	if sc.err != nil {
		return sc.err
	}
	if len(ps) == 0 {
		return nil
	}
	return problemsOfItems(gs.EFORBIDDEN, &csvfile.Report{Problems: ps})
}

// gridCodesOf lists the grids records name (of the grids themselves too).
func gridCodesOf(recs *gs.Records) []string {
	out := namedBy(recs, func(k scopeKind) func(*gs.Records, int) string { return k.grid })
	for _, g := range recs.Grids {
		out = append(out, g.Code)
	}
	return out
}

// referencedWorkers lists the workers records name (workers themselves
// too: one replacing a stored worker of another town is refused by key).
func referencedWorkers(recs *gs.Records) []string {
	ids := namedBy(recs, func(k scopeKind) func(*gs.Records, int) string { return k.worker })
	for _, w := range recs.Workers {
		ids = append(ids, w.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// namedBy lists what the records of every kind name by the field of
// scopeKinds that field picks (the grid or the worker), where it has one.
func namedBy(recs *gs.Records, field func(scopeKind) func(*gs.Records, int) string) []string {
	var out []string
	for _, k := range scopeKinds {
		if f := field(k); f != nil {
			for i := range k.n(recs) {
				out = append(out, f(recs, i))
			}
		}
	}
	return out
}

// knownQuery names what the records of recs refer to, for reading just
// that of the store (store.ImportTx.KnownOf).
func knownQuery(recs *gs.Records) store.KnownQuery {
	q := store.KnownQuery{Grids: gridCodesOf(recs), Workers: referencedWorkers(recs)}
	for _, w := range recs.Workers {
		q.WorkersOfGrids = append(q.WorkersOfGrids, w.GridCode)
	}
	for _, a := range recs.Attendance {
		q.Meetings = append(q.Meetings, a.MeetingID)
	}
	for _, v := range recs.Visits {
		q.Persons = append(q.Persons, v.PersonID)
	}
	return q
}
