package demo

import (
	"math/rand/v2"
	"time"

	gs "github.com/gridscore/gridscore"
)

// departments are the departments whose rosters list each category.
var departments = map[gs.Category]string{
	gs.CategoryDrug:       "县公安局禁毒大队",
	gs.CategoryCorrection: "县司法局青山司法所",
	gs.CategoryReleased:   "县司法局青山司法所",
	gs.CategoryMental:     "县卫生健康局",
}

// registerChange is a change of the register the plan writes out: a person
// listed by a department, entered on the register at entered (empty: never)
// and taken off it at left (empty: still on it).
type registerChange struct {
	grid          string
	category      gs.Category
	listed        string
	entered, left string
}

// registerChanges are the quarter's notable register changes. The one of
// QS-13 is never entered: key.missing_entry for 赵磊.
var registerChanges = []registerChange{
	{grid: "QS-04", category: gs.CategoryCorrection, listed: "2023-07-24", entered: "2023-07-26 10:15"},
	{grid: "QS-09", category: gs.CategoryCorrection, listed: "2022-08-10", entered: "2022-08-12 09:30", left: "2023-08-15 16:00"},
	{grid: "QS-13", category: gs.CategoryDrug, listed: "2023-07-10"},
	{grid: "QS-16", category: gs.CategoryMental, listed: "2023-08-21", entered: "2023-08-25 15:40"},
}

// addRegister adds the special-population register and the departments'
// rosters: in each grid of about 2,000 residents a few persons (2 to 5),
// each listed by a department and entered within a few days, plus the
// quarter's changes.
func (g *gen) addRegister() {
	r := g.rand("register")
	for _, gr := range grids {
		weights := map[bool][]gs.Category{
			false: {gs.CategoryDrug, gs.CategoryCorrection, gs.CategoryReleased, gs.CategoryMental, gs.CategoryMental},
			true:  {gs.CategoryDrug, gs.CategoryDrug, gs.CategoryCorrection, gs.CategoryReleased, gs.CategoryReleased, gs.CategoryMental},
		}[gr.village]
		for range 2 + r.IntN(3) {
			cat := weights[r.IntN(len(weights))]
			entered := randTime(r, g.workdayOnOrAfter(date("2018-01-02").AddDays(r.IntN(1995))), 9*60, 17*60)
			listed := g.workdayOnOrBefore(gs.DateOf(entered).AddDays(-1 - r.IntN(5)))
			g.person(r, gr.code, cat, listed, entered, time.Time{})
		}
		for _, c := range registerChanges {
			if c.grid != gr.code {
				continue
			}
			var entered, left time.Time
			if c.entered != "" {
				entered = ts(c.entered)
			}
			if c.left != "" {
				left = ts(c.left)
			}
			g.person(r, gr.code, c.category, date(c.listed), entered, left)
		}
	}
}

// person adds one person to a roster and, when entered is set, the register.
func (g *gen) person(r *rand.Rand, gridCode string, cat gs.Category, listed gs.Date, entered, left time.Time) {
	id := "TS" + fourDigits(len(g.recs.Rosters)+1)
	g.recs.Rosters = append(g.recs.Rosters, gs.RosterRow{
		PersonID: id, Category: cat, GridCode: gridCode, ListedOn: listed, Department: departments[cat],
	})
	if entered.IsZero() {
		return
	}
	// Share of men (per cent), first birth year and span of birth years.
	spec := map[gs.Category][3]int{
		gs.CategoryDrug:       {85, 1975, 24},
		gs.CategoryCorrection: {75, 1965, 36},
		gs.CategoryReleased:   {90, 1960, 36},
		gs.CategoryMental:     {50, 1952, 44},
	}[cat]
	male := r.IntN(100) < spec[0]
	birth := gs.NewDate(spec[1]+r.IntN(spec[2]), time.Month(1+r.IntN(12)), 1+r.IntN(28))
	g.recs.Register = append(g.recs.Register, gs.Person{
		PersonID:  id,
		Category:  cat,
		GridCode:  gridCode,
		EnteredAt: entered,
		LeftAt:    left,
		Name:      personName(r, male),
		IDNumber:  idNumber(r, birth, male),
	})
}

// workdayOnOrBefore returns the last workday on or before d.
func (g *gen) workdayOnOrBefore(d gs.Date) gs.Date {
	for !g.cal.IsWorkday(TownName, d) {
		d--
	}
	return d
}

// workdayOnOrAfter returns the first workday on or after d.
func (g *gen) workdayOnOrAfter(d gs.Date) gs.Date {
	for !g.cal.IsWorkday(TownName, d) {
		d++
	}
	return d
}

// visitNotes are what a worker writes after visiting a person, by category.
var visitNotes = map[gs.Category][]string{
	gs.CategoryDrug:       {"上门走访，本人在家，尿检结果阴性，情绪稳定", "走访本人及家属，近期务工正常，无异常", "电话联系后入户走访，生活规律，无复吸迹象"},
	gs.CategoryCorrection: {"入户走访，按时到司法所报到，思想稳定", "走访本人，遵守矫正规定，无外出", "与家属交谈，本人在家务农，表现良好"},
	gs.CategoryReleased:   {"走访本人，已在镇上务工，生活正常", "入户走访，与家人关系融洽，无异常", "走访了解就业情况，已推荐公益性岗位"},
	gs.CategoryMental:     {"入户走访，按时服药，监护人在家", "走访监护人，病情稳定，已领取免费药品", "与监护人交谈，近期无肇事肇祸倾向"},
}

// addVisits adds the monthly visit of every person who needs one (RULES.md
// §4), made by the grid's worker on a duty day from the 1st to the 25th;
// except the late visits of the plan, made after the 28th.
func (g *gen) addVisits() {
	r := g.rand("visits")
	late := make([]bool, len(lateVisits))
	for _, m := range g.q.Months() {
		for _, p := range g.recs.Register {
			if !p.EnteredAt.Before(m.First().Start()) || (!p.LeftAt.IsZero() && gs.DateOf(p.LeftAt) < m.Day(28)) {
				continue
			}
			// The first person of a late-visit grid and month is visited late.
			var t time.Time
			for i, lv := range lateVisits {
				if lv.grid == p.GridCode && lv.month == m.Month && !late[i] {
					t, late[i] = ts(lv.at), true
				}
			}
			var candidates []gs.Date
			for d := m.First(); d <= m.Day(25); d++ {
				if w := g.inPost(p.GridCode, d); w != nil && g.isDuty(w.ID, d) {
					candidates = append(candidates, d)
				}
			}
			d := candidates[r.IntN(len(candidates))]
			if t.IsZero() {
				if r.IntN(2) == 0 {
					t = randTime(r, d, 9*60, 11*60+30)
				} else {
					t = randTime(r, d, 14*60+30, 17*60)
				}
			}
			notes := visitNotes[p.Category]
			g.recs.Visits = append(g.recs.Visits, gs.Visit{
				PersonID:  p.PersonID,
				WorkerID:  g.inPost(p.GridCode, gs.DateOf(t)).ID,
				VisitedAt: t,
				Note:      notes[r.IntN(len(notes))],
			})
		}
	}
}

func fourDigits(n int) string { return twoDigits(n/100) + twoDigits(n%100) }
