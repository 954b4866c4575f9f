package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// NoticePage is the 考核结果告知单 of one worker, or of every worker of a
// town, each on an A4 sheet of its own: the quarter's computed result as
// the worker signs for it.
type NoticePage struct {
	Page
	Period  Period
	Town    string
	Notices []Notice
	// BackURL leads back to the worker's page or the town's dashboard.
	BackURL string
}

// Notice is one worker's 告知单.
type Notice struct {
	Title                      string
	WorkerID, Name, Type, Grid string
	Eligible                   bool
	Reason                     string
	// Categories are the five categories with their full marks and scores.
	Categories       []NoticeCategory
	Total, Rank, Pay string
	// Assessed is the number of workers ranked in the town.
	Assessed   int
	Deductions []NoticeDeduction
	Tags       []string
	// Appeal says until when and how the worker may appeal.
	Appeal string
	// Computed is the moment the result was computed as of (its as-of
	// moment, not when the computation ran).
	Computed string
}

// NoticeCategory is one category on a 告知单.
type NoticeCategory struct{ Name, Full, Score string }

// NoticeDeduction is one deduction on a 告知单.
type NoticeDeduction struct {
	Category, Rule, Period, Points, Detail string
	Count                                  int
}

// workerNotice is /workers/{id}/notice: the worker's 告知单 of the
// quarter, once computed. The worker may print their own once it is
// published (as they see their result); the centers their town's workers'.
func (s *Server) workerNotice(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id := r.PathValue("id")
	p, town, err := s.workerAccess(r, u, id)
	if err != nil {
		return err
	}
	res, st, err := s.noticeResult(r.Context(), w, r, u, p, town)
	if res == nil || err != nil {
		return err
	}
	wr, err := visibleWorker(res, u, p, id)
	if err != nil {
		return err
	}
	appeal, err := s.appealText(r.Context(), town, st)
	if err != nil {
		return err
	}
	page := &NoticePage{Page: s.page(u, wr.Name+" "+p.Quarter.String()+" 考核结果告知单", "home"), Period: p, Town: town,
		BackURL: workerURL(wr.WorkerID, p)}
	page.Notices = []Notice{s.notice(wr, rankedIn(res, wr.Town), p, st, appeal)}
	if u.Role != gs.RoleWorker {
		page.Nav = "workers"
	}
	return s.render(w, r, http.StatusOK, "notice", page)
}

// townNotices is /towns/{town}/notices: the 告知单 of every worker of the
// town, in the order of the ranking, to print at once (one A4 sheet each).
func (s *Server) townNotices(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town := r.PathValue("town")
	if err := checkTownBoard(u, town); err != nil {
		return err
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	towns, err := s.Service.Towns(r.Context())
	if err != nil {
		return err
	}
	if !slices.Contains(towns, town) { // for the district: the town's own center passed checkTownBoard
		return gs.Errorf(gs.ENOTFOUND, "没有镇街“%s”。", town)
	}
	res, st, err := s.noticeResult(r.Context(), w, r, u, p, town)
	if res == nil || err != nil {
		return err
	}
	appeal, err := s.appealText(r.Context(), town, st)
	if err != nil {
		return err
	}
	page := &NoticePage{Page: s.page(u, town+" "+p.Quarter.String()+" 考核结果告知单", "home"), Period: p, Town: town,
		BackURL: "/towns/" + url.PathEscape(town) + p.Query()}
	assessed := rankedIn(res, town)
	for i := range res.Workers {
		if res.Workers[i].Town == town {
			page.Notices = append(page.Notices, s.notice(&res.Workers[i], assessed, p, st, appeal))
		}
	}
	return s.render(w, r, http.StatusOK, "notice", page)
}

// noticeResult returns town's computed result of p's quarter and its
// state, or, when there is none to print (nothing computed yet, or under
// review for a grid worker), renders the page that says so and returns a
// nil result.
func (s *Server) noticeResult(ctx context.Context, w http.ResponseWriter, r *http.Request, u *gs.User, p Period, town string) (*gs.Result, gs.QuarterState, error) {
	st, err := s.Service.QuarterState(ctx, town, p.Quarter)
	if err != nil {
		return nil, st, err
	}
	if !st.HasSnapshot() || underReview(u, st) {
		msg := p.QuarterText() + "的考核结果还没有计算，计算后才能打印告知单；现在可以在考核结果页查看截至目前的得分。"
		if st.HasSnapshot() {
			msg = p.QuarterText() + "的考核结果正在由镇中心审核，公示后即可查看和打印告知单。"
		}
		return nil, st, s.render(w, r, http.StatusOK, "error", &ErrorPage{Page: s.page(u, "暂时不能打印告知单", "home"),
			Heading: "暂时不能打印告知单", Message: msg, LinkURL: "/", LinkText: "返回总览"})
	}
	res, err := s.Service.StoredResult(ctx, town, p.Quarter, st)
	return res, st, err
}

// appealText says on a 告知单 when the worker may appeal (RULES.md §8).
func (s *Server) appealText(ctx context.Context, town string, st gs.QuarterState) (string, error) {
	switch st.State {
	case gs.StateComputed:
		return "考核结果公示后 5 个工作日内，如对任何一项扣分有异议，可在系统中或向镇（街道）网格化服务管理中心提出申诉。", nil
	case gs.StatePublished:
		last, err := s.Service.AppealDeadline(ctx, town, st.PublishedAt)
		if err != nil {
			return "", err
		}
		return "如对任何一项扣分有异议，请于 " + chineseDate(last) + "（含当日）前在系统中或向镇（街道）网格化服务管理中心提出申诉，逾期视为无异议。", nil
	default:
		return "本季度考核结果已定稿，申诉期已结束。", nil
	}
}

// chineseDate words d as 2023年10月13日.
func chineseDate(d gs.Date) string {
	return strconv.Itoa(d.Year()) + "年" + strconv.Itoa(int(d.Month())) + "月" + strconv.Itoa(d.Day()) + "日"
}

// rankedIn counts the workers of town that res ranks: the "of N" of every
// notice of the town, counted once for a town's whole print run.
func rankedIn(res *gs.Result, town string) int {
	n := 0
	for _, o := range res.Workers {
		if o.Town == town && o.Rank != nil {
			n++
		}
	}
	return n
}

// notice is the 告知单 of wr, ranked among assessed workers of its town.
func (s *Server) notice(wr *gs.WorkerResult, assessed int, p Period, st gs.QuarterState, appeal string) Notice {
	n := Notice{
		Title:    wr.Town + "网格员" + strconv.Itoa(p.Quarter.Year) + "年第" + strconv.Itoa(p.Quarter.Q) + "季度考核结果告知单",
		WorkerID: wr.WorkerID, Name: wr.Name, Type: gs.TypeName(wr.Type), Grid: wr.GridCode,
		Eligible: wr.Eligible, Reason: wr.Reason, Total: "—", Rank: "—", Pay: wr.Pay.String(),
		Tags: flagTags(*wr), Appeal: appeal, Computed: fmtTime(st.AsOf),
		Assessed: assessed,
	}
	if wr.Total != nil {
		n.Total = wr.Total.String()
	}
	if wr.Rank != nil {
		n.Rank = strconv.Itoa(*wr.Rank)
	}
	if wr.Categories != nil {
		for _, c := range gs.AllCategories {
			n.Categories = append(n.Categories, NoticeCategory{Name: gs.CategoryName[c],
				Full: s.Service.Scheme.Max[c].String(), Score: wr.Categories.Get(c).String()})
		}
	}
	for _, d := range wr.Deductions {
		n.Deductions = append(n.Deductions, NoticeDeduction{
			Category: gs.CategoryName[gs.CategoryOf(d.Rule)], Rule: gs.NameOr(gs.RuleName, d.Rule), Period: d.Period,
			Count: d.Count, Points: strings.TrimPrefix(d.Points.String(), "-"), Detail: d.Detail,
		})
	}
	return n
}
