package csvfile

import (
	"cmp"
	"maps"
	"slices"
	"sort"
	"strconv"

	"github.com/gridscore/gridscore"
)

// Known is what the database already holds, as far as the reference checks
// need it. The import service fills it inside the transaction that will
// write the batch.
type Known struct {
	GridCodes  []string
	Workers    []gridscore.Worker // full rows: needed to check one worker per grid
	MeetingIDs []string
	PersonIDs  []string // of the special-population register
}

// CheckReferences checks what only the database can tell: that every
// worker, grid, meeting and registered person a row names exists, either
// already stored or in this batch, and that no grid has two workers in post
// on the same day (RULES.md §0), counting stored workers except those this
// batch replaces (same worker_id). A department roster may name persons who
// are not on the register (finding them is its purpose), so its person_id is
// not checked.
//
// It returns nil, or a *Report naming the file and row of every offending
// record of the batch.
func (b *Batch) CheckReferences(stored Known) error {
	var rep Report
	refs := newRefSets(stored, b.unreadable)
	for _, k := range kinds {
		refs.learn(k, &b.Records, &b.Origins)
	}
	for _, k := range kinds {
		refs.check(rep.add, k, &b.Records, &b.Origins)
	}
	checkOverlaps(rep.add, rep.addUnlisted, refs.workers, b.items)
	return rep.err()
}

// refSets is what the records of an import may name: the grids, workers,
// meetings and registered persons stored or read (learnt) so far, and the
// keys of rows that were named but could not be read, which count as
// present.
type refSets struct {
	grids, meetings, persons map[string]bool
	workers                  map[string]postHolder
	unreadable               map[string]map[string]bool
}

// newRefSets returns the sets of what is stored; unreadable is shared with
// the builder, which adds to it as it reads.
func newRefSets(stored Known, unreadable map[string]map[string]bool) *refSets {
	s := &refSets{
		grids:      setOf(stored.GridCodes),
		meetings:   setOf(stored.MeetingIDs),
		persons:    setOf(stored.PersonIDs),
		workers:    make(map[string]postHolder, len(stored.Workers)),
		unreadable: unreadable,
	}
	for i := range stored.Workers {
		s.workers[stored.Workers[i].ID] = postHolder{w: &stored.Workers[i]}
	}
	return s
}

// learn adds the records of kind k of recs that other rows may name. A
// worker read replaces a stored one with the same ID.
func (s *refSets) learn(k *kind, recs *gridscore.Records, orgs *Origins) {
	// Kinds are told apart by name: comparing with the kind variables would
	// make their initialisation refer to itself (parse → add → flush → here).
	switch k.name {
	case "grids":
		for _, g := range recs.Grids {
			s.grids[g.Code] = true
		}
	case "workers":
		for i := range recs.Workers {
			w, o := recs.Workers[i], orgs.Workers[i]
			s.workers[w.ID] = postHolder{w: &w, origin: &o}
		}
	case "meetings":
		for _, m := range recs.Meetings {
			s.meetings[m.ID] = true
		}
	case "register":
		for _, p := range recs.Register {
			s.persons[p.PersonID] = true
		}
	}
}

// check reports (to report) every record of kind k in recs that names a
// grid, worker, meeting or registered person that is not known.
func (s *refSets) check(report func(Problem), k *kind, recs *gridscore.Records, orgs *Origins) {
	gridRef := func(code string) (bool, string) {
		return s.grids[code] || s.unreadable["grids"][code], "网格编码 " + strconv.Quote(code) + " 没有对应的网格"
	}
	workerRef := func(id string) (bool, string) {
		_, ok := s.workers[id]
		return ok || s.unreadable["workers"][id], "工号 " + strconv.Quote(id) + " 没有对应的网格员"
	}
	personRef := func(id string) (bool, string) {
		return s.persons[id] || s.unreadable["register"][id], "人员编号 " + strconv.Quote(id) + " 不在特殊人群登记中"
	}
	meetingRef := func(id string) (bool, string) {
		return s.meetings[id] || s.unreadable["meetings"][id], "会议编号 " + strconv.Quote(id) + " 没有对应的会议"
	}
	check := func(o []Origin, c *column, id func(i int) string, ref func(string) (bool, string)) {
		for i := range o {
			if ok, msg := ref(id(i)); !ok {
				report(c.problem(o[i].File, o[i].Row, msg))
			}
		}
	}
	// A department roster may name persons who are not on the register
	// (finding them is its purpose), so its person_id is not checked.
	switch k.name {
	case "workers":
		check(orgs.Workers, wkGrid, func(i int) string { return recs.Workers[i].GridCode }, gridRef)
	case "register":
		check(orgs.Register, rgGrid, func(i int) string { return recs.Register[i].GridCode }, gridRef)
	case "rosters":
		check(orgs.Rosters, roGrid, func(i int) string { return recs.Rosters[i].GridCode }, gridRef)
	case "events":
		check(orgs.Events, evWorker, func(i int) string { return recs.Events[i].WorkerID }, workerRef)
	case "logins":
		check(orgs.Logins, lgWorker, func(i int) string { return recs.Logins[i].WorkerID }, workerRef)
	case "patrols":
		check(orgs.Patrols, paWorker, func(i int) string { return recs.Patrols[i].WorkerID }, workerRef)
	case "leaves":
		check(orgs.Leaves, lvWorker, func(i int) string { return recs.Leaves[i].WorkerID }, workerRef)
	case "visits":
		check(orgs.Visits, viPerson, func(i int) string { return recs.Visits[i].PersonID }, personRef)
		check(orgs.Visits, viWorker, func(i int) string { return recs.Visits[i].WorkerID }, workerRef)
	case "attendance":
		check(orgs.Attendance, atMeeting, func(i int) string { return recs.Attendance[i].MeetingID }, meetingRef)
		check(orgs.Attendance, atWorker, func(i int) string { return recs.Attendance[i].WorkerID }, workerRef)
	case "findings":
		check(orgs.Findings, fiWorker, func(i int) string { return recs.Findings[i].WorkerID }, workerRef)
	case "quiz":
		check(orgs.Quizzes, qzWorker, func(i int) string { return recs.Quizzes[i].WorkerID }, workerRef)
	case "ballots":
		check(orgs.Ballots, baWorker, func(i int) string { return recs.Ballots[i].WorkerID }, workerRef)
	}
}

// postHolder is a worker with the origin of its row, nil for a stored one.
type postHolder struct {
	w      *gridscore.Worker
	origin *Origin
}

// checkOverlaps reports every pair of workers in post in one grid on a
// common day where at least one of the two comes from the batch. The problem
// goes on the batch's row (the later of two batch rows), naming the other
// worker and the days they share.
//
// Once maxOverlapsListed pairs are reported, the others are only counted
// (to count, for the file of the batch's rows): a file of thousands of
// workers in one grid has millions of pairs, whose words would take many
// minutes to write.
func checkOverlaps(report func(Problem), count func(file string, n int), workers map[string]postHolder, items bool) {
	byGrid := map[string][]postHolder{}
	for _, h := range workers {
		byGrid[h.w.GridCode] = append(byGrid[h.w.GridCode], h)
	}
	listed := 0
	for _, grid := range slices.Sorted(maps.Keys(byGrid)) {
		hs := byGrid[grid]
		slices.SortFunc(hs, func(a, b postHolder) int {
			return cmp.Or(cmp.Compare(a.w.HiredOn, b.w.HiredOn), cmp.Compare(a.w.ID, b.w.ID))
		})
		// stored[i] is the number of stored workers among hs[:i]; file is
		// the file of a worker of the batch.
		stored := make([]int, len(hs)+1)
		file := ""
		for i, h := range hs {
			stored[i+1] = stored[i]
			if h.origin == nil {
				stored[i+1]++
			} else if file == "" {
				file = h.origin.File
			}
		}
		if file == "" {
			continue // stored workers only
		}
		// Sorted by hiring, a later worker overlaps an earlier one exactly
		// when hired on or before the earlier one's last day: a overlaps
		// hs[i+1:end].
		for i, a := range hs {
			end := len(hs)
			if !a.w.LeftOn.IsZero() {
				end = i + 1 + sort.Search(len(hs)-i-1, func(k int) bool { return hs[i+1+k].w.HiredOn > a.w.LeftOn })
			}
			if listed >= maxOverlapsListed {
				n := end - i - 1
				if a.origin == nil {
					n -= stored[end] - stored[i+1]
				}
				if n > 0 {
					count(file, n)
				}
				continue
			}
			for _, b := range hs[i+1 : end] {
				if a.origin == nil && b.origin == nil {
					continue
				}
				at, other := b, a
				if b.origin == nil || (a.origin != nil && originLess(*b.origin, *a.origin)) {
					at, other = a, b
				}
				listed++
				report(wkGrid.problem(at.origin.File, at.origin.Row,
					"网格 "+strconv.Quote(grid)+" 同一天有两名网格员在岗：与 "+describe(other, items)+
						"重叠的日期为 "+overlapDays(a.w, b.w)))
			}
		}
	}
}

// maxOverlapsListed is the most overlaps checkOverlaps words.
const maxOverlapsListed = MaxFileProblems

func originLess(a, b Origin) bool {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row)) < 0
}

// describe names a worker for an overlap message, with its row (or item,
// items) or as stored.
func describe(h postHolder, items bool) string {
	s := h.w.ID + " " + h.w.Name
	if h.origin != nil {
		return s + "（" + h.origin.text(items) + "）"
	}
	return s + "（已有数据）"
}

// overlapDays words the days two workers of one grid are both in post; a is
// the one hired first.
func overlapDays(a, b *gridscore.Worker) string {
	end := a.LeftOn
	if end.IsZero() || (!b.LeftOn.IsZero() && b.LeftOn < end) {
		end = b.LeftOn
	}
	if end.IsZero() {
		return b.HiredOn.String() + " 起"
	}
	return b.HiredOn.String() + " 至 " + end.String()
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}
