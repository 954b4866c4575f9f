package gridscore

import (
	"strings"
	"testing"
)

// TestCheckText: each kind of text refuses what it may not hold, naming the
// character by its code and never showing it; lengths count characters,
// not bytes.
func TestCheckText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		what, v string
		rule    TextRule
		want    string
	}{
		{"a plain key", "SJ2307-0004", CodeText, ""},
		{"a Chinese name", "王建华", NameText, ""},
		{"a note over lines", "第一行\r\n第二行\t完", NoteText, ""},
		{"a name of 50 characters", strings.Repeat("长", 50), NameText, ""},
		{"a name of 51 characters", strings.Repeat("长", 51), NameText, "不能超过 50 个字（现有 51 个字）"},
		{"a note of 5000 characters", strings.Repeat("a", 5000), NoteText, "不能超过 1000 个字（现有 5000 个字）"},
		{"a terminal escape in a name", "王\x1b[2J\x1b[31m", NameText, "不能含有控制字符（U+001B）"},
		{"a terminal escape in a note", "好\x1b[2J", NoteText, "不能含有控制字符（U+001B）"},
		{"a C1 control", "王\u009b2J", NameText, "不能含有控制字符（U+009B）"},
		{"a right-to-left override", "王\u202e华建", NameText, "不能含有改变文字方向的字符（U+202E）"},
		{"an isolate in a note", "a\u2067b", NoteText, "不能含有改变文字方向的字符（U+2067）"},
		{"a line break in a name", "王\n建华", NameText, "不能含有换行符或制表符"},
		{"a tab in a key", "SJ\t1", CodeText, "不能含有换行符或制表符"},
		{"a byte-order mark inside a key", "SJ2307\ufeff-0004", CodeText, "不能含有不可见字符或特殊空格（U+FEFF）"},
		{"a zero-width space in a key", "SJ\u200b2307", CodeText, "不能含有不可见字符或特殊空格（U+200B）"},
		{"a no-break space in a key", "QS\u00a0001", CodeText, "不能含有不可见字符或特殊空格（U+00A0）"},
		{"a plain space in a key", "QS 001", CodeText, ""},
		{"bytes that are not UTF-8", "王\xff", NameText, "含有无法识别的字符（文件的编码可能有误）"},
	} {
		if got := CheckText(c.v, c.rule); got != c.want {
			t.Errorf("%s: CheckText(%q) = %q, want %q", c.what, c.v, got, c.want)
		}
	}
}

// TestTrimText: spaces and invisible characters go from both ends, what is
// inside stays.
func TestTrimText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"\ufeffSJ2307-0004":          "SJ2307-0004",
		"SJ2307-0004\u200b":          "SJ2307-0004",
		"\u00a0\u3000QS001 \u2060\t": "QS001",
		"\u200d王 建华\u200c":           "王 建华",
		"SJ2307\ufeff-0004":          "SJ2307\ufeff-0004",
		"":                           "",
		"plain":                      "plain",
	} {
		if got := TrimText(in); got != want {
			t.Errorf("TrimText(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestShortTextsNeedNoRule: the shortcut of text (short printable ASCII
// breaks no rule) holds for every rule of the table.
func TestShortTextsNeedNoRule(t *testing.T) {
	t.Parallel()
	for kind, fields := range textFields {
		for field, rule := range fields {
			if rule.Max < shortestText || rule.Kind == 0 {
				t.Errorf("%s.%s: rule %+v; every rule needs a kind and a Max of at least %d", kind, field, rule, shortestText)
			}
			if MaxLength(kind, field) != rule.Max {
				t.Errorf("MaxLength(%s, %s) = %d, want %d", kind, field, MaxLength(kind, field), rule.Max)
			}
		}
	}
	if MaxLength(KindEvents, "reported_at") != 0 {
		t.Error("a field that is not text has a MaxLength")
	}
}
