package gen

import (
	"time"

	gs "github.com/gridscore/gridscore"
)

// Categories of the special populations by how common they are, in urban
// communities and in villages.
var personCategories = [2][]gs.Category{
	{gs.CategoryDrug, gs.CategoryDrug, gs.CategoryCorrection, gs.CategoryReleased, gs.CategoryReleased,
		gs.CategoryReleased, gs.CategoryMental, gs.CategoryMental, gs.CategoryMental, gs.CategoryMental},
	{gs.CategoryDrug, gs.CategoryDrug, gs.CategoryDrug, gs.CategoryCorrection, gs.CategoryCorrection,
		gs.CategoryReleased, gs.CategoryReleased, gs.CategoryReleased, gs.CategoryMental, gs.CategoryMental},
}

// personSpec is, by category, the per cent of men, the first birth year and
// the span of birth years.
var personSpec = map[gs.Category][3]int{
	gs.CategoryDrug:       {85, 1970, 30},
	gs.CategoryCorrection: {75, 1960, 40},
	gs.CategoryReleased:   {90, 1958, 40},
	gs.CategoryMental:     {50, 1950, 50},
}

// visitNotes are what a worker writes after visiting a person, by category.
var visitNotes = map[gs.Category][]string{
	gs.CategoryDrug:       {"上门走访，本人在家，尿检结果阴性，情绪稳定", "走访本人及家属，近期务工正常，无异常", "电话联系后入户走访，生活规律，无复吸迹象"},
	gs.CategoryCorrection: {"入户走访，按时到司法所报到，思想稳定", "走访本人，遵守矫正规定，无外出", "与家属交谈，本人在家务农，表现良好"},
	gs.CategoryReleased:   {"走访本人，已在镇上务工，生活正常", "入户走访，与家人关系融洽，无异常", "走访了解就业情况，已推荐公益性岗位"},
	gs.CategoryMental:     {"入户走访，按时服药，监护人在家", "走访监护人，病情稳定，已领取免费药品", "与监护人交谈，近期无肇事肇祸倾向"},
}

// addRegister adds the special-population register and the departments'
// rosters: in each grid of 1,000 to 2,000 residents about 1 % (10 to 20
// persons), most entered years ago, a few leaving the register during the
// quarter, and now and then a person newly listed by a department and
// entered within the week. A worker with the missing-entry fault never
// enters one newly listed person.
func (t *town) addRegister() {
	r, d := t.r, t.g.days
	departments := map[gs.Category]string{
		gs.CategoryDrug:       "县公安局禁毒大队",
		gs.CategoryCorrection: "县司法局" + t.base + "司法所",
		gs.CategoryReleased:   "县司法局" + t.base + "司法所",
		gs.CategoryMental:     "县卫生健康局",
	}
	qStart := d.mid[0]
	for g := range t.grids {
		gr := &t.grids[g]
		area := 0
		if gr.village {
			area = 1
		}
		cats := personCategories[area]
		for range 10 + r.IntN(11) {
			cat := cats[r.IntN(len(cats))]
			entered := qStart - int64(30+r.IntN(2500))*86400 + int64(9*3600+r.IntN(8*3600))
			var left int64
			if r.IntN(100) < 3 {
				left = d.mid[r.IntN(d.n)] + int64(9*3600+r.IntN(8*3600))
			}
			t.person(g, cat, departments[cat], entered, left, r.IntN(5)+1)
		}
		if r.IntN(10) < 4 {
			listed := r.IntN(d.n - 10)
			entered := d.mid[listed] + int64(1+r.IntN(6))*86400 + int64(9*3600+r.IntN(8*3600))
			cat := cats[r.IntN(len(cats))]
			t.person(g, cat, departments[cat], entered, 0, int((entered-d.mid[listed])/86400))
		}
		for _, h := range gr.holders {
			if h < 0 || !t.workers[h].f.missingEntry {
				continue
			}
			// Due (listed + 7 days) on a day the worker is in post.
			due := t.workers[h].inPost.list(7, d.n, t.dayBuf[:0])
			t.dayBuf = due
			if len(due) == 0 {
				continue
			}
			listed := d.first.AddDays(int(due[r.IntN(len(due))]) - 7)
			cat := cats[r.IntN(len(cats))]
			t.recs.Rosters = append(t.recs.Rosters, gs.RosterRow{
				PersonID: t.personID(), Category: cat, GridCode: gr.code, ListedOn: listed, Department: departments[cat],
			})
		}
	}
}

// personID returns the id of the next person of the town's rosters.
func (t *town) personID() string { return t.prefix + "TS" + pad(len(t.recs.Rosters)+1, 5) }

// person adds a person listed by a department listedBefore days before
// being entered on the register at entered (unix seconds), and taken off it
// at left (zero: still on it).
func (t *town) person(g int, cat gs.Category, dept string, entered, left int64, listedBefore int) {
	r := t.r
	gr := &t.grids[g]
	id := t.personID()
	enteredAt := time.Unix(entered, 0).In(gs.CST)
	t.recs.Rosters = append(t.recs.Rosters, gs.RosterRow{
		PersonID: id, Category: cat, GridCode: gr.code, ListedOn: gs.DateOf(enteredAt).AddDays(-listedBefore), Department: dept,
	})
	spec := personSpec[cat]
	male := r.IntN(100) < spec[0]
	birth := gs.NewDate(spec[1]+r.IntN(spec[2]), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	p := gs.Person{
		PersonID:  id,
		Category:  cat,
		GridCode:  gr.code,
		EnteredAt: enteredAt,
		Name:      personName(r, male),
		IDNumber:  idNumber(r, birth, male),
	}
	if left != 0 {
		p.LeftAt = time.Unix(left, 0).In(gs.CST)
	}
	t.recs.Register = append(t.recs.Register, p)
}

// addVisits adds the monthly visit of every person who needs one (RULES.md
// §4): by the grid's worker on a duty day from the 1st to the 25th, except
// that a worker with the late-visit fault visits one person after the 28th.
func (t *town) addVisits() {
	r, d := t.r, t.g.days
	for m := range 3 {
		start, end := d.monthStart[m], d.monthStart[m+1]
		visitDay := start + 27 // the 28th
		cutoff := d.mid[start]
		p := 0
		for g := range t.grids {
			gr := &t.grids[g]
			// The grid's persons are contiguous in the register.
			from := p
			for p < len(t.recs.Register) && t.recs.Register[p].GridCode == gr.code {
				p++
			}
			persons := t.recs.Register[from:p]
			// Candidate days: a holder's duty days from the 1st to the 25th.
			cand := t.dayBuf[:0]
			for _, h := range gr.holders {
				if h >= 0 {
					cand = t.workers[h].duty.list(start, min(start+25, end), cand)
				}
			}
			t.dayBuf = cand
			if len(cand) == 0 {
				continue
			}
			lateWorker := -1
			if h := t.holderOn(gr, visitDay); h >= 0 && int(t.workers[h].f.lateVisit) == m && end-1 > visitDay {
				lateWorker = h
			}
			for i := range persons {
				ps := &persons[i]
				if ps.EnteredAt.Unix() >= cutoff || (!ps.LeftAt.IsZero() && d.index(ps.LeftAt.Unix()) < visitDay) {
					continue
				}
				day := int(cand[r.IntN(len(cand))])
				worker := t.holderOn(gr, day)
				if lateWorker >= 0 {
					day, worker, lateWorker = visitDay+1+r.IntN(end-1-visitDay), lateWorker, -1
				}
				sec := 9*3600 + r.IntN(150*60)
				if r.IntN(2) == 0 {
					sec = 14*3600 + 30*60 + r.IntN(150*60)
				}
				notes := visitNotes[ps.Category]
				t.recs.Visits = append(t.recs.Visits, gs.Visit{
					PersonID:  ps.PersonID,
					WorkerID:  t.workers[worker].id,
					VisitedAt: d.at(day, sec),
					Note:      notes[r.IntN(len(notes))],
				})
			}
		}
	}
}

// holderOn returns the worker in post in the grid on day i, or -1.
func (t *town) holderOn(gr *gridPlan, i int) int {
	for _, h := range gr.holders {
		if h >= 0 && t.workers[h].inPost.has(i) {
			return h
		}
	}
	return -1
}
