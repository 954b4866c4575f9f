package csvfile

import "testing"

// TestParseStamp pins the spellings of dates and timestamps the reader
// accepts, and what it says of the others.
func TestParseStamp(t *testing.T) {
	t.Parallel()
	date := func(y, m, d int) stamp { return stamp{year: y, month: m, day: d} }
	at := func(y, m, d, h, mi, s, ns int) stamp {
		return stamp{year: y, month: m, day: d, hasTime: true, hour: h, min: mi, sec: s, ns: ns}
	}
	zoned := func(st stamp, offset int) stamp { st.hasZone, st.offset = true, offset; return st }
	for _, tc := range []struct {
		in   string
		want stamp // for a value accepted
		msg  string
	}{
		{"2023-07-03", date(2023, 7, 3), ""},
		{"2023/7/3", date(2023, 7, 3), ""},
		{"2023年7月3日", date(2023, 7, 3), ""},
		{"2023年7月3", date(2023, 7, 3), ""},
		{"2023-7-3 9:15", at(2023, 7, 3, 9, 15, 0, 0), ""},
		{"2023-07-03T09:15:07", at(2023, 7, 3, 9, 15, 7, 0), ""},
		{"2023-07-03   09:15:07.5", at(2023, 7, 3, 9, 15, 7, 500_000_000), ""},
		{"2023-07-03 09:15:07.123456789", at(2023, 7, 3, 9, 15, 7, 123456789), ""},
		{"2023年7月3日 9:15", at(2023, 7, 3, 9, 15, 0, 0), ""},
		{"2023-07-03T09:15:00Z", zoned(at(2023, 7, 3, 9, 15, 0, 0), 0), ""},
		{"2023-07-03T09:15:00z", zoned(at(2023, 7, 3, 9, 15, 0, 0), 0), ""},
		{"2023-07-03 09:15 +08:00", zoned(at(2023, 7, 3, 9, 15, 0, 0), 8*3600), ""},
		{"2023-07-03T09:15:00+0530", zoned(at(2023, 7, 3, 9, 15, 0, 0), 5*3600+30*60), ""},
		{"2023-07-03T09:15:00-03", zoned(at(2023, 7, 3, 9, 15, 0, 0), -3*3600), ""},
		{"2023-07-03T09:15:00+14:59", zoned(at(2023, 7, 3, 9, 15, 0, 0), 14*3600+59*60), ""},
		{"2023.07.03", stamp{}, "格式无法识别"},
		{"23-07-03", stamp{}, "格式无法识别"},
		{"2023-07/03", stamp{}, "格式无法识别"},
		{"2023-123-03", stamp{}, "格式无法识别"},
		{"2023-07-", stamp{}, "格式无法识别"},
		{"1899-12-31", stamp{}, "年份超出合理范围"},
		{"2101-01-01", stamp{}, "年份超出合理范围"},
		{"2023-02-29", stamp{}, "日期不存在"},
		{"2023-13-01", stamp{}, "日期不存在"},
		{"2023-07-03x", stamp{}, "格式无法识别"},
		{"2023-07-03 9", stamp{}, "格式无法识别"},
		{"2023-07-03 9:5", stamp{}, "格式无法识别"},
		{"2023-07-03 9:15:7", stamp{}, "格式无法识别"},
		{"2023-07-03 9:15:07.", stamp{}, "格式无法识别"},
		{"2023-07-03 24:00", stamp{}, "时间不存在"},
		{"2023-07-03 23:60", stamp{}, "时间不存在"},
		{"2023-07-03 09:15 CST", stamp{}, "格式无法识别"},
		{"2023-07-03 09:15+8", stamp{}, "格式无法识别"},
		{"2023-07-03 09:15+15:00", stamp{}, "格式无法识别"},
		{"2023-07-03 09:15+08:0", stamp{}, "格式无法识别"},
		{"2023-07-03 09:15+08x", stamp{}, "格式无法识别"},
		{"2023-07-03 09:15Zx", stamp{}, "格式无法识别"},
	} {
		got, msg := parseStamp(tc.in)
		if msg != "" {
			got = tc.want // a stamp with a message is thrown away: only the message counts
		}
		if got != tc.want || msg != tc.msg {
			t.Errorf("parseStamp(%q) = %+v, %q\nwant %+v, %q", tc.in, got, msg, tc.want, tc.msg)
		}
	}
}
