package gridscore

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The rules of text, for every text field of every record kind and for
// the texts the forms post (reasons, replies, account names). Text comes
// from spreadsheets, copied web pages and phones, and carries what nobody
// sees: a byte-order mark glued to the first cell (\ufeffSJ2307-0004 is
// another key than SJ2307-0004), zero-width spaces, no-break spaces. And
// it may carry what does harm where it is shown: terminal escapes
// (\x1b[2J clears the screen of whoever runs gridscore assess), a
// right-to-left override that turns a name around, a megabyte in a name.
//
// So every reader trims a text with TrimText, and every record's Validate
// checks each text field against its TextRule: a code (a key, a worker id,
// a grid code) holds no invisible character at all, no text holds a
// control character (a note may hold tabs and line breaks) or a character
// that changes the direction of writing, and every text has a length
// limit, counted in characters.

// TextKind is what a text field may hold.
type TextKind uint8

// The kinds of text.
const (
	// TextCode is an identifier or code: a key, a worker id, a grid code,
	// a phone or ID number, a town. No control, invisible or
	// direction-changing character, and no space but the plain one.
	TextCode TextKind = iota + 1
	// TextLine is one line of text: a name, a title, a category. No
	// control character (no line break) and no direction-changing
	// character.
	TextLine
	// TextNote is text that may run over several lines: a note, a reason.
	// Tabs and line breaks are allowed, other control characters and
	// direction-changing characters are not.
	TextNote
)

// TextRule is what one text field may hold: its kind and the most
// characters it may have (a Chinese character counts once).
type TextRule struct {
	Kind TextKind
	Max  int
}

// The rules of the texts, by what they are. A code of 64 characters is far
// longer than any key a platform issues (SJ2307-0004, T0123-W0042); a name
// of 50 characters longer than any person's or town's.
var (
	CodeText   = TextRule{TextCode, 64}
	NumberText = TextRule{TextCode, 32} // phone and ID numbers
	TownText   = TextRule{TextCode, 50} // a town's name is the key of its data
	NameText   = TextRule{TextLine, 50}
	LabelText  = TextRule{TextLine, 100}
	TitleText  = TextRule{TextLine, 200}
	NoteText   = TextRule{TextNote, 1000}
	// DisplayNameText is the name an account shows (张三, 青山镇管理员).
	DisplayNameText = TextRule{TextLine, 64}
	// ReasonText is a reason or reply typed into a form: of an appeal, a
	// decision, a change or a step of the quarter, a leave's 事由.
	ReasonText = TextRule{TextNote, 500}
)

// textFields is the rule of every text field of every record kind, by
// kind and field (DATA.md keys): a kind's Validate checks its text fields
// against it, and the forms give the same limit to the browser
// (MaxLength). Every text field is listed; the tests check that a file
// with too long a value in any column is refused.
var textFields = map[string]map[string]TextRule{
	KindGrids:      {"grid_code": CodeText, "grid_name": LabelText, "community": LabelText, "town": TownText},
	KindWorkers:    {"worker_id": CodeText, "name": NameText, "grid_code": CodeText, "phone": NumberText},
	KindEvents:     {"event_id": CodeText, "worker_id": CodeText, "category": NameText},
	KindLogins:     {"worker_id": CodeText},
	KindPatrols:    {"patrol_id": CodeText, "worker_id": CodeText},
	KindLeaves:     {"worker_id": CodeText, "reason": ReasonText},
	KindRegister:   {"person_id": CodeText, "grid_code": CodeText, "name": NameText, "id_number": NumberText},
	KindRosters:    {"person_id": CodeText, "grid_code": CodeText, "department": LabelText},
	KindVisits:     {"visit_id": CodeText, "person_id": CodeText, "worker_id": CodeText, "note": NoteText},
	KindMeetings:   {"meeting_id": CodeText, "title": TitleText, "kind": NameText, "town": TownText},
	KindAttendance: {"meeting_id": CodeText, "worker_id": CodeText},
	KindFindings:   {"finding_id": CodeText, "worker_id": CodeText, "note": NoteText, "evidence": ReasonText},
	KindQuiz:       {"quiz_id": CodeText, "worker_id": CodeText},
	KindBallots:    {"ballot_id": CodeText, "worker_id": CodeText},
	KindCalendar:   {"name": LabelText, "town": TownText},
}

// MaxLength returns the most characters field of kind may hold (0: the
// field is not a text field).
func MaxLength(kind, field string) int { return textFields[kind][field].Max }

// shortestText is at most the Max of every rule: a text of printable ASCII
// no longer than this breaks no rule, which spares the common case (a key
// like SJ2307-0004) the look-up of its rule.
const shortestText = 32

// text reports what is wrong with v as text field field of kind: too long,
// or a character its rule does not allow. An empty text is no problem of
// this check (required says whether it may be empty).
func (es *FieldErrors) text(kind, field, v string) {
	if len(v) <= shortestText && printableASCII(v) {
		return
	}
	if msg := CheckText(v, textFields[kind][field]); msg != "" {
		*es = append(*es, FieldError{Field: field, Message: msg})
	}
}

// printableASCII reports whether s has only the characters from space to ~.
func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// CheckText returns what is wrong with text v under rule, in Chinese for
// the person who typed it, or "" when nothing is: bytes that are not
// UTF-8, then too many characters, then the first character the rule does
// not allow. The character at fault is named by its code (U+001B), never
// shown: it is what does harm where it is shown. A zero rule checks the
// characters of a line and no length. It runs on every text of every row
// imported, so it reads the text once and looks closer only at what is
// neither printable ASCII nor a Chinese character: the rules take the
// check of a valid event with a Chinese category from about 55 ns to
// 65–115 ns on the 2-core test machine (go test -run XXX -bench
// ValidateEvent .), against some microseconds the importer spends on
// each row.
func CheckText(v string, rule TextRule) string {
	n, bad := 0, ""
	for i := 0; i < len(v); n++ {
		c := v[i]
		if c < utf8.RuneSelf {
			i++
			if (c < 0x20 || c == 0x7f) && bad == "" {
				bad = badRune(rune(c), rule.Kind)
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(v[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			return "含有无法识别的字符（文件的编码可能有误）"
		case r >= 0x3400 && r <= 0x9fff: // CJK ideographs
		case bad == "":
			bad = badRune(r, rule.Kind)
		}
	}
	if rule.Max > 0 && n > rule.Max {
		return "不能超过 " + strconv.Itoa(rule.Max) + " 个字（现有 " + strconv.Itoa(n) + " 个字）"
	}
	return bad
}

// badRune says why r may not be in a text of kind k, "" when it may.
func badRune(r rune, k TextKind) string {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		if k != TextNote {
			return "不能含有换行符或制表符"
		}
	case unicode.IsControl(r):
		return "不能含有控制字符（" + codePoint(r) + "）"
	case directional(r):
		return "不能含有改变文字方向的字符（" + codePoint(r) + "）"
	case k == TextCode && (invisible(r) || unicode.IsSpace(r)):
		return "不能含有不可见字符或特殊空格（" + codePoint(r) + "）"
	}
	return ""
}

// codePoint names a character by its code: U+202E.
func codePoint(r rune) string { return fmt.Sprintf("U+%04X", r) }

// directional reports a character that changes the direction of writing:
// the embeddings, overrides and isolates of Unicode's bidirectional
// algorithm and its marks (a worker's name with U+202E reads backwards).
func directional(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069' ||
		r == '\u200e' || r == '\u200f' || r == '\u061c'
}

// invisible reports a character that takes no room: a format character
// (the byte-order mark U+FEFF, zero-width spaces and joiners, the soft
// hyphen) or a Hangul filler.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || r == '\u115f' || r == '\u1160' || r == '\u3164' || r == '\uffa0'
}

// TrimText removes from both ends of s every space (including the no-break
// and the ideographic space) and every invisible character (the byte-order
// mark, zero-width spaces and joiners): what a reader of a file or a form
// does to every value before anything else, so that \ufeffSJ2307-0004 is
// the key SJ2307-0004. What is left inside is for the rules to judge.
func TrimText(s string) string {
	if s == "" || s[0] > ' ' && s[0] < utf8.RuneSelf && s[len(s)-1] > ' ' && s[len(s)-1] < utf8.RuneSelf {
		return s // the common case: nothing to trim
	}
	return strings.TrimFunc(s, trimmed)
}

// trimmed reports a character TrimText removes from the ends of a text.
func trimmed(r rune) bool {
	return unicode.IsSpace(r) || r == '\ufeff' || r >= '\u200b' && r <= '\u200d' || r == '\u2060' || r == '\u180e'
}
