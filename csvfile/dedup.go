package csvfile

import (
	"hash/maphash"
	"math"
	"math/bits"
	"time"

	"github.com/gridscore/gridscore"
)

// Duplicate keys are found without keeping the rows: a keyTable maps a
// 128-bit hash of each key read to a 32-bit hash of the row's content and
// the row's ordinal (which names its file and row), 24 bytes a slot. A key
// read again with the same content is the same record given twice and is
// dropped; with other content it is a problem naming both rows.
//
// A false "duplicate" would need two keys of one import with the same
// 128-bit hash, which does not happen. Two different rows with one key taken
// for the same record would need their 32-bit content hashes to agree: one
// chance in four billion for each such pair, which is itself an error in
// the files.

// keySeeds seed the two halves of a key hash and the content hash; they
// are chosen afresh in every process.
var keySeeds = [3]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed(), maphash.MakeSeed()}

// keyHash is the 128-bit hash of a key.
type keyHash struct{ hi, lo uint64 }

// hashKey hashes a record's key (composite keys joined by keyOf).
func hashKey(key string) keyHash {
	return keyHash{maphash.String(keySeeds[0], key), maphash.String(keySeeds[1], key)}
}

// slot is one entry of a keyTable; ord 0 marks an empty slot (ordinals of
// data rows start at 2, the first row below a header).
type slot struct {
	key keyHash
	sum uint32
	ord uint32
}

// Shards of a keyTable. Each grows on its own, so growing never copies the
// whole table at once.
const (
	shardBits = 8
	shards    = 1 << shardBits
	// maxLoad is the fill of a shard, in 1/8ths, past which it doubles.
	maxLoad = 6
)

// keyTable is an open-addressing hash set of key hashes with linear
// probing, in shards.
//
// A streaming read keeps its tables outside the Go heap (offHeap, where the
// system allows, see allocSlots): a table of millions of keys lives as long
// as its kind is read, and on the heap it would let the garbage collector
// wait for as much garbage again before collecting, doubling the memory an
// import needs. Such a table must be freed.
type keyTable struct {
	shards  [shards][]slot
	mapped  [shards]bool // the shard's slots are outside the heap
	used    [shards]int
	sized   bool // reserve was called
	offHeap bool
}

// insert adds a key with its content hash and ordinal, or returns the slot
// already holding the key and true.
func (t *keyTable) insert(key keyHash, sum, ord uint32) (slot, bool) {
	s := key.hi >> (64 - shardBits)
	if (t.used[s]+1)*8 > len(t.shards[s])*maxLoad {
		t.grow(s, max(16, 2*len(t.shards[s])))
	}
	tab := t.shards[s]
	i, _ := bits.Mul64(key.lo, uint64(len(tab)))
	for {
		e := &tab[i]
		if e.ord == 0 {
			*e = slot{key: key, sum: sum, ord: ord}
			t.used[s]++
			return slot{}, false
		}
		if e.key == key {
			return *e, true
		}
		if i++; i == uint64(len(tab)) {
			i = 0
		}
	}
}

// grow rehashes shard s into n slots.
func (t *keyTable) grow(s uint64, n int) {
	old, oldMapped := t.shards[s], t.mapped[s]
	var tab []slot
	if t.offHeap {
		tab, t.mapped[s] = allocSlots(n)
	} else {
		tab, t.mapped[s] = make([]slot, n), false
	}
	for _, e := range old {
		if e.ord == 0 {
			continue
		}
		i, _ := bits.Mul64(e.key.lo, uint64(n))
		for tab[i].ord != 0 {
			if i++; i == uint64(n) {
				i = 0
			}
		}
		tab[i] = e
	}
	t.shards[s] = tab
	if oldMapped {
		freeSlots(old)
	}
}

// free releases the slots kept outside the heap; the table is empty after.
func (t *keyTable) free() {
	for s := range t.shards {
		if t.mapped[s] {
			freeSlots(t.shards[s])
		}
		t.shards[s], t.mapped[s], t.used[s] = nil, false, 0
	}
}

// reserve makes room for about n keys in all, so that a table sized from an
// estimate of the rows to come does not grow (nor waste memory by doubling).
func (t *keyTable) reserve(n int) {
	t.sized = true
	per := n/shards + 1
	want := per * 8 / maxLoad * 9 / 8 // a little headroom for the estimate
	for s := range t.shards {
		if want > len(t.shards[s]) {
			t.grow(uint64(s), want)
		}
	}
}

// bytes returns the memory the table holds.
func (t *keyTable) bytes() int {
	n := 0
	for _, tab := range t.shards {
		n += len(tab) * 24
	}
	return n
}

// digest hashes the content of a record as reflect.DeepEqual compares it,
// so that equal records, however written in the files, hash alike. Each
// record type is projected onto strings and integers first (times as
// nanoseconds, optional amounts with a presence flag).
func digest(rec any) uint32 {
	seed := keySeeds[2]
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
