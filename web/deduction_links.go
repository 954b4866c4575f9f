package web

import (
	"net/url"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// RecordLink is one record a deduction rests on, linked to where it is
// shown: its own page for the records entered by hand, else the list of
// its kind limited to it.
type RecordLink struct {
	ID, URL string
}

// evidenceKind is the kind of record each rule's evidence names (RULES.md,
// the engine's deductions): findings for the rules deducted from a
// center's finding, the event, patrol, meeting, quiz or person otherwise.
// discipline.login names no record: a day without a login has none.
var evidenceKind = map[gs.RuleID]string{
	gs.RuleInfoStale:         "findings",
	gs.RuleInfoIncomplete:    "findings",
	gs.RuleEventsQuota:       "events",
	gs.RuleEventsBatch:       "events",
	gs.RuleEventsYellow:      "events",
	gs.RuleEventsRed:         "events",
	gs.RuleEventsIrregular:   "events",
	gs.RuleEventsOmitGeneral: "findings",
	gs.RuleEventsOmitMajor:   "findings",
	gs.RuleEventsSeriousLate: "events",  // or a finding: see kindOfEvidence
	gs.RuleKeyMissingEntry:   "rosters", // listed by a department, not on the register
	gs.RuleKeyVisits:         "register",
	gs.RuleKeyLostControl:    "findings",
	gs.RuleDisciplineItems:   "findings",
	gs.RuleDisciplinePatrol:  "patrols",
	gs.RuleDisciplineMeeting: "meetings",
	gs.RuleDisciplineInspect: "findings",
	gs.RuleDisciplineDisobey: "findings",
	gs.RuleDisciplinePhone:   "findings",
	gs.RuleDisciplineQuiz:    "quiz",
}

// periodKind is, for the rules that judge a worker's records of a month or
// a day, the kind of those records: the list of the worker's records of the
// deduction's period shows what was counted.
var periodKind = map[gs.RuleID]string{
	gs.RuleEventsQuota:      "events",
	gs.RuleEventsBatch:      "events",
	gs.RuleKeyVisits:        "visits",
	gs.RuleDisciplineLogin:  "logins",
	gs.RuleDisciplinePatrol: "patrols",
}

// kindOfEvidence returns the kind of record d's evidence names. A serious
// matter reported late is deducted either from the event itself (its
// sentence starts 重大事件) or from a center's finding of a serious matter
// not reported.
func kindOfEvidence(d gs.Deduction) string {
	if d.Rule == gs.RuleEventsSeriousLate && !strings.HasPrefix(d.Detail, "重大事件") {
		return "findings"
	}
	return evidenceKind[d.Rule]
}

// recordLinks links each record deduction d rests on.
func recordLinks(d gs.Deduction) []RecordLink {
	kind := kindOfEvidence(d)
	out := make([]RecordLink, 0, len(d.Evidence))
	for _, id := range d.Evidence {
		l := RecordLink{ID: id}
		switch {
		case kind == "":
		case hasRecordPage(kind):
			l.URL = "/records/" + kind + "/" + url.PathEscape(id)
		default:
			l.URL = "/records/" + kind + "?" + url.Values{"id": {id}}.Encode()
		}
		out = append(out, l)
	}
	return out
}

// periodLink returns the list of worker workerID's records of the kind
// deduction d counted, over its period (a month 2023-07 or a day
// 2023-07-15), or "" when the rule counts no such records.
func periodLink(workerID string, d gs.Deduction) string {
	kind := periodKind[d.Rule]
	if kind == "" {
		return ""
	}
	var from, to gs.Date
	if t, err := time.ParseInLocation("2006-01", d.Period, gs.CST); err == nil {
		m := gs.MonthOf(gs.DateOf(t))
		from, to = m.First(), m.Last()
	} else if t, err := time.ParseInLocation("2006-01-02", d.Period, gs.CST); err == nil {
		from, to = gs.DateOf(t), gs.DateOf(t)
	} else {
		return ""
	}
	v := url.Values{"worker": {workerID}, "from": {from.String()}, "to": {to.String()}}
	return "/records/" + kind + "?" + v.Encode()
}
