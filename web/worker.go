package web

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// WorkerPage is one worker's quarter: the headline result, every category
// with its deductions (rule, period, count, points, the sentence that
// explains it and the records it rests on), the flags and the pay.
type WorkerPage struct {
	Page
	Period Period
	Worker WorkerSummary
	// Categories is empty for a worker who is not assessed.
	Categories []CategoryRow
	// Other holds deductions of a worker not assessed, if any.
	Other []DeductionRow
	Tags  []string
	// People are the special-population persons the deductions name, with
	// names and ID numbers masked unless the user may see them in full.
	People []PersonRow
	// Masked tells whether People is masked.
	Masked bool
	// Own is set when a grid worker looks at their own quarter.
	Own bool
	// TownURL links back to the town's dashboard (for the centers).
	TownURL string
	// HistoryURL links to the worker's quarters side by side and trend.
	HistoryURL string
	// Life is the quarter's state as this page concerns it: appeals and
	// voided deductions.
	Life WorkerLife
	// Error is the mistake of an appeal or void form whose deduction the
	// page does not list (recomputed or voided meanwhile), shown at the top.
	Error string
	// Standing (截至目前) and Warnings (需要注意) open the page while the
	// quarter is open (RULES.md §9); Standing is nil, and the page is the
	// quarter's result as always, once it is over or for a worker not
	// assessed.
	Standing *StandingView
	Warnings []WarningCard
}

// WorkerSummary is the head of a worker's quarter.
type WorkerSummary struct {
	WorkerID, Name, Type, Town, Grid string
	Eligible                         bool
	Reason                           string
	Rank, Total, Pay                 string
	Deductions                       int
	// Left says when the worker left in the quarter: 离职（2023-08-15）.
	Left string
}

// CategoryRow is one category of a worker's quarter.
type CategoryRow struct {
	Name, Score, Full string
	// Deducted is the sum of the category's deductions before the floor
	// at 0 ("0" when none).
	Deducted   string
	Deductions []DeductionRow
	// Rated is set for the satisfaction category, scored from the ballots
	// rather than by deductions; Ballots says how many of each kind the
	// score rests on.
	Rated   bool
	Ballots string
}

// DeductionRow is one itemised deduction.
type DeductionRow struct {
	Rule, Period, Points, Detail string
	Count                        int
	// Evidence are the records the deduction rests on; PeriodURL lists the
	// worker's records of the kind the rule counted over its period.
	Evidence  []RecordLink
	PeriodURL string
	// RuleID, EvidenceKey and Item name the deduction in the appeal and
	// void forms (with Period).
	RuleID, EvidenceKey, Item string
	// Appeal is the worker's appeal of this deduction, if any.
	Appeal *AppealRow
	// CanAppeal shows the appeal form (the worker themself, while
	// published); CanVoid the void form (the center, while computed).
	CanAppeal, CanVoid bool
	// Action is where the form posts; Reason and Error are a form posted
	// with a mistake, shown again.
	Action, Reason, Error string
	// Anchor is the element id of the deduction on the page. The form posts
	// to Action#Anchor, so the page shown again with a mistake opens at the
	// deduction and its message, not at the top (no script needed).
	Anchor string
}

// PersonRow is a special-population person named by a deduction.
type PersonRow struct {
	PersonID, Category, Grid, Name, IDNumber string
}

// workerQuarter is /workers/{id}: a worker's quarter.
func (s *Server) workerQuarter(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	return s.workerQuarterWith(w, r, u, http.StatusOK, DeductionForm{})
}

// workerQuarterWith renders worker {id}'s quarter with the status, and the
// appeal or void form of one deduction shown again when form has a mistake.
func (s *Server) workerQuarterWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, form DeductionForm) error {
	id := r.PathValue("id")
	p, town, err := s.workerAccess(r, u, id)
	if err != nil {
		return err
	}
	st, err := s.Service.QuarterState(r.Context(), town, p.Quarter)
	if err != nil {
		return err
	}
	if underReview(u, st) {
		return s.render(w, r, http.StatusOK, "error", &ErrorPage{Page: s.page(u, "考核结果审核中", "home"),
			Heading: "考核结果审核中",
			Message: p.QuarterText() + "的考核结果已经计算，正在由镇中心审核，公示后即可查看本人的得分和每一项扣分。",
			LinkURL: "/records", LinkText: "查看本人的记录"})
	}
	res, err := s.resultIn(r.Context(), p, town, st)
	if err != nil {
		return err
	}
	wr, err := visibleWorker(res, u, p, id)
	if err != nil {
		return err
	}
	if p, err = s.markStored(r.Context(), p, wr.Town); err != nil {
		return err
	}
	if p, err = s.withChoices(r.Context(), p, wr.Town); err != nil {
		return err
	}
	page := &WorkerPage{
		Page:   s.page(u, wr.Name+" "+p.Quarter.String()+" 考核结果", "home"),
		Period: p,
		Worker: WorkerSummary{
			WorkerID: wr.WorkerID, Name: wr.Name, Type: gs.TypeName(wr.Type), Town: wr.Town, Grid: wr.GridCode,
			Eligible: wr.Eligible, Reason: wr.Reason, Rank: "—", Total: "—", Pay: wr.Pay.String(),
			Deductions: len(wr.Deductions),
		},
		Tags:       flagTags(*wr),
		Masked:     !u.SeesPersonalData(),
		Own:        u.Role == gs.RoleWorker,
		HistoryURL: "/workers/" + url.PathEscape(wr.WorkerID) + "/history" + p.Query(),
	}
	if u.Role != gs.RoleWorker {
		page.Nav = "workers"
		if seesTownBoard(u, wr.Town) {
			page.TownURL = "/towns/" + url.PathEscape(wr.Town) + p.Query()
		}
	}
	left, err := s.leftBy(r.Context(), []string{wr.WorkerID}, p.Quarter)
	if err != nil {
		return err
	}
	page.Worker.Left = left[wr.WorkerID]
	if wr.Rank != nil {
		page.Worker.Rank = strconv.Itoa(*wr.Rank)
	}
	if wr.Total != nil {
		page.Worker.Total = wr.Total.String()
	}
	moment := p.AsOf
	if p.Stored != "" {
		moment = p.StoredAsOf
	}
	if page.Standing = s.standingView(res, wr, moment); page.Standing != nil {
		if page.Warnings, err = s.workerWarnings(r.Context(), p, wr); err != nil {
			return err
		}
	}
	life, err := s.workerLife(r.Context(), u, wr, p, form)
	if err != nil {
		return err
	}
	page.Life = life.WorkerLife
	s.addDeductions(page, wr, life)
	if withheld, err := s.addBallots(r.Context(), u, page, wr.WorkerID, p.Quarter); err != nil {
		return err
	} else if withheld {
		s.withholdSatisfaction(page, wr)
	}
	if page.People, err = s.people(r.Context(), wr.Deductions, page.Masked); err != nil {
		return err
	}
	if !life.formShown {
		page.Error = form.Error
	}
	return s.render(w, r, status, "worker", page)
}

// workerWarnings are the warnings of wr's page: those of the live standing
// as of the page's moment, as the town's board lists them
// (townWarningResults), also when wr comes from a snapshot stored inside
// the quarter, whose own warnings are about the moment it was computed at.
func (s *Server) workerWarnings(ctx context.Context, p Period, wr *gs.WorkerResult) ([]WarningCard, error) {
	if p.Stored == "" {
		return warningCards(wr, p.AsOf), nil
	}
	live, err := s.townWarningResults(ctx, p, wr.Town, nil)
	if err != nil {
		return nil, err
	}
	for i := range live {
		if live[i].WorkerID == wr.WorkerID {
			return warningCards(&live[i], p.AsOf), nil
		}
	}
	return nil, nil
}

// visibleWorker returns worker id's result in res, refusing one u may not
// see.
func visibleWorker(res *gs.Result, u *gs.User, p Period, id string) (*gs.WorkerResult, error) {
	wr, err := workerIn(res, u, p, id)
	if err != nil {
		return nil, err
	}
	if !u.CanSeeWorker(wr.WorkerID, wr.Town) {
		return nil, forbidden("您只能查看本镇街网格员的考核结果。")
	}
	return wr, nil
}

// workerIn returns worker id's result in res, or ENOTFOUND worded for u.
func workerIn(res *gs.Result, u *gs.User, p Period, id string) (*gs.WorkerResult, error) {
	for i := range res.Workers {
		if res.Workers[i].WorkerID == id {
			return &res.Workers[i], nil
		}
	}
	if u.Role == gs.RoleWorker {
		return nil, gs.Errorf(gs.ENOTFOUND, "%s 还没有您的考核结果。", p.QuarterText())
	}
	return nil, gs.Errorf(gs.ENOTFOUND, "%s 没有工号为“%s”的网格员。", p.QuarterText(), id)
}

// addDeductions puts wr's deductions into page, each with its appeal and
// form (life): by category with the category's score, or, for a worker not
// assessed (no categories), in one list.
func (s *Server) addDeductions(page *WorkerPage, wr *gs.WorkerResult, life *workerLife) {
	byCategory := map[gs.CategoryID][]DeductionRow{}
	deducted := map[gs.CategoryID]gs.Points{}
	for _, d := range wr.Deductions {
		c := gs.CategoryOf(d.Rule)
		byCategory[c] = append(byCategory[c], life.row(d))
		deducted[c] += d.Points
	}
	if wr.Categories == nil {
		for _, c := range gs.AllCategories {
			page.Other = append(page.Other, byCategory[c]...)
		}
		return
	}
	for _, c := range gs.AllCategories {
		page.Categories = append(page.Categories, CategoryRow{
			Name: gs.CategoryName[c], Score: wr.Categories.Get(c).String(),
			Full: s.Service.Scheme.Max[c].String(), Deducted: deducted[c].String(),
			Deductions: byCategory[c], Rated: c == gs.CatSatisfaction,
		})
	}
}

// workerAccess checks that u may see worker id and returns the period the
// request names and the worker's town. A grid worker may see only
// themself, checked before anything is read, so the answer tells nothing
// about whether id exists; the centers see the workers of their own town
// (the district every town's), checked before anything is computed.
func (s *Server) workerAccess(r *http.Request, u *gs.User, id string) (Period, string, error) {
	if u.Role == gs.RoleWorker && !u.CanSeeWorker(id, u.Town) {
		return Period{}, "", forbidden("网格员只能查看本人的考核结果。")
	}
	p, err := s.period(r)
	if err != nil {
		return Period{}, "", err
	}
	if u.Role == gs.RoleWorker {
		return p, u.Town, nil
	}
	town, err := s.Service.WorkerTown(r.Context(), id)
	if err != nil {
		return Period{}, "", err
	}
	if town == "" {
		return Period{}, "", gs.Errorf(gs.ENOTFOUND, "%s 没有工号为“%s”的网格员。", p.QuarterText(), id)
	}
	if !u.CanSeeWorker(id, town) {
		return Period{}, "", forbidden("您只能查看本镇街网格员的考核结果。")
	}
	return p, town, nil
}

// deductionRow is a deduction in words.
func deductionRow(workerID string, d gs.Deduction) DeductionRow {
	return DeductionRow{
		Rule: gs.NameOr(gs.RuleName, d.Rule), Period: d.Period, Count: d.Count, Points: "−" + strings.TrimPrefix(d.Points.String(), "-"),
		Detail: d.Detail, Evidence: recordLinks(d), PeriodURL: periodLink(workerID, d),
		RuleID: string(d.Rule), EvidenceKey: strings.Join(d.Evidence, ","), Item: d.Item,
		Anchor: deductionAnchor(d),
	}
}

// deductionAnchor is an element id naming deduction d on its worker's page,
// the same each time the page is shown (the item tells the two login
// deductions of a day apart).
func deductionAnchor(d gs.Deduction) string {
	h := fnv.New32a()
	key := string(d.Rule) + "|" + d.Period + "|" + strings.Join(d.Evidence, ",")
	if d.Item != "" {
		key += "|" + d.Item
	}
	h.Write([]byte(key))
	return fmt.Sprintf("ded-%08x", h.Sum32())
}

// people returns the special-population persons that the deductions name
// among their evidence, masked when masked is set. It reads the register only
// when a key-work deduction (the rules about these persons) is there.
func (s *Server) people(ctx context.Context, ds []gs.Deduction, masked bool) ([]PersonRow, error) {
	ids := map[string]bool{}
	for _, d := range ds {
		if gs.CategoryOf(d.Rule) == gs.CatKeyWork {
			for _, e := range d.Evidence {
				ids[e] = true
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	persons, err := s.Service.Persons(ctx, slices.Sorted(maps.Keys(ids)))
	if err != nil {
		return nil, err
	}
	var out []PersonRow
	for _, p := range persons {
		row := PersonRow{PersonID: p.PersonID, Category: gs.PopulationName[p.Category], Grid: p.GridCode, Name: p.Name, IDNumber: p.IDNumber}
		if masked {
			row.Name, row.IDNumber = gs.MaskName(p.Name), gs.MaskIDNumber(p.IDNumber)
		}
		out = append(out, row)
	}
	return out, nil
}

// underReview reports whether the quarter's results are computed but not
// yet published, which a grid worker does not see (RULES.md §8: the center
// reviews them and may void deductions; each worker sees their own result
// from publication). While the quarter is open a worker sees the live,
// provisional result.
func underReview(u *gs.User, st gs.QuarterState) bool {
	return u.Role == gs.RoleWorker && st.State == gs.StateComputed
}

// addBallots words the ballots of the worker's quarter under the rated
// categories of page, and reports whether they are withheld from u while
// the town's survey runs (app.MsgBallotsWithheld): the tally says so, asked
// once.
func (s *Server) addBallots(ctx context.Context, u *gs.User, page *WorkerPage, workerID string, q gs.Quarter) (withheld bool, err error) {
	t, err := s.Service.Ballots(ctx, u, workerID, q)
	if err != nil {
		return false, err
	}
	for i := range page.Categories {
		if page.Categories[i].Rated {
			page.Categories[i].Ballots = ballotSentence(t)
		}
	}
	return t.Withheld, nil
}

// withholdSatisfaction leaves out of a grid worker's page what the ballots
// move while the town's survey runs (app.MsgBallotsWithheld): the
// satisfaction score, the total, rank and pay it is part of, and the tag
// of a quarter without ballots. The
// standing shows the total of the other categories against their full
// scores, and says why.
func (s *Server) withholdSatisfaction(page *WorkerPage, wr *gs.WorkerResult) {
	const none = "—"
	page.Worker.Total, page.Worker.Rank, page.Worker.Pay = none, none, none
	// The tag of a quarter without ballots would go at the first answer.
	page.Tags = slices.DeleteFunc(page.Tags, func(t string) bool { return t == gs.FlagName[gs.FlagNoBallots] })
	for i := range page.Categories {
		if page.Categories[i].Rated {
			page.Categories[i].Score = none
		}
	}
	v := page.Standing
	if v == nil {
		return
	}
	var total, full gs.Points
	for i, c := range gs.AllCategories {
		if c == gs.CatSatisfaction {
			v.Categories[i].Score = none
			continue
		}
		total += wr.Categories.Get(c)
		full += s.Service.Scheme.Max[c]
	}
	v.Total, v.Full, v.Rank, v.Ranked = total.String(), full.String(), none, 0
	v.Withheld = "总分暂不含" + gs.CategoryName[gs.CatSatisfaction] + "，镇内排名暂不显示：" + app.MsgBallotsWithheld
}

// ballotSentence words a tally: 依据本季度 12 份满意度评价：干部 4 份（满意 3、
// 基本满意 1），群众 8 份（满意 8）。
func ballotSentence(t *app.BallotTally) string {
	if t.Withheld {
		return app.MsgBallotsWithheld
	}
	if t.Total == 0 {
		return "本季度没有满意度评价，本类按满分计。"
	}
	groups := make([]string, len(t.Groups))
	for i, g := range t.Groups {
		var rs []string
		for j, n := range g.ByRating {
			if n > 0 {
				rs = append(rs, gs.RatingName[gs.Ratings[j]]+" "+strconv.Itoa(n))
			}
		}
		groups[i] = gs.NameOr(gs.RaterGroupName, g.Group) + " " + strconv.Itoa(g.N) + " 份（" + strings.Join(rs, "、") + "）"
	}
	return "依据本季度 " + strconv.Itoa(t.Total) + " 份满意度评价" + sourcesText(t.Sources) + "：" + strings.Join(groups, "，") + "。"
}

// sourcesText says where the ballots came from when any came from the
// survey (其中扫码 8 份、纸质 4 份), nothing when all were imported.
func sourcesText(sources []app.SourceCount) string {
	if len(sources) == 0 || len(sources) == 1 && sources[0].Source == gs.SourceImport {
		return ""
	}
	parts := make([]string, len(sources))
	for i, sc := range sources {
		parts[i] = gs.BallotSourceName[sc.Source] + " " + strconv.Itoa(sc.N) + " 份"
	}
	return "（其中" + strings.Join(parts, "、") + "）"
}
