package csvfile

import (
	"github.com/gridscore/gridscore"
)

// This file defines the kinds that describe the organisation and its
// people: grids, workers, the special-population register, the departments'
// rosters, visits, meetings, attendance and the calendar.

var (
	grCode      = req("grid_code", "网格编码")
	grName      = req("grid_name", "网格名称")
	grCommunity = opt("community", "村社区")
	grTown      = req("town", "镇街")
)

var gridsKind = &kind{
	name: gridscore.KindGrids, zh: gridscore.KindName[gridscore.KindGrids],
	cols:    []*column{grCode, grName, grCommunity, grTown},
	keyCols: []*column{grCode},
	parse: func(r *row) {
		g := gridscore.Grid{Code: r.text(grCode), Name: r.text(grName), Community: r.text(grCommunity), Town: r.text(grTown)}
		r.check(g.Validate())
		add(r, &r.b.batch.Records.Grids, &r.b.batch.Origins.Grids, g.Code, g)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Grids) },
	format: func(recs *gridscore.Records, i int, out []string) {
		g := &recs.Grids[i]
		out[grCode.pos], out[grName.pos], out[grCommunity.pos], out[grTown.pos] = g.Code, g.Name, g.Community, g.Town
	},
}

var (
	wkID        = req("worker_id", "工号")
	wkName      = req("name", "姓名")
	wkType      = req("type", "类型")
	wkStationed = opt("stationed", "居委会驻地")
	wkGrid      = req("grid_code", "网格编码")
	wkHired     = req("hired_on", "入职日期")
	wkLeft      = opt("left_on", "离职日期")
	wkPhone     = opt("phone", "手机号")
	wkMonthly   = opt("monthly_performance_yuan", "月绩效金额")
	wkQuarterly = opt("quarterly_subsidy_yuan", "季度补助金额")
)

var workersKind = &kind{
	name: gridscore.KindWorkers, zh: gridscore.KindName[gridscore.KindWorkers],
	cols:    []*column{wkID, wkName, wkType, wkStationed, wkGrid, wkHired, wkLeft, wkPhone, wkMonthly, wkQuarterly},
	keyCols: []*column{wkID},
	parse: func(r *row) {
		w := gridscore.Worker{
			ID:                    r.text(wkID),
			Name:                  r.text(wkName),
			Type:                  gridscore.WorkerType(r.enum(wkType, workerTypes)),
			Stationed:             r.boolean(wkStationed),
			GridCode:              r.text(wkGrid),
			HiredOn:               r.date(wkHired),
			LeftOn:                r.date(wkLeft),
			Phone:                 r.text(wkPhone),
			MonthlyPerformanceFen: r.money(wkMonthly),
			QuarterlySubsidyFen:   r.money(wkQuarterly),
		}
		r.check(w.Validate())
		add(r, &r.b.batch.Records.Workers, &r.b.batch.Origins.Workers, w.ID, w)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Workers) },
	format: func(recs *gridscore.Records, i int, out []string) {
		w := &recs.Workers[i]
		out[wkID.pos] = w.ID
		out[wkName.pos] = w.Name
		out[wkType.pos] = workerTypes.label(string(w.Type))
		out[wkStationed.pos] = formatBool(w.Stationed)
		out[wkGrid.pos] = w.GridCode
		out[wkHired.pos] = w.HiredOn.String()
		out[wkLeft.pos] = w.LeftOn.String()
		out[wkPhone.pos] = w.Phone
		out[wkMonthly.pos] = formatFen(w.MonthlyPerformanceFen)
		out[wkQuarterly.pos] = formatFen(w.QuarterlySubsidyFen)
	},
}

var (
	rgPerson   = req("person_id", "人员编号")
	rgCategory = req("category", "人群类别")
	rgGrid     = req("grid_code", "网格编码")
	rgEntered  = req("entered_at", "录入时间")
	rgLeft     = opt("left_at", "移出时间")
	rgName     = opt("name", "姓名")
	rgIDNumber = opt("id_number", "身份证号")
)

var registerKind = &kind{
	name: gridscore.KindRegister, zh: gridscore.KindName[gridscore.KindRegister],
	cols:    []*column{rgPerson, rgCategory, rgGrid, rgEntered, rgLeft, rgName, rgIDNumber},
	keyCols: []*column{rgPerson},
	parse: func(r *row) {
		p := gridscore.Person{
			PersonID:  r.text(rgPerson),
			Category:  gridscore.Category(r.enum(rgCategory, categories)),
			GridCode:  r.text(rgGrid),
			EnteredAt: r.timestamp(rgEntered),
			LeftAt:    r.timestamp(rgLeft),
			Name:      r.text(rgName),
			IDNumber:  r.text(rgIDNumber),
		}
		r.check(p.Validate())
		add(r, &r.b.batch.Records.Register, &r.b.batch.Origins.Register, p.PersonID, p)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Register) },
	format: func(recs *gridscore.Records, i int, out []string) {
		p := &recs.Register[i]
		out[rgPerson.pos] = p.PersonID
		out[rgCategory.pos] = categories.label(string(p.Category))
		out[rgGrid.pos] = p.GridCode
		out[rgEntered.pos] = formatTime(p.EnteredAt)
		out[rgLeft.pos] = formatTime(p.LeftAt)
		out[rgName.pos] = p.Name
		out[rgIDNumber.pos] = p.IDNumber
	},
}

var (
	roPerson   = req("person_id", "人员编号")
	roCategory = req("category", "人群类别")
	roGrid     = req("grid_code", "网格编码")
	roListed   = req("listed_on", "列入日期")
	roDept     = opt("department", "来源部门")
)

var rostersKind = &kind{
	name: gridscore.KindRosters, zh: gridscore.KindName[gridscore.KindRosters],
	cols:    []*column{roPerson, roCategory, roGrid, roListed, roDept},
	keyCols: []*column{roPerson, roListed},
	parse: func(r *row) {
		p := gridscore.RosterRow{
			PersonID:   r.text(roPerson),
			Category:   gridscore.Category(r.enum(roCategory, categories)),
			GridCode:   r.text(roGrid),
			ListedOn:   r.date(roListed),
			Department: r.text(roDept),
		}
		r.check(p.Validate())
		add(r, &r.b.batch.Records.Rosters, &r.b.batch.Origins.Rosters, keyOf(p.PersonID, p.ListedOn.String()), p)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Rosters) },
	format: func(recs *gridscore.Records, i int, out []string) {
		p := &recs.Rosters[i]
		out[roPerson.pos] = p.PersonID
		out[roCategory.pos] = categories.label(string(p.Category))
		out[roGrid.pos] = p.GridCode
		out[roListed.pos] = p.ListedOn.String()
		out[roDept.pos] = p.Department
	},
}

var (
	viID      = req("visit_id", "走访编号")
	viPerson  = req("person_id", "人员编号")
	viWorker  = req("worker_id", "工号")
	viVisited = req("visited_at", "走访时间")
	viNote    = opt("note", "走访情况")
)

var visitsKind = &kind{
	name: gridscore.KindVisits, zh: gridscore.KindName[gridscore.KindVisits],
	cols:    []*column{viID, viPerson, viWorker, viVisited, viNote},
	keyCols: []*column{viID},
	parse: func(r *row) {
		v := gridscore.Visit{ID: r.text(viID), PersonID: r.text(viPerson), WorkerID: r.text(viWorker), VisitedAt: r.timestamp(viVisited), Note: r.text(viNote)}
		r.check(v.Validate())
		add(r, &r.b.batch.Records.Visits, &r.b.batch.Origins.Visits, v.ID, v)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Visits) },
	format: func(recs *gridscore.Records, i int, out []string) {
		v := &recs.Visits[i]
		out[viID.pos], out[viPerson.pos], out[viWorker.pos] = v.ID, v.PersonID, v.WorkerID
		out[viVisited.pos], out[viNote.pos] = formatTime(v.VisitedAt), v.Note
	},
}

var (
	mtID    = req("meeting_id", "会议编号")
	mtHeld  = req("held_on", "会议日期")
	mtTitle = req("title", "会议名称")
	mtKind  = opt("kind", "类型")
	mtTown  = opt("town", "镇街")
)

var meetingsKind = &kind{
	name: gridscore.KindMeetings, zh: gridscore.KindName[gridscore.KindMeetings],
	cols:    []*column{mtID, mtHeld, mtTitle, mtKind, mtTown},
	keyCols: []*column{mtID},
	parse: func(r *row) {
		m := gridscore.Meeting{ID: r.text(mtID), HeldOn: r.date(mtHeld), Title: r.text(mtTitle), Kind: r.text(mtKind), Town: r.text(mtTown)}
		r.check(m.Validate())
		add(r, &r.b.batch.Records.Meetings, &r.b.batch.Origins.Meetings, m.ID, m)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Meetings) },
	format: func(recs *gridscore.Records, i int, out []string) {
		m := &recs.Meetings[i]
		out[mtID.pos], out[mtHeld.pos], out[mtTitle.pos], out[mtKind.pos], out[mtTown.pos] = m.ID, m.HeldOn.String(), m.Title, m.Kind, m.Town
	},
}

var (
	atMeeting = req("meeting_id", "会议编号")
	atWorker  = req("worker_id", "工号")
	atStatus  = req("status", "出勤")
)

var attendanceKind = &kind{
	name: gridscore.KindAttendance, zh: gridscore.KindName[gridscore.KindAttendance],
	cols:    []*column{atMeeting, atWorker, atStatus},
	keyCols: []*column{atMeeting, atWorker},
	parse: func(r *row) {
		a := gridscore.Attendance{MeetingID: r.text(atMeeting), WorkerID: r.text(atWorker), Status: gridscore.AttendanceStatus(r.enum(atStatus, statuses))}
		r.check(a.Validate())
		add(r, &r.b.batch.Records.Attendance, &r.b.batch.Origins.Attendance, keyOf(a.MeetingID, a.WorkerID), a)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Attendance) },
	format: func(recs *gridscore.Records, i int, out []string) {
		a := &recs.Attendance[i]
		out[atMeeting.pos], out[atWorker.pos], out[atStatus.pos] = a.MeetingID, a.WorkerID, statuses.label(string(a.Status))
	},
}

var (
	caDate = req("date", "日期")
	caKind = req("kind", "类型")
	caName = opt("name", "说明")
	caTown = opt("town", "镇街")
)

var calendarKind = &kind{
	name: gridscore.KindCalendar, zh: gridscore.KindName[gridscore.KindCalendar],
	cols:    []*column{caDate, caKind, caName, caTown},
	keyCols: []*column{caDate, caTown},
	parse: func(r *row) {
		d := gridscore.CalendarDay{Date: r.date(caDate), Kind: gridscore.DayKind(r.enum(caKind, dayKinds)), Name: r.text(caName), Town: r.text(caTown)}
		r.check(d.Validate())
		add(r, &r.b.batch.Records.Calendar, &r.b.batch.Origins.Calendar, keyOf(d.Date.String(), d.Town), d)
	},
	count: func(recs *gridscore.Records) int { return len(recs.Calendar) },
	format: func(recs *gridscore.Records, i int, out []string) {
		d := &recs.Calendar[i]
		out[caDate.pos], out[caKind.pos], out[caName.pos], out[caTown.pos] = d.Date.String(), dayKinds.label(string(d.Kind)), d.Name, d.Town
	},
}
