package web

import (
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
)

// This file builds the two sections a worker's page opens with while the
// quarter is open (RULES.md §9): 截至目前, the standing so far, and 需要注意,
// the warnings, most urgent first, each with its deadline in words and the
// records it is about. A grid worker reads them on a phone first thing
// after logging in.

// StandingView is 截至目前: a worker's standing while the quarter is open —
// the points already lost, which nothing done later wins back — so that
// nobody takes it for the final score.
type StandingView struct {
	// AsOf is the moment of the standing in words ("8月15日 09:00").
	AsOf string
	// Total is the total so far, Full the total of the full scores.
	Total, Full string
	// Rank is the rank so far among the town's assessed workers, Ranked how
	// many they are.
	Rank   string
	Ranked int
	// Categories are the category scores so far, compactly.
	Categories []CategoryScore
	// Withheld says why the satisfaction score, and the rank, are left out
	// for a grid worker while the town's survey runs ("" when not).
	Withheld string
}

// CategoryScore is one category's score so far against its full score.
type CategoryScore struct {
	Name, Score, Full string
}

// WarningCard is one warning (预警) in words: what to do, the points at
// risk, the deadline relative to the page's moment, and the records it is
// about.
type WarningCard struct {
	// Rule is the rule's name, Detail the warning's sentence (what to do).
	Rule, Detail string
	// Points are the points at risk ("3").
	Points string
	// Due is the deadline in words ("今天 18:00 前"); DueAt the moment
	// itself for the page's machine-readable <time>.
	Due, DueAt string
	// Urgency is "today" (due on the page's day), "week" (within seven
	// days) or "later", for the card's colour.
	Urgency string
	// Evidence are the records or persons the warning names; PeriodURL
	// lists the worker's records its rule counts over its period, with
	// PeriodText the link's words.
	Evidence              []RecordLink
	PeriodURL, PeriodText string
}

// warningPeriodText is the words of the link to the records a warning's
// rule counts over its period (periodLink): the month of the page's moment
// for the monthly rules, the page's day for the daily ones.
var warningPeriodText = map[gs.RuleID]string{
	gs.RuleEventsQuota:      "查看本月已登记的事件",
	gs.RuleKeyVisits:        "查看本月的走访记录",
	gs.RuleDisciplineLogin:  "查看今天的登录记录",
	gs.RuleDisciplinePatrol: "查看今天的巡查记录",
}

// standingView is wr's standing in res as of asOf, or nil when wr carries
// no warnings (the quarter is over, or wr is not assessed): then the page
// shows the result as it always has.
func (s *Server) standingView(res *gs.Result, wr *gs.WorkerResult, asOf time.Time) *StandingView {
	if wr.Warnings == nil || wr.Total == nil || wr.Categories == nil {
		return nil
	}
	v := &StandingView{AsOf: momentText(asOf), Total: wr.Total.String(), Rank: "—"}
	var full gs.Points
	for _, c := range gs.AllCategories {
		m := s.Service.Scheme.Max[c]
		full += m
		v.Categories = append(v.Categories, CategoryScore{
			Name: gs.CategoryName[c], Score: wr.Categories.Get(c).String(), Full: m.String(),
		})
	}
	v.Full = full.String()
	if wr.Rank != nil {
		v.Rank = fmt.Sprint(*wr.Rank)
	}
	for i := range res.Workers {
		if res.Workers[i].Town == wr.Town && res.Workers[i].Rank != nil {
			v.Ranked++
		}
	}
	return v
}

// warningCards are wr's warnings in words, in the engine's order (by due),
// with deadlines relative to now; nil when wr carries none.
func warningCards(wr *gs.WorkerResult, now time.Time) []WarningCard {
	if wr.Warnings == nil {
		return nil
	}
	cards := make([]WarningCard, 0, len(*wr.Warnings))
	for _, w := range *wr.Warnings {
		due, urgency := dueText(w.Due, now)
		c := WarningCard{
			Rule: gs.NameOr(gs.RuleName, w.Rule), Detail: w.Detail, Points: w.Points.String(),
			Due: due, DueAt: w.Due.In(gs.CST).Format(time.RFC3339), Urgency: urgency,
		}
		// A warning's records are linked as a deduction's would be; the
		// events a month's quota counted so far are many and tell nothing
		// on their own, so only the month's list is linked for them.
		d := gs.Deduction{Rule: w.Rule, Period: w.Period, Detail: w.Detail, Evidence: w.Evidence}
		if w.Rule != gs.RuleEventsQuota {
			c.Evidence = recordLinks(d)
		}
		if c.PeriodURL = periodLink(wr.WorkerID, d); c.PeriodURL != "" {
			c.PeriodText = warningPeriodText[w.Rule]
			if c.PeriodText == "" {
				c.PeriodText = "查看相关记录"
			}
		}
		cards = append(cards, c)
	}
	return cards
}

// dueText says when due falls relative to now, as a worker reads it on
// their phone, and how urgent it is ("today", "week" or "later"):
//
//	今天 18:00 前 · 明天 17:00 前 · 还剩 3 天（8月28日前）· 8月31日前
//
// A deadline at midnight is the end of the day before (今天 24:00 前,
// 8月28日前), as the rules count whole days. Days are calendar days in CST.
func dueText(due, now time.Time) (string, string) {
	due, now = due.In(gs.CST), now.In(gs.CST)
	if !due.After(now) {
		return "已到期", "today"
	}
	day, clock := gs.DateOf(due), due.Format("15:04")
	endOfDay := clock == "00:00"
	if endOfDay {
		day, clock = day.AddDays(-1), "24:00"
	}
	at := dateText(day) + "前"
	if !endOfDay {
		at = dateText(day) + " " + clock + " 前"
	}
	switch days := int(day - gs.DateOf(now)); {
	case days <= 0:
		return "今天 " + clock + " 前", "today"
	case days == 1:
		return "明天 " + clock + " 前", "week"
	case days <= 7:
		return fmt.Sprintf("还剩 %d 天（%s）", days, at), "week"
	default:
		return at, "later"
	}
}

// dateText is a date in Chinese without the year ("8月28日"): a warning's
// deadline lies in the quarter the page shows.
func dateText(d gs.Date) string { return fmt.Sprintf("%d月%d日", d.Month(), d.Day()) }

// momentText is an instant in Chinese without the year ("8月15日 09:00").
func momentText(t time.Time) string {
	t = t.In(gs.CST)
	return dateText(gs.DateOf(t)) + " " + t.Format("15:04")
}
