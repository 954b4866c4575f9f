// Package report renders an assessment result for people and programs: a
// Chinese table for a terminal, the JSON of DATA.md §3, and an XLSX
// workbook for Excel or WPS.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/width"

	gs "github.com/gridscore/gridscore"
)

// WriteJSON writes the result as the JSON object of DATA.md §3, indented.
func WriteJSON(w io.Writer, res *gs.Result) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// TypeName is the Chinese name of a worker type.
func TypeName(t gs.WorkerType) string {
	if t == gs.PartTime {
		return "兼职"
	}
	return "专职"
}

// CategoryName is the Chinese name of a score category.
var CategoryName = map[gs.CategoryID]string{
	gs.CatInfo:         "信息录入",
	gs.CatEvents:       "事件办理",
	gs.CatKeyWork:      "重点工作",
	gs.CatDiscipline:   "工作纪律",
	gs.CatSatisfaction: "满意率",
}

// RuleName is the short Chinese name of each rule.
var RuleName = map[gs.RuleID]string{
	gs.RuleInfoStale:         "基础信息未及时更新",
	gs.RuleInfoIncomplete:    "基础信息录入不全或有误",
	gs.RuleEventsQuota:       "月事件量不达标",
	gs.RuleEventsBatch:       "月底集中上报",
	gs.RuleEventsYellow:      "黄牌警告",
	gs.RuleEventsRed:         "红牌警告",
	gs.RuleEventsIrregular:   "事件录入不规范",
	gs.RuleEventsOmitGeneral: "一般信息漏报",
	gs.RuleEventsOmitMajor:   "较大信息漏报",
	gs.RuleEventsSeriousLate: "重大信息未在规定时间内上报",
	gs.RuleKeyMissingEntry:   "特殊人群未及时录入",
	gs.RuleKeyVisits:         "特殊人群走访未完成",
	gs.RuleKeyLostControl:    "特殊人群失控",
	gs.RuleDisciplineLogin:   "工作日未登录",
	gs.RuleDisciplineItems:   "平台事项漏处理",
	gs.RuleDisciplinePatrol:  "一日双巡不足",
	gs.RuleDisciplineMeeting: "无故缺席例会培训",
	gs.RuleDisciplineInspect: "暗访发现或群众举报",
	gs.RuleDisciplineDisobey: "不服从工作安排",
	gs.RuleDisciplinePhone:   "网格手机问题",
	gs.RuleDisciplineQuiz:    "应知应会答错",
}

// FlagName is the Chinese name of each result flag.
var FlagName = map[string]string{
	gs.FlagNoBallots:    "本季度无满意度评价",
	gs.FlagInterviewDue: "需约谈",
}

// DisplayWidth is how many terminal columns s takes: wide and full-width
// characters (Chinese) take two.
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// pad pads s with spaces to w columns (left-aligned, or right-aligned when
// right is true).
func pad(s string, w int, right bool) string {
	gap := w - DisplayWidth(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

// WriteTable writes the result as a Chinese table for a terminal: one line a
// worker with the five categories, total, rank and pay, then every worker's
// deductions.
func WriteTable(w io.Writer, res *gs.Result) error {
	fmt.Fprintf(w, "%s 考核结果（截至 %s，方案 %s）\n\n", res.Quarter, res.AsOf.Format("2006-01-02 15:04"), res.Scheme)
	header := []string{"镇街", "排名", "工号", "姓名", "类型", "网格", "信息录入", "事件办理", "重点工作", "工作纪律", "满意率", "总分", "绩效(元)", "备注"}
	right := map[int]bool{1: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true, 12: true}
	rows := [][]string{header}
	for _, r := range res.Workers {
		row := []string{r.Town, "-", r.WorkerID, r.Name, TypeName(r.Type), r.GridCode, "-", "-", "-", "-", "-", "-", r.Pay.String(), ""}
		var notes []string
		if r.Eligible {
			row[1] = fmt.Sprint(*r.Rank)
			c := r.Categories
			row[6], row[7], row[8], row[9], row[10] = c.Info.String(), c.Events.String(), c.KeyWork.String(), c.Discipline.String(), c.Satisfaction.String()
			row[11] = r.Total.String()
		} else {
			notes = append(notes, "不参加考核")
		}
		for _, f := range r.Flags {
			notes = append(notes, FlagName[f])
		}
		row[13] = strings.Join(notes, "；")
		rows = append(rows, row)
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], DisplayWidth(cell))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, cell := range row {
			if i > 0 {
				b.WriteString("  ")
			}
			if i == len(row)-1 {
				b.WriteString(cell)
			} else {
				b.WriteString(pad(cell, widths[i], right[i]))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "\n扣分明细\n")
	for _, r := range res.Workers {
		if !r.Eligible {
			fmt.Fprintf(w, "\n%s %s：%s\n", r.WorkerID, r.Name, r.Reason)
			continue
		}
		if len(r.Deductions) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s %s（总分 %s）\n", r.WorkerID, r.Name, r.Total)
		for _, d := range r.Deductions {
			fmt.Fprintf(w, "  -%-6s %-10s %s：%s\n", d.Points, d.Period, RuleName[d.Rule], d.Detail)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "\n注意：%s\n", n)
	}
	_, err := fmt.Fprintln(w)
	return err
}
