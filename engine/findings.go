package engine

import (
	"fmt"

	gs "github.com/gridscore/gridscore"
)

// findingRule maps each kind of finding to the rule it deducts under, with
// the Chinese words used in the deduction's sentence.
var findingRule = map[gs.FindingKind]struct {
	rule gs.RuleID
	what string
}{
	gs.FindingInfoStale:         {gs.RuleInfoStale, "基础信息变更未及时更新"},
	gs.FindingInfoIncomplete:    {gs.RuleInfoIncomplete, "基础信息录入不全或有误"},
	gs.FindingOmitGeneral:       {gs.RuleEventsOmitGeneral, "一般性动态信息漏报"},
	gs.FindingOmitMajor:         {gs.RuleEventsOmitMajor, "较大动态信息漏报"},
	gs.FindingSeriousUnreported: {gs.RuleEventsSeriousLate, "重大信息未上报"},
	gs.FindingLostControl:       {gs.RuleKeyLostControl, "因瞒报、漏报、迟报造成特殊人群失控"},
	gs.FindingItemsUnhandled:    {gs.RuleDisciplineItems, "平台事项漏处理"},
	gs.FindingInspection:        {gs.RuleDisciplineInspect, "被暗访检查发现、群众举报或未尽职履责"},
	gs.FindingDisobey:           {gs.RuleDisciplineDisobey, "不服从区、镇网格化管理中心工作安排，需约谈"},
	gs.FindingPhone:             {gs.RuleDisciplinePhone, "未随身携带网格手机或网格手机无法正常使用"},
}

// findingDeductions turns the worker's findings of the quarter (by
// occurred_on) dated on or before date(as_of) into deductions: the rule's points × the finding's count.
func (ix *index) findingDeductions(wc *workerContext) []gs.Deduction {
	var ds []gs.Deduction
	for _, f := range wc.ch.findings[wc.w.ID] {
		fr, ok := findingRule[f.Kind]
		if !ok || !ix.dated(f.OccurredOn) {
			continue
		}
		n := max(f.Count, 1)
		detail := fmt.Sprintf("%s%s，%d处", dateLabel(f.OccurredOn), fr.what, n)
		if f.Note != "" {
			detail += "（" + f.Note + "）"
		}
		ds = append(ds, gs.Deduction{
			Rule:     fr.rule,
			Period:   f.OccurredOn.String(),
			Count:    n,
			Points:   ix.scheme.Points[fr.rule] * gs.Points(n),
			Detail:   detail,
			Evidence: []string{f.ID},
		})
	}
	return ds
}
