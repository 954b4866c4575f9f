package csvfile

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gridscore/gridscore"
)

// MappingTarget is a column of a kind as the page that makes a mapping
// offers it: what a column of the file may fill.
type MappingTarget struct {
	// Key and Title are DATA.md's English and Chinese names of the column.
	Key, Title string
	Required   bool
	// Value says what it holds: "text", "enum", "bool", "date",
	// "timestamp", "integer" or "money"; Hint says it in Chinese.
	Value, Hint string
	// Choices are the values of an enumerated or yes/no column.
	Choices []Choice
}

// Choice is a value of an enumerated column: DATA.md's code and its
// Chinese name.
type Choice struct {
	Code, Title string
}

// Enumerated reports whether the column takes a value of a closed set.
func (t *MappingTarget) Enumerated() bool { return t.Value == "enum" || t.Value == "bool" }

// Dated reports whether the column takes a date or a timestamp.
func (t *MappingTarget) Dated() bool { return t.Value == "date" || t.Value == "timestamp" }

// valueNames names each kind of value for MappingTarget.
var valueNames = map[valueKind][2]string{
	valueText:      {"text", "文字"},
	valueEnum:      {"enum", "可选值"},
	valueBool:      {"bool", "是或否"},
	valueDate:      {"date", "日期"},
	valueTimestamp: {"timestamp", "日期时间"},
	valueInteger:   {"integer", "整数"},
	valueMoney:     {"money", "金额（元）"},
}

// MappingTargets lists the columns of the kind named name (English or
// Chinese) in DATA.md order; nil for no kind.
func MappingTargets(name string) []MappingTarget {
	k := lookupKind(name)
	if k == nil {
		return nil
	}
	described := describedKinds()[k]
	out := make([]MappingTarget, len(k.cols))
	for i, c := range k.cols {
		v := described[c]
		out[i] = MappingTarget{Key: c.key, Title: c.zh, Required: c.required, Value: valueNames[v.kind][0], Hint: valueNames[v.kind][1]}
		if v.enum != nil {
			for _, ev := range v.enum.values {
				out[i].Choices = append(out[i].Choices, Choice{Code: ev.code, Title: ev.zh})
			}
		}
	}
	return out
}

// GuessKind returns the kind a surveyed file most likely holds: the
// kind its name says, or else the one whose required columns its
// headers resemble most ("" when none resembles).
func GuessKind(sv *Survey) string {
	if sv.Kind != "" {
		return sv.Kind
	}
	best, bestScore := "", 0
	for _, k := range kinds {
		m := GuessMapping(k.name, sv)
		score := 0
		for _, c := range k.cols {
			if c.required && m.Column(c.key) != nil {
				score += 2
			} else if m.Column(c.key) != nil {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = k.name, score
		}
	}
	return best
}

// GuessMapping proposes a mapping of the surveyed file as records of the
// kind named kind, for the person who makes it to confirm: each column of
// the file filling the column of the kind whose name its header resembles
// most (each filled once at most; a column of dates only a date, a column
// of many values no enumerated one), each value of an enumerated column
// the value whose name it resembles (自行处置 → self_handled), each
// column of dates the form its values fit. What it cannot guess is left
// out: an unknown value, a column not read.
func GuessMapping(kind string, sv *Survey) gridscore.Mapping {
	m := gridscore.Mapping{Kind: kind, Columns: make([]gridscore.MappedColumn, len(sv.Columns))}
	for i, c := range sv.Columns {
		m.Columns[i].Header = c.Header
	}
	k := lookupKind(kind)
	if k == nil {
		return m
	}
	described := describedKinds()[k]
	type pair struct {
		col   int
		c     *column
		score int
	}
	var pairs []pair
	for i := range sv.Columns {
		for _, c := range k.cols {
			if s := headerScore(&sv.Columns[i], k, c, described[c]); s > 0 {
				pairs = append(pairs, pair{i, c, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(b.score, a.score) })
	taken := map[*column]bool{}
	for _, p := range pairs {
		mc := &m.Columns[p.col]
		if mc.Key != "" || taken[p.c] {
			continue
		}
		taken[p.c] = true
		mc.Key = p.c.key
		FillMapped(kind, &sv.Columns[p.col], mc)
	}
	return m
}

// FillMapped completes the column mc of a mapping of kind, which fills
// mc.Key, from what the surveyed column sc holds: the meaning of each of
// its values not yet given, when the key takes values of a closed set,
// as far as it can be guessed; the form of its dates, when it takes
// dates and none is given. It drops what the key does not take.
func FillMapped(kind string, sc *SurveyColumn, mc *gridscore.MappedColumn) {
	k := lookupKind(kind)
	if k == nil {
		return
	}
	c := k.find(mc.Key)
	if c == nil {
		mc.Values, mc.DateFormat = nil, ""
		return
	}
	v := describedKinds()[k][c]
	switch v.kind {
	case valueEnum, valueBool:
		mc.DateFormat = ""
		if mc.Values == nil {
			mc.Values = map[string]string{}
		}
		for _, vc := range sc.Values {
			if _, ok := mc.Values[vc.Value]; ok {
				continue
			}
			if code, ok := guessValue(v.enum, vc.Value); ok {
				mc.Values[vc.Value] = code
			}
		}
	case valueDate, valueTimestamp:
		mc.Values = nil
		if mc.DateFormat == "" {
			mc.DateFormat, _ = sc.DateFormat()
		}
	default:
		mc.Values, mc.DateFormat = nil, ""
	}
}

// headerScore is how well the surveyed column sc may fill column c of
// kind k (v: how c is read), 0 for not at all: its header is c's name
// (100), holds it (50 and more), or shares two characters or more with it
// once the kind's name is taken from both (10 a character); a column of
// dates only fills a date or timestamp, a column of many distinct values
// no enumerated column.
func headerScore(sc *SurveyColumn, k *kind, c *column, v columnValue) int {
	h := sc.Header
	score := 0
	switch {
	case h == c.zh || strings.EqualFold(h, c.key):
		score = 100
	case strings.Contains(h, c.zh):
		score = 50 + len([]rune(c.zh))
	default:
		n := commonRunes(plainName(h, k), plainName(c.zh, k))
		if n < 2 {
			return 0
		}
		score = 10 * n
		if timeWord(h) && timeWord(c.zh) {
			score++
		}
	}
	dated := sc.Filled > 0 && 2*bestReads(sc) >= sc.DateValues
	switch v.kind {
	case valueDate, valueTimestamp:
		if sc.Filled > 0 && !dated {
			return 0
		}
	case valueEnum, valueBool:
		if sc.More || dated {
			return 0
		}
	}
	return score
}

// bestReads is the most values of sc one form of dates reads.
func bestReads(sc *SurveyColumn) int {
	n := 0
	for _, f := range sc.Dates {
		n = max(n, f.Reads)
	}
	return n
}

// plainName is a column's name without the words many names share: the
// kind's name (事件), and 时间, 日期, 编号, 名称; what is left tells the
// column (上报, 办结).
func plainName(s string, k *kind) string {
	s = strings.ReplaceAll(s, k.zh, "")
	for _, w := range []string{"时间", "日期", "编号", "名称"} {
		s = strings.ReplaceAll(s, w, "")
	}
	return s
}

// timeWord reports a name of a moment: 上报时间, 办结日期.
func timeWord(s string) bool {
	return strings.HasSuffix(s, "时间") || strings.HasSuffix(s, "日期")
}

// commonRunes is the length in characters of the longest run of
// characters a and b share.
func commonRunes(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	best := 0
	for i := range ra {
		for j := range rb {
			n := 0
			for i+n < len(ra) && j+n < len(rb) && ra[i+n] == rb[j+n] {
				n++
			}
			best = max(best, n)
		}
	}
	return best
}

// Spellings of yes and no in other systems' exports, beyond DATA.md's.
var (
	yesSpellings = []string{"y", "yes", "有", "√", "✓", "对", "已"}
	noSpellings  = []string{"n", "no", "无", "×", "✗", "未", "没有"}
)

// guessValue returns the value of e that the file's value s most likely
// means: itself in any of DATA.md's spellings; for yes and no the common
// spellings of other systems; else the one whose Chinese name shares the
// most characters with s, if only one shares the most.
func guessValue(e *enum, s string) (string, bool) {
	if code, ok := e.parse(s); ok {
		return code, true
	}
	if e == booleans {
		switch {
		case slices.Contains(yesSpellings, strings.ToLower(s)):
			return "true", true
		case slices.Contains(noSpellings, strings.ToLower(s)):
			return "false", true
		}
	}
	best, most, tie := "", 0, false
	for _, v := range e.values {
		n := commonRunes(s, v.zh)
		switch {
		case n > most:
			best, most, tie = v.code, n, false
		case n == most && n > 0:
			tie = true
		}
	}
	return best, most > 0 && !tie
}
