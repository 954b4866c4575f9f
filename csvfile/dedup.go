package csvfile

import (
	"hash/maphash"
	"math"
	"time"

	"github.com/gridscore/gridscore"
)

// Duplicate keys are found without keeping the rows (dupTable, dupkeys.go): a
// key read again with the same content (digest) is the same record given
// twice and is dropped; with other content it is a problem naming both
// rows.

// digestSeed seeds the content hash; it is chosen afresh in every process.
var digestSeed = maphash.MakeSeed()

// digest hashes the content of a record as reflect.DeepEqual compares it,
// so that equal records, however written in the files, hash alike. Each
// record type is projected onto strings and integers first (times as
// nanoseconds, optional amounts with a presence flag).
func digest(rec any) uint32 {
	seed := digestSeed
	var h uint64
	switch r := rec.(type) {
	case *gridscore.Grid:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Worker:
		h = maphash.Comparable(seed, struct {
			ID, Name, Type, GridCode, Phone string
			Stationed                       bool
			HiredOn, LeftOn                 gridscore.Date
			Monthly, Quarterly              int64
		}{r.ID, r.Name, string(r.Type), r.GridCode, r.Phone, r.Stationed, r.HiredOn, r.LeftOn,
			fenKey(r.MonthlyPerformanceFen), fenKey(r.QuarterlySubsidyFen)})
	case *gridscore.Event:
		h = maphash.Comparable(seed, struct {
			ID, WorkerID, Flow, Severity, Category, Card string
			Occurred, Reported, Deadline, Closed         int64
			Irregular                                    bool
		}{r.ID, r.WorkerID, string(r.Flow), string(r.Severity), r.Category, string(r.Card),
			timeKey(r.OccurredAt), timeKey(r.ReportedAt), timeKey(r.Deadline), timeKey(r.ClosedAt), r.Irregular})
	case *gridscore.Login:
		h = maphash.Comparable(seed, struct {
			WorkerID, Channel string
			At                int64
		}{r.WorkerID, string(r.Channel), timeKey(r.At)})
	case *gridscore.Patrol:
		h = maphash.Comparable(seed, struct {
			ID, WorkerID              string
			Started, Ended, DistanceM int64
		}{r.ID, r.WorkerID, timeKey(r.StartedAt), timeKey(r.EndedAt), r.DistanceM})
	case *gridscore.Leave:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Person:
		h = maphash.Comparable(seed, struct {
			PersonID, Category, GridCode, Name, IDNumber string
			Entered, Left                                int64
		}{r.PersonID, string(r.Category), r.GridCode, r.Name, r.IDNumber, timeKey(r.EnteredAt), timeKey(r.LeftAt)})
	case *gridscore.RosterRow:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Visit:
		h = maphash.Comparable(seed, struct {
			ID, PersonID, WorkerID, Note string
			Visited                      int64
		}{r.ID, r.PersonID, r.WorkerID, r.Note, timeKey(r.VisitedAt)})
	case *gridscore.Meeting:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Attendance:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Finding:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Quiz:
		h = maphash.Comparable(seed, *r)
	case *gridscore.Ballot:
		h = maphash.Comparable(seed, struct {
			ID, WorkerID, RaterGroup, Rating string
			Cast                             int64
		}{r.ID, r.WorkerID, string(r.RaterGroup), string(r.Rating), timeKey(r.CastAt)})
	case *gridscore.CalendarDay:
		h = maphash.Comparable(seed, *r)
	default:
		panic("csvfile: no digest for a record of this type")
	}
	return uint32(h ^ h>>32)
}

// timeKey projects a time for digest: the zero time apart from every
// instant.
func timeKey(t time.Time) int64 {
	if t.IsZero() {
		return math.MinInt64
	}
	return t.UnixNano()
}

// fenKey projects an optional amount for digest: nil apart from every
// amount.
func fenKey(f *gridscore.Fen) int64 {
	if f == nil {
		return math.MinInt64
	}
	return int64(*f)
}
