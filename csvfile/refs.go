package csvfile

import (
	"cmp"
	"maps"
	"slices"
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
	recs, orgs := &b.Records, &b.Origins

	grids := setOf(stored.GridCodes)
	maps.Copy(grids, b.unreadable["grids"])
	for _, g := range recs.Grids {
		grids[g.Code] = true
	}
	meetings := setOf(stored.MeetingIDs)
	maps.Copy(meetings, b.unreadable["meetings"])
	for _, m := range recs.Meetings {
		meetings[m.ID] = true
	}
	persons := setOf(stored.PersonIDs)
	maps.Copy(persons, b.unreadable["register"])
	for _, p := range recs.Register {
		persons[p.PersonID] = true
	}
	workers := make(map[string]postHolder, len(stored.Workers)+len(recs.Workers))
	for i := range stored.Workers {
		workers[stored.Workers[i].ID] = postHolder{w: &stored.Workers[i]}
	}
	for i := range recs.Workers {
		workers[recs.Workers[i].ID] = postHolder{w: &recs.Workers[i], origin: &orgs.Workers[i]}
	}

	gridRef := func(code string) (bool, string) {
		return grids[code], "网格编码 " + strconv.Quote(code) + " 没有对应的网格"
	}
	workerRef := func(id string) (bool, string) {
		_, ok := workers[id]
		ok = ok || b.unreadable["workers"][id]
		return ok, "工号 " + strconv.Quote(id) + " 没有对应的网格员"
	}
	check := func(o []Origin, c *column, id func(i int) string, ref func(string) (bool, string)) {
		for i := range o {
			if ok, msg := ref(id(i)); !ok {
				rep.add(Problem{File: o[i].File, Row: o[i].Row, Column: c.label(), Message: msg})
			}
		}
	}

	check(orgs.Workers, wkGrid, func(i int) string { return recs.Workers[i].GridCode }, gridRef)
	check(orgs.Register, rgGrid, func(i int) string { return recs.Register[i].GridCode }, gridRef)
	check(orgs.Rosters, roGrid, func(i int) string { return recs.Rosters[i].GridCode }, gridRef)
	check(orgs.Events, evWorker, func(i int) string { return recs.Events[i].WorkerID }, workerRef)
	check(orgs.Logins, lgWorker, func(i int) string { return recs.Logins[i].WorkerID }, workerRef)
	check(orgs.Patrols, paWorker, func(i int) string { return recs.Patrols[i].WorkerID }, workerRef)
	check(orgs.Leaves, lvWorker, func(i int) string { return recs.Leaves[i].WorkerID }, workerRef)
	check(orgs.Visits, viPerson, func(i int) string { return recs.Visits[i].PersonID }, func(id string) (bool, string) {
		return persons[id], "人员编号 " + strconv.Quote(id) + " 不在特殊人群登记中"
	})
	check(orgs.Visits, viWorker, func(i int) string { return recs.Visits[i].WorkerID }, workerRef)
	check(orgs.Attendance, atMeeting, func(i int) string { return recs.Attendance[i].MeetingID }, func(id string) (bool, string) {
		return meetings[id], "会议编号 " + strconv.Quote(id) + " 没有对应的会议"
	})
	check(orgs.Attendance, atWorker, func(i int) string { return recs.Attendance[i].WorkerID }, workerRef)
	check(orgs.Findings, fiWorker, func(i int) string { return recs.Findings[i].WorkerID }, workerRef)
	check(orgs.Quizzes, qzWorker, func(i int) string { return recs.Quizzes[i].WorkerID }, workerRef)
	check(orgs.Ballots, baWorker, func(i int) string { return recs.Ballots[i].WorkerID }, workerRef)

	checkOverlaps(&rep, workers)
	return rep.err()
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
func checkOverlaps(rep *Report, workers map[string]postHolder) {
	byGrid := map[string][]postHolder{}
	for _, h := range workers {
		byGrid[h.w.GridCode] = append(byGrid[h.w.GridCode], h)
	}
	for _, grid := range slices.Sorted(maps.Keys(byGrid)) {
		hs := byGrid[grid]
		slices.SortFunc(hs, func(a, b postHolder) int {
			return cmp.Or(cmp.Compare(a.w.HiredOn, b.w.HiredOn), cmp.Compare(a.w.ID, b.w.ID))
		})
		// Sorted by hiring, a later worker overlaps an earlier one exactly
		// when hired on or before the earlier one's last day.
		for i, a := range hs {
			for _, b := range hs[i+1:] {
				if !a.w.LeftOn.IsZero() && b.w.HiredOn > a.w.LeftOn {
					break
				}
				if a.origin == nil && b.origin == nil {
					continue
				}
				at, other := b, a
				if b.origin == nil || (a.origin != nil && originLess(*b.origin, *a.origin)) {
					at, other = a, b
				}
				rep.add(Problem{
					File: at.origin.File, Row: at.origin.Row, Column: wkGrid.label(),
					Message: "网格 " + strconv.Quote(grid) + " 同一天有两名网格员在岗：与 " + describe(other) +
						"重叠的日期为 " + overlapDays(a.w, b.w),
				})
			}
		}
	}
}

func originLess(a, b Origin) bool {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Row, b.Row)) < 0
}

// describe names a worker for an overlap message, with its row or as stored.
func describe(h postHolder) string {
	s := h.w.ID + " " + h.w.Name
	if h.origin != nil {
		return s + "（" + h.origin.String() + "）"
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
