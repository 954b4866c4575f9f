package engine_test

// An independent reference implementation of the early warnings of RULES.md
// §9, written from the text of its table alone, without reading
// engine/warnings.go. It uses only the day arithmetic of reference_test.go
// (refDay, refDayOf, refInPost, ...), never the product's date helpers.
// warnings_random_test.go compares it with the engine on random towns.
//
// Readings where RULES.md leaves room (the engine agrees with every one):
//
//   - A result carries warnings exactly when as_of is inside Q (at or after
//     its first instant, before its end); before Q there are none either.
//   - events.red's "deadline + time limit" is the moment the card turns red
//     under red_factor (§3): deadline + (red_factor − 1) × time limit,
//     truncated to the nanosecond; "not yet red" is the card rule's own test,
//     (as_of − deadline) ≤ (red_factor − 1) × time limit. Its points at risk
//     are the red card's points less the yellow card's (5 = 10 − 5).
//   - events.yellow, events.red: the event's card belongs to Q by its
//     deadline, so "a deadline in Q" is the deadline's CST date in Q.
//   - discipline.login: one warning a day with 3 points per channel missing;
//     a channel other than pc counts as the app (DATA.md accepts only these).
//   - discipline.patrol: the patrols ended at or before as_of are merged (§5)
//     and the merged patrols that start on date(as_of) are counted.
//   - Evidence: the events counted (quota), the event (cards), the persons
//     lacking visits, the roster row's person, none (login), the patrols of
//     the merged patrols starting on date(as_of) (patrol).
//   - A warning whose points are 0 is not listed.

import (
	"math/big"
	"sort"
	"time"

	gs "github.com/gridscore/gridscore"
)

// refWarning is one warning as the reference computes it.
type refWarning struct {
	Rule     gs.RuleID
	Period   string
	Points   int64 // hundredths
	Due      time.Time
	Evidence []string // sorted
}

// refWarnings returns the warnings of every assessed worker listed in Q, by
// worker id, or nil when as_of is not inside Q (no worker has any).
func refWarnings(s *gs.Scheme, cal refCal, r *gs.Records, q gs.Quarter, asOf time.Time) map[string][]refWarning {
	months := refQuarter(q)
	qFirst, qLast := months[0].first, months[2].last
	if asOf.Before(qFirst.start()) || !asOf.Before((qLast + 1).start()) {
		return nil
	}
	today := refDayOf(asOf)
	var mo refMonth
	for _, m := range months {
		if m.first <= today && today <= m.last {
			mo = m
		}
	}
	towns := map[string]string{}
	for _, g := range r.Grids {
		towns[g.Code] = g.Town
	}
	inQ := func(d refDay) bool { return qFirst <= d && d <= qLast }
	// responsible: the worker in post in grid on day d.
	responsible := func(grid string, d refDay) string {
		for i := range r.Workers {
			if r.Workers[i].GridCode == grid && refInPost(&r.Workers[i], d) {
				return r.Workers[i].ID
			}
		}
		return ""
	}
	pts := func(rule gs.RuleID) int64 { return int64(s.Points[rule]) }

	out := map[string][]refWarning{}
	for i := range r.Workers {
		w := &r.Workers[i]
		listed := false
		for d := qFirst; d <= qLast; d++ {
			listed = listed || refInPost(w, d)
		}
		if !listed || refAddMonths(refMustDay(w.HiredOn), s.MinTenureMonths) > qLast {
			continue // not listed, or not assessed (§1): no warnings
		}
		workday := func(d refDay) bool { return refWorkday(cal, r.Calendar, towns[w.GridCode], d) }
		duty := func(d refDay) bool {
			if !workday(d) || !refInPost(w, d) {
				return false
			}
			for _, l := range r.Leaves {
				if l.WorkerID == w.ID && refMustDay(l.From) <= d && d <= refMustDay(l.To) {
					return false
				}
			}
			return true
		}
		ws := []refWarning{}
		add := func(x refWarning) {
			if x.Points > 0 {
				sort.Strings(x.Evidence)
				ws = append(ws, x)
			}
		}

		// events.quota: the month of date(as_of), if the worker has a duty day in it.
		dutyDays, workdays := 0, 0
		for d := mo.first; d <= mo.last; d++ {
			if workday(d) {
				workdays++
			}
			if duty(d) {
				dutyDays++
			}
		}
		if quota, ok := s.Quotas[w.Type]; ok && dutyDays > 0 {
			needT, needR := quota.Total, quota.Reported
			if dutyDays < workdays {
				needT = (needT*dutyDays + workdays - 1) / workdays
				needR = (needR*dutyDays + workdays - 1) / workdays
			}
			total, reported := 0, 0
			ids := []string{}
			for _, e := range r.Events {
				if d := refDayOf(e.ReportedAt); e.WorkerID == w.ID && mo.first <= d && d <= mo.last && !e.ReportedAt.After(asOf) {
					total++
					if e.Flow == gs.FlowReported {
						reported++
					}
					ids = append(ids, e.ID)
				}
			}
			missing := max(0, needT-total, needR-reported)
			add(refWarning{gs.RuleEventsQuota, mo.String(), int64(missing) * pts(gs.RuleEventsQuota), (mo.last + 1).start(), ids})
		}

		// events.yellow and events.red: the open events.
		for _, e := range r.Events {
			if e.WorkerID != w.ID || e.ReportedAt.After(asOf) || (e.Flow != gs.FlowSelfHandled && e.Flow != gs.FlowAssigned) ||
				e.Card != "" || e.Deadline.IsZero() || !inQ(refDayOf(e.Deadline)) || (!e.ClosedAt.IsZero() && !e.ClosedAt.After(asOf)) {
				continue
			}
			limit := big.NewInt(e.Deadline.Sub(e.ReportedAt).Nanoseconds())
			period := refDayOf(e.Deadline).String()
			if !asOf.After(e.Deadline) {
				// as_of − reported_at ≥ warn_share × limit, in hundredths.
				used := new(big.Int).Mul(big.NewInt(asOf.Sub(e.ReportedAt).Nanoseconds()), big.NewInt(100))
				if used.Cmp(new(big.Int).Mul(limit, big.NewInt(s.WarnShare))) >= 0 {
					add(refWarning{gs.RuleEventsYellow, period, pts(gs.RuleEventsYellow), e.Deadline, []string{e.ID}})
				}
				continue
			}
			extra := new(big.Int).Mul(limit, big.NewInt(s.RedFactor-100)) // (red_factor − 1) × limit, × 100
			overdue := new(big.Int).Mul(big.NewInt(asOf.Sub(e.Deadline).Nanoseconds()), big.NewInt(100))
			if overdue.Cmp(extra) <= 0 {
				due := e.Deadline.Add(time.Duration(new(big.Int).Quo(extra, big.NewInt(100)).Int64()))
				add(refWarning{gs.RuleEventsRed, period, pts(gs.RuleEventsRed) - pts(gs.RuleEventsYellow), due, []string{e.ID}})
			}
		}

		// key.visits: the month of date(as_of) while its visit day is not over.
		visitDay := mo.day(s.VisitDay)
		if today <= visitDay && responsible(w.GridCode, today) == w.ID {
			anyDuty := false
			for d := mo.first; d <= visitDay; d++ {
				anyDuty = anyDuty || duty(d)
			}
			var lacking []string
			for _, p := range r.Register {
				if !anyDuty || p.GridCode != w.GridCode || !p.EnteredAt.Before(mo.first.start()) ||
					(!p.LeftAt.IsZero() && refDayOf(p.LeftAt) < visitDay) {
					continue
				}
				got := 0
				for _, v := range r.Visits {
					if v.PersonID == p.PersonID && !v.VisitedAt.Before(mo.first.start()) && !v.VisitedAt.After(asOf) {
						got++
					}
				}
				if got < s.VisitsPerMonth[p.Category] {
					lacking = append(lacking, p.PersonID)
				}
			}
			if len(lacking) > 0 {
				add(refWarning{gs.RuleKeyVisits, mo.String(), pts(gs.RuleKeyVisits), (visitDay + 1).start(), lacking})
			}
		}

		// key.missing_entry: roster rows of the grids the worker is responsible for today.
		for _, row := range r.Rosters {
			listedOn := refMustDay(row.ListedOn)
			due := listedOn + refDay(s.EntryDays)
			if responsible(row.GridCode, today) != w.ID || listedOn > today || !inQ(due) || due < today {
				continue
			}
			entered := false
			for _, p := range r.Register {
				entered = entered || (p.PersonID == row.PersonID && !p.EnteredAt.After(asOf))
			}
			if !entered {
				add(refWarning{gs.RuleKeyMissingEntry, due.String(), pts(gs.RuleKeyMissingEntry), (due + 1).start(), []string{row.PersonID}})
			}
		}

		if !duty(today) {
			out[w.ID] = ws
			continue
		}
		// discipline.login: today's required channels without a login so far.
		channels := []gs.Channel{gs.ChannelApp}
		if w.Type == gs.FullTime && w.Stationed {
			channels = append(channels, gs.ChannelPC)
		}
		missingCh := 0
		for _, c := range channels {
			found := false
			for _, l := range r.Logins {
				lc := gs.ChannelApp
				if l.Channel == gs.ChannelPC {
					lc = gs.ChannelPC
				}
				found = found || (l.WorkerID == w.ID && lc == c && refDayOf(l.At) == today && !l.At.After(asOf))
			}
			if !found {
				missingCh++
			}
		}
		add(refWarning{gs.RuleDisciplineLogin, today.String(), int64(missingCh) * pts(gs.RuleDisciplineLogin), (today + 1).start(), []string{}})

		// discipline.patrol: merged patrols ended by as_of, started today, long enough.
		applies := false
		for _, t := range s.PatrolAppliesTo {
			applies = applies || t == w.Type
		}
		if applies {
			var ps []gs.Patrol
			for _, p := range r.Patrols {
				if p.WorkerID == w.ID && !p.EndedAt.IsZero() && !p.EndedAt.After(asOf) {
					ps = append(ps, p)
				}
			}
			sort.SliceStable(ps, func(a, b int) bool { return ps[a].StartedAt.Before(ps[b].StartedAt) })
			type span struct {
				from, to time.Time
				ids      []string
			}
			var spans []span
			for _, p := range ps {
				if n := len(spans); n > 0 && !p.StartedAt.After(spans[n-1].to) {
					if p.EndedAt.After(spans[n-1].to) {
						spans[n-1].to = p.EndedAt
					}
					spans[n-1].ids = append(spans[n-1].ids, p.ID)
				} else {
					spans = append(spans, span{p.StartedAt, p.EndedAt, []string{p.ID}})
				}
			}
			count := 0
			ids := []string{}
			for _, sp := range spans {
				if refDayOf(sp.from) != today {
					continue
				}
				ids = append(ids, sp.ids...)
				if sp.to.Sub(sp.from) >= time.Duration(s.PatrolMinMinutes)*time.Minute {
					count++
				}
			}
			add(refWarning{gs.RuleDisciplinePatrol, today.String(), int64(max(0, s.PatrolsPerDay-count)) * pts(gs.RuleDisciplinePatrol), (today + 1).start(), ids})
		}
		out[w.ID] = ws
	}
	return out
}
