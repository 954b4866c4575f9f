package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// Period is the quarter a page shows and the moment its result is computed
// at, from ?quarter=2023Q3&as_of=2023-10-08T09:00 or the server's defaults.
type Period struct {
	Quarter gs.Quarter
	AsOf    time.Time
	// given holds the parameters the URL named, normalized, so that links
	// keep them and a page without them keeps following the defaults.
	given url.Values
	// Stored is the state's name when the page shows a town's stored
	// snapshot (computed at StoredAsOf) rather than a live result.
	Stored     string
	StoredAsOf time.Time
	// Choices are the quarters of the quarter picker (withChoices).
	Choices []QuarterChoice
	// Live says that AsOf follows the clock (the last whole five minutes):
	// neither the URL nor the server fixed it.
	Live bool
}

// StoredAsOfText is the moment the stored snapshot was computed at.
func (p Period) StoredAsOfText() string { return p.StoredAsOf.In(gs.CST).Format("2006-01-02 15:04") }

// StoredMidQuarter reports whether the page shows a stored snapshot
// computed before the quarter's end: a standing, not the final result.
func (p Period) StoredMidQuarter() bool {
	return p.Stored != "" && p.StoredAsOf.Before(p.Quarter.Last().End())
}

// asOfLayouts are the forms of as_of accepted, in CST: what a datetime-local
// field sends, and what people type.
var asOfLayouts = []string{
	"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02 15:04:05",
}

// asOfField is how an as_of is written into URLs and the datetime-local
// field.
const asOfField = "2006-01-02T15:04"

// liveStep is how often the moment of a live result moves on by itself.
const liveStep = 5 * time.Minute

// period reads the quarter and the moment from the request.
func (s *Server) period(r *http.Request) (Period, error) {
	now := s.now()
	p := Period{given: url.Values{}}
	q := r.URL.Query()
	switch v := strings.TrimSpace(q.Get("quarter")); {
	case v != "":
		quarter, err := gs.ParseQuarter(v)
		if err != nil {
			return Period{}, gs.Errorf(gs.EINVALID, "季度格式应为 2023Q3 这样的写法：%q", v)
		}
		p.Quarter = quarter
		p.given.Set("quarter", quarter.String())
	case s.Quarter != (gs.Quarter{}):
		p.Quarter = s.Quarter
	default:
		p.Quarter = gs.QuarterOf(gs.DateOf(now))
	}
	switch v := strings.TrimSpace(q.Get("as_of")); {
	case v != "":
		t, ok := parseAsOf(v)
		if !ok {
			return Period{}, gs.Errorf(gs.EINVALID, "计算时点格式应为 2023-10-08 09:00 这样的写法：%q", v)
		}
		p.AsOf = t
		p.given.Set("as_of", t.Format(asOfField))
	default:
		p.AsOf, p.Live = s.defaultAsOf(now)
	}
	p.AsOf = p.AsOf.In(gs.CST).Truncate(time.Second)
	return p, nil
}

// defaultAsOf is the moment a page shows when its URL names none: the
// server's (the demo's), or the last whole five minutes of now, live.
func (s *Server) defaultAsOf(now time.Time) (asOf time.Time, live bool) {
	if !s.AsOf.IsZero() {
		return s.AsOf, false
	}
	// Live results are computed as of the last whole five minutes, so
	// that the pages opened in those minutes share one computation (kept
	// in the store, see app.Service.LiveTown).
	return now.Truncate(liveStep), true
}

// parseAsOf reads a moment as parseMoment does, or a date alone (the
// start of that day). Its callers trim v.
func parseAsOf(v string) (time.Time, bool) {
	if t, err := parseMoment(v); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation("2006-01-02", v, gs.CST)
	return t, err == nil
}

// Query returns the URL query that keeps the period the URL named ("" when
// it named none), starting with "?".
func (p Period) Query() string {
	if len(p.given) == 0 {
		return ""
	}
	return "?" + p.given.Encode()
}

// With returns the period's query with extra parameters added ("?..." or
// "" when empty).
func (p Period) With(extra url.Values) string {
	v := p.values(extra)
	if len(v) == 0 {
		return ""
	}
	return "?" + v.Encode()
}

// values returns the period's parameters with the non-empty extra ones.
func (p Period) values(extra url.Values) url.Values {
	v := url.Values{}
	for k, vs := range p.given {
		v[k] = vs
	}
	for k, vs := range extra {
		for _, x := range vs {
			if x != "" {
				v.Add(k, x)
			}
		}
	}
	return v
}

// QuarterText is the quarter in Chinese: 2023年第3季度.
func (p Period) QuarterText() string {
	return p.Quarter.String()[:4] + "年第" + p.Quarter.String()[5:] + "季度"
}

// AsOfText is the moment in CST: 2023-10-08 09:00.
func (p Period) AsOfText() string { return p.AsOf.In(gs.CST).Format("2006-01-02 15:04") }

// ResultAsOfText is the moment the results shown are as of: the stored
// snapshot's when the page shows one, else the moment chosen.
func (p Period) ResultAsOfText() string {
	if p.Stored != "" {
		return p.StoredAsOfText()
	}
	return p.AsOfText()
}

// AsOfField is the moment as the datetime-local field of the period form
// wants it.
func (p Period) AsOfField() string { return p.AsOf.In(gs.CST).Format(asOfField) }

// Hidden is a hidden field of a form.
type Hidden struct{ Name, Value string }

// Hidden returns the period the URL named as hidden fields, so that a form
// (the workers search) keeps it.
func (p Period) Hidden() []Hidden {
	var out []Hidden
	for _, k := range []string{"quarter", "as_of"} {
		if v := p.given.Get(k); v != "" {
			out = append(out, Hidden{Name: k, Value: v})
		}
	}
	return out
}

// Open reports whether the page shows a live result of a quarter still
// running (as_of inside it): the standing so far (RULES.md §9), not the
// final result.
func (p Period) Open() bool {
	return p.Stored == "" && !p.AsOf.Before(p.Quarter.First().Start()) && p.AsOf.Before(p.Quarter.Last().End())
}

// Notes are remarks on the moment chosen: before the quarter began, or
// while it is still running.
func (p Period) Notes() []string {
	switch {
	case p.Stored != "":
		return nil
	case p.AsOf.Before(p.Quarter.First().Start()):
		return []string{"计算时点 " + p.AsOfText() + " 早于本季度开始，本季度还没有任何记录，以下结果仅供参考。"}
	case p.AsOf.Before(p.Quarter.Last().End()):
		return []string{"本季度尚未结束，以下是截至目前的得分：只计已确定扣除的分数，季度结束前还可能有新的扣分。"}
	}
	return nil
}
