package gridscore

import (
	"fmt"
	"strconv"
	"strings"
)

// Points is a score or a deduction in hundredths of a point (87.50 = 8750).
// Sums are integer; floats never enter a score.
type Points int64

// Fen is an amount of money in fen (1 yuan = 100 fen).
type Fen int64

// formatHundredths prints v/100 with exactly two decimals.
func formatHundredths(v int64) string {
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	return sign + strconv.FormatInt(v/100, 10) + "." + strconv.FormatInt(v%100/10, 10) + strconv.FormatInt(v%10, 10)
}

// trimZeros drops trailing zeros after the point ("87.50" → "87.5", "22.00" → "22").
func trimZeros(s string) string {
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// String formats the points with the fewest decimals needed (87.5, 22, 0.25).
func (p Points) String() string { return trimZeros(formatHundredths(int64(p))) }

// MarshalJSON writes the points as a JSON number with at most two decimals.
func (p Points) MarshalJSON() ([]byte, error) { return []byte(p.String()), nil }

// String formats the amount in yuan with two decimals (525.00).
func (f Fen) String() string { return formatHundredths(int64(f)) }

// MarshalJSON writes the amount in yuan as a JSON number with two decimals.
func (f Fen) MarshalJSON() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalJSON reads the JSON number MarshalJSON writes, exactly.
func (p *Points) UnmarshalJSON(b []byte) error {
	v, err := unmarshalHundredths(b)
	*p = Points(v)
	return err
}

// UnmarshalJSON reads the JSON number MarshalJSON writes, exactly.
func (f *Fen) UnmarshalJSON(b []byte) error {
	v, err := unmarshalHundredths(b)
	*f = Fen(v)
	return err
}

// unmarshalHundredths reads a JSON number with at most two decimals.
func unmarshalHundredths(b []byte) (int64, error) {
	v, ok := ParseHundredths(string(b))
	if !ok {
		return 0, fmt.Errorf("not an amount with at most two decimals: %s", b)
	}
	return v, nil
}

// ParseHundredths reads a non-negative decimal with at most two decimals
// ("200", "0.5", "87.25") exactly, returning hundredths. It never goes
// through floating point.
func ParseHundredths(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasPoint := strings.Cut(s, ".")
	if intPart == "" && (!hasPoint || frac == "") {
		return 0, false
	}
	frac = strings.TrimRight(frac, "0")
	if len(frac) > 2 {
		return 0, false
	}
	for _, r := range intPart + frac {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	var whole int64
	if intPart != "" {
		var err error
		if whole, err = strconv.ParseInt(intPart, 10, 64); err != nil || whole > 1e15 {
			return 0, false
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := whole*100 + f
	if neg {
		v = -v
	}
	return v, true
}
