package web

import (
	"strings"

	gs "github.com/gridscore/gridscore"
)

// objectText names what an audit entry concerns in Chinese, from the log's
// key of it (app: "user:…", "quarter:town/2023Q3", "worker:id/…",
// "appeal:n", "upload:n", "kind:key"): 账号 admin, 青山镇 2023年第3季度,
// 网格员 QS009 · 请假 QS009/2023-09-11, 工作日历 2023-09-29（青山镇）. A key
// it does not know is shown as stored.
func objectText(obj string) string {
	kind, rest, ok := strings.Cut(obj, ":")
	if !ok {
		return obj
	}
	switch kind {
	case "user":
		return "账号 " + rest
	case "quarter":
		town, q, _ := strings.Cut(rest, "/")
		return town + " " + quarterText(q)
	case "worker":
		id, what, _ := strings.Cut(rest, "/")
		if what == "" {
			return "网格员 " + id
		}
		if _, err := gs.ParseQuarter(what); err == nil {
			return "网格员 " + id + " · " + quarterText(what)
		}
		return "网格员 " + id + " · " + objectText(what)
	case "appeal":
		return "申诉 " + rest + " 号"
	case "upload":
		return "导入 " + rest + " 号"
	case "survey":
		town, id, _ := strings.Cut(rest, "/")
		return town + " 满意度评价 " + id + " 号"
	case "apitoken":
		town, id, _ := strings.Cut(rest, "/")
		return "接口令牌 " + id + " 号（" + town + "）"
	case "mapping":
		town, name, _ := strings.Cut(rest, "/")
		return "导入映射“" + name + "”（" + gs.TownOrDistrict(town) + "）"
	case gs.KindCalendar:
		day, town, _ := strings.Cut(rest, "/")
		return gs.KindName[kind] + " " + day + "（" + gs.TownOrDistrict(town) + "）"
	}
	if name := gs.KindName[kind]; name != "" {
		return name + " " + rest
	}
	return obj
}

// quarterText is a quarter such as 2023Q3 in Chinese (2023年第3季度), or q
// as given when it is not one.
func quarterText(q string) string {
	pq, err := gs.ParseQuarter(q)
	if err != nil {
		return q
	}
	return Period{Quarter: pq}.QuarterText()
}
