package app_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", to read the stored rows as they are
	_ "modernc.org/sqlite"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// surveyNow is the survey tests' clock: a Wednesday in the demo quarter,
// while the campaign of openSurvey runs.
var surveyNow = time.Date(2023, 9, 20, 10, 0, 0, 0, gs.CST)

// surveyService is the service on a fresh store of each engine holding the
// demo town, its clock at surveyNow (changed through the pointer), with
// the store's target.
func forEachSurveyService(t *testing.T, test func(t *testing.T, s *app.Service, now *time.Time, target string)) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			target := b.Target(t)
			db := mustOpen(t, target)
			if _, err := db.Import(context.Background(), demo.Town(1), nil); err != nil {
				t.Fatal(err)
			}
			now := surveyNow
			s := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return now }}
			test(t, s, &now, target)
		})
	}
}

// openSurvey opens a campaign over grids QS-13 and QS-01, from 18 to 30
// September, 2 cadre and 5 resident ballots a grid, as the town's staff.
func openSurvey(t *testing.T, s *app.Service) *gs.Campaign {
	t.Helper()
	c, err := s.OpenCampaign(app.WithActor(context.Background(), "staff"), qStaff, app.CampaignInput{
		Title: "2023年第三季度网格员满意度测评", Quarter: demo.Quarter(),
		OpensAt:  time.Date(2023, 9, 18, 8, 0, 0, 0, gs.CST),
		ClosesAt: time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST),
		Grids:    []string{"QS-13", "QS-01"}, Cadre: 2, Resident: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// printFor prints n resident ballots for grid and returns their codes.
func printFor(t *testing.T, s *app.Service, id int64, grid string, n int) []string {
	t.Helper()
	b, err := s.PrintBallots(app.WithActor(context.Background(), "staff"), qStaff, id, app.PrintInput{Grid: grid, Resident: n})
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, p := range b.Ballots {
		codes = append(codes, p.Code)
	}
	return codes
}

// satisfaction is QS013's satisfaction score in the town's live standing.
func satisfaction(t *testing.T, s *app.Service, worker string) (gs.Points, int) {
	t.Helper()
	res, err := s.AssessTown(context.Background(), demo.TownName, demo.Quarter(), surveyNow)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Workers {
		if w.WorkerID == worker {
			return w.Categories.Satisfaction, len(w.Flags)
		}
	}
	t.Fatalf("no %s in the result", worker)
	return 0, 0
}

// expectedSatisfaction is RULES.md §6 worked out by hand from the stored
// ballots of worker in the demo quarter: 20 × (satisfied + basic) / n,
// rounded half up to hundredths.
func expectedSatisfaction(t *testing.T, s *app.Service, worker string) gs.Points {
	t.Helper()
	tally, err := s.Ballots(context.Background(), qAdmin, worker, demo.Quarter())
	if err != nil {
		t.Fatal(err)
	}
	good := 0
	for _, g := range tally.Groups {
		good += g.ByRating[0] + g.ByRating[1]
	}
	if tally.Total == 0 {
		return 2000
	}
	r := new(big.Rat).SetFrac64(int64(2000*good), int64(tally.Total))
	n := new(big.Int).Add(new(big.Int).Mul(r.Num(), big.NewInt(2)), r.Denom())
	return gs.Points(new(big.Int).Quo(n, new(big.Int).Mul(r.Denom(), big.NewInt(2))).Int64())
}

// TestHundredsOfAnswersOfOneBallotCountOnce: 300 phones answering one
// ballot at the same moment make exactly one ballot, and 299 are told it
// was used; the worker's ballots grow by one.
func TestHundredsOfAnswersOfOneBallotCountOnce(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		c := openSurvey(t, s)
		code := printFor(t, s, c.ID, "QS-13", 1)[0]
		before, err := s.Ballots(context.Background(), qAdmin, "QS013", demo.Quarter())
		if err != nil {
			t.Fatal(err)
		}
		const phones = 300
		var wg sync.WaitGroup
		errs := make([]error, phones)
		start := make(chan struct{})
		for i := range phones {
			wg.Go(func() {
				<-start
				_, errs[i] = s.CastBallot(context.Background(), code, fmt.Sprintf("198.51.100.%d", i%200), gs.RatingUnsatisfied, "")
			})
		}
		close(start)
		wg.Wait()
		ok, used := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case gs.ErrorCode(err) == gs.ECONFLICT && strings.Contains(gs.ErrorMessage(err), "已经使用过"):
				used++
			default:
				t.Errorf("an answer: %v", err)
			}
		}
		if ok != 1 || used != phones-1 {
			t.Errorf("%d answers counted and %d told the ballot was used, want 1 and %d", ok, used, phones-1)
		}
		after, err := s.Ballots(context.Background(), qAdmin, "QS013", demo.Quarter())
		if err != nil {
			t.Fatal(err)
		}
		if after.Total != before.Total+1 {
			t.Errorf("QS013 has %d ballots after, %d before: want one more", after.Total, before.Total)
		}
	})
}

// TestBallotCodes: a code is 17 characters of Crockford's alphabet
// carrying 80 random bits; it reads back however typed (small letters,
// dashes, O for 0); any one character typed wrong, and any two different
// neighbours swapped, is told to be mistyped.
// luhnCheck returns the check character that makes body a well-typed code
// (found by trying each, through NormalizeCode).
func luhnCheck(t *testing.T, body string) string {
	t.Helper()
	for _, c := range "0123456789ABCDEFGHJKMNPQRSTVWXYZ" {
		if _, p := app.NormalizeCode(body + string(c)); p == app.CodeOK {
			return string(c)
		}
	}
	t.Fatalf("no check character for %q", body)
	return ""
}

func TestBallotCodes(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		code, err := app.NewBallotCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 17 || seen[code] {
			t.Fatalf("code %q: length %d or drawn twice", code, len(code))
		}
		seen[code] = true
		if got, p := app.NormalizeCode(strings.ToLower(app.FormatCode(code))); got != code || p != app.CodeOK {
			t.Fatalf("%q typed as %q reads %q (%d)", code, strings.ToLower(app.FormatCode(code)), got, p)
		}
	}
	code, _ := app.NewBallotCode()
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	for i := range code {
		for _, r := range alphabet {
			if byte(r) == code[i] {
				continue
			}
			typo := code[:i] + string(r) + code[i+1:]
			if _, p := app.NormalizeCode(typo); p != app.CodeMistyped {
				t.Fatalf("%q with position %d typed %c is not told mistyped", code, i, r)
			}
		}
		if i+1 < len(code) && code[i] != code[i+1] {
			swapped := code[:i] + string(code[i+1]) + string(code[i]) + code[i+2:]
			_, p := app.NormalizeCode(swapped)
			blind := strings.Contains("0Z Z0", code[i:i+2]) // Luhn mod 32's one blind spot
			if p == app.CodeOK && !blind {
				t.Errorf("%q with positions %d and %d swapped reads as a code", code, i, i+1)
			}
		}
	}
	// Every other pair of neighbours, swapped, is told mistyped; 0 and Z
	// are not (as survey_code.go says).
	for _, a := range alphabet {
		for _, b := range alphabet {
			if a == b {
				continue
			}
			body := "0000000" + string(a) + string(b) + "0000000"
			good := body + luhnCheck(t, body)
			swapped := "0000000" + string(b) + string(a) + "0000000" + good[16:]
			_, p := app.NormalizeCode(swapped)
			if blind := a == '0' && b == 'Z' || a == 'Z' && b == '0'; (p == app.CodeOK) != blind {
				t.Errorf("%c and %c swapped: %d", a, b, p)
			}
		}
	}
	for _, bad := range []string{"", "ABC", code + "0", strings.Replace(code, code[3:4], "U", 1), "测试测试测试测试测试测试测试测试测"} {
		if _, p := app.NormalizeCode(bad); p != app.CodeMalformed {
			t.Errorf("%q is not malformed", bad)
		}
	}
	if got, _ := app.NormalizeCode(strings.NewReplacer("0", "o", "1", "l").Replace(code)); got != code {
		t.Errorf("o and l are not read as 0 and 1: %q", got)
	}
}

// TestGuessedCodesRefusedAndThrottled: a code drawn at random, with a
// right check character, is refused; past 20 of them one address waits,
// also for a real code, while another address is served; a mistyped code
// does not count; and a village hall where 60 people answer from one
// address is never stopped.
func TestGuessedCodesRefusedAndThrottled(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, now *time.Time, _ string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		codes := printFor(t, s, c.ID, "QS-13", 62)
		guesser := "203.0.113.9"
		for i := range app.GuessLimits.Free {
			guess, _ := app.NewBallotCode()
			_, err := s.OpenBallot(ctx, guess, guesser)
			if gs.ErrorCode(err) != gs.ENOTFOUND || !strings.Contains(gs.ErrorMessage(err), "没有这个评价码") {
				t.Fatalf("guess %d: %v, want 没有这个评价码", i+1, err)
			}
		}
		// Mistyped codes are told so without counting.
		for range 30 {
			if _, err := s.OpenBallot(ctx, codes[0][:16]+flip(codes[0][16]), guesser); !strings.Contains(gs.ErrorMessage(err), "输错") {
				t.Fatalf("a mistyped code: %v", err)
			}
		}
		if _, err := s.OpenBallot(ctx, codes[0], guesser); err != nil {
			t.Fatalf("a real code after 20 guesses and 30 typos: %v", err)
		}
		guess, _ := app.NewBallotCode()
		s.OpenBallot(ctx, guess, guesser) // the 21st
		_, err := s.CastBallot(ctx, codes[0], guesser, gs.RatingSatisfied, "")
		if gs.ErrorCode(err) != gs.ETOOMANY || !strings.Contains(gs.ErrorMessage(err), "分钟后再试") {
			t.Fatalf("after 21 guesses a real answer from the guesser: %v, want to wait", err)
		}
		hall := "192.0.2.50"
		for i, code := range codes[1:61] {
			if _, err := s.CastBallot(ctx, code, hall, gs.RatingSatisfied, ""); err != nil {
				t.Fatalf("answer %d from the village hall: %v", i+1, err)
			}
			if _, err := s.OpenBallot(ctx, code, hall); !strings.Contains(gs.ErrorMessage(err), "已经使用过") {
				t.Fatalf("the used ballot %d opened again: %v", i+1, err)
			}
		}
		*now = now.Add(app.GuessLimits.Block + time.Minute)
		if _, err := s.CastBallot(ctx, codes[0], guesser, gs.RatingSatisfied, ""); err != nil {
			t.Fatalf("after the wait: %v", err)
		}
	})
}

// flip returns another character of the alphabet than c.
func flip(c byte) string {
	if c == 'A' {
		return "B"
	}
	return "A"
}

// TestStoredBallotHoldsNothingOfTheVoter: after an answer from a known
// address with a comment, no stored row of the survey's tables or of
// ballots holds the address, the code, the moment of the answer, or
// anything joining the ballot to its code: the ballot is dated by its day,
// its id is random, and the code's row says only that it was used.
func TestStoredBallotHoldsNothingOfTheVoter(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, now *time.Time, target string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		code := printFor(t, s, c.ID, "QS-13", 1)[0]
		*now = time.Date(2023, 9, 21, 15, 47, 13, 0, gs.CST)
		const client = "203.0.113.77"
		if _, err := s.CastBallot(ctx, code, client, gs.RatingBasic, "网格员很负责"); err != nil {
			t.Fatal(err)
		}
		driver := "sqlite"
		if strings.HasPrefix(target, "postgres") {
			driver = "pgx"
		}
		raw, err := sql.Open(driver, target)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		dump := func(table string) []string {
			rows, err := raw.Query("SELECT * FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			cols, _ := rows.Columns()
			var out []string
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				out = append(out, fmt.Sprint(vals...))
			}
			return out
		}
		hash := app.CodeHash(code)
		moment := fmt.Sprint(now.Unix())
		for _, table := range []string{"ballots", "survey_ballots", "survey_tokens", "survey_campaigns", "survey_grids", "survey_tallies", "survey_guesses", "audit_log"} {
			for _, row := range dump(table) {
				for _, secret := range []string{client, code, moment} {
					if strings.Contains(row, secret) {
						t.Errorf("%s holds %q: %s", table, secret, row)
					}
				}
				if table != "survey_tokens" && strings.Contains(row, hash) {
					t.Errorf("%s holds the code's hash: %s", table, row)
				}
			}
		}
		var castAt int64
		var id, comment string
		if err := raw.QueryRow(`SELECT b.ballot_id, b.cast_at, s.comment FROM ballots b JOIN survey_ballots s ON s.ballot_id = b.ballot_id`).Scan(&id, &castAt, &comment); err != nil {
			t.Fatal(err)
		}
		if day := time.Date(2023, 9, 21, 0, 0, 0, 0, gs.CST).Unix(); castAt != day || comment != "网格员很负责" || !strings.HasPrefix(id, "QR-") {
			t.Errorf("stored ballot %s cast at %d with %q, want at %d (the day) with the comment", id, castAt, comment, day)
		}
	})
}

// TestRefusedBallotsChangeNothing: a used, unknown, not yet open, expired,
// closed or workerless ballot gets its own Chinese message, and no
// ballot is stored.
func TestRefusedBallotsChangeNothing(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, now *time.Time, _ string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		codes := printFor(t, s, c.ID, "QS-13", 3)
		count := func() int { return campaignBallots(t, s, c.ID) }
		if _, err := s.CastBallot(ctx, codes[0], "c", gs.RatingSatisfied, ""); err != nil {
			t.Fatal(err)
		}
		unknown, _ := app.NewBallotCode()
		cases := []struct {
			name string
			at   time.Time
			code string
			want string
		}{
			{"used", surveyNow, codes[0], "已经使用过"},
			{"unknown", surveyNow, unknown, "没有这个评价码"},
			{"malformed", surveyNow, "12345", "17 位"},
			{"not yet open", time.Date(2023, 9, 17, 9, 0, 0, 0, gs.CST), codes[1], "2023-09-18 08:00 开始"},
			{"expired", time.Date(2023, 10, 1, 0, 0, 0, 0, gs.CST), codes[1], "已于 2023-09-30 24:00 结束"},
		}
		for _, tc := range cases {
			*now = tc.at
			_, err := s.CastBallot(ctx, tc.code, "c", gs.RatingUnsatisfied, "")
			if err == nil || !strings.Contains(gs.ErrorMessage(err), tc.want) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			}
			if n := count(); n != 1 {
				t.Errorf("%s: the campaign has %d ballots, want 1", tc.name, n)
			}
		}
		*now = surveyNow
		ended, err := s.CloseCampaign(app.WithActor(ctx, "staff"), qStaff, c.ID)
		if err != nil || ended != 2 {
			t.Fatalf("close: %d ended, %v; want 2", ended, err)
		}
		if _, err := s.CastBallot(ctx, codes[1], "c", gs.RatingUnsatisfied, ""); !strings.Contains(gs.ErrorMessage(err), "已经结束") {
			t.Errorf("a ballot of a closed campaign: %v", err)
		}
		if _, err := s.PrintBallots(ctx, qStaff, c.ID, app.PrintInput{Resident: 1}); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("printing for a closed campaign: %v", err)
		}
		if n := count(); n != 1 {
			t.Errorf("after the close the campaign has %d ballots, want 1", n)
		}
	})
}

// TestNoBallotOnceTheQuarterIsComputed: once the town's quarter is
// computed, here as of the moment inside it that the campaign runs at
// (publishing needs a computation as of the quarter's end, by which time a
// campaign, which lies inside its quarter, has ended), a phone ballot is
// refused as a paper tally is — when opened and when answered — with a
// message thanking the voter, and adds nothing; no campaign is opened for
// that quarter.
func TestNoBallotOnceTheQuarterIsComputed(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		codes := printFor(t, s, c.ID, "QS-13", 3)
		if _, err := s.CastBallot(ctx, codes[0], "c", gs.RatingSatisfied, ""); err != nil {
			t.Fatal(err)
		}
		if err := s.Compute(ctx, qStaff, demo.TownName, demo.Quarter(), surveyNow); err != nil {
			t.Fatal(err)
		}
		code := codes[1]
		if _, err := s.OpenBallot(ctx, code, "c"); gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "已经结束") ||
			!strings.Contains(gs.ErrorMessage(err), "感谢") {
			t.Errorf("the ballot opens: %v", err)
		}
		if _, err := s.CastBallot(ctx, code, "c", gs.RatingUnsatisfied, ""); gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "已经结束") {
			t.Errorf("the ballot is answered: %v", err)
		}
		if n := campaignBallots(t, s, c.ID); n != 1 {
			t.Errorf("the campaign has %d ballots, want 1", n)
		}
		_, err := s.OpenCampaign(ctx, qStaff, app.CampaignInput{Title: "补充测评", Quarter: demo.Quarter(),
			OpensAt: surveyNow, ClosesAt: surveyNow.AddDate(0, 0, 7), Grids: []string{"QS-13"}, Resident: 1})
		var fe gs.FieldErrors
		if !errors.As(err, &fe) || fe[0].Field != "quarter" || !strings.Contains(fe[0].Message, "已经计算") {
			t.Errorf("a campaign for the quarter: %v", err)
		}
	})
}

// TestEveryBallotFeedsSatisfaction: answers on phones and paper tallies
// move the worker's satisfaction score exactly as RULES.md §6 says, from
// the ballots of every source; deleting the tally takes its ballots back.
func TestEveryBallotFeedsSatisfaction(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		start, _ := satisfaction(t, s, "QS013")
		if want := expectedSatisfaction(t, s, "QS013"); start != want {
			t.Fatalf("before the survey QS013 has %v, §6 gives %v", start, want)
		}
		for _, code := range printFor(t, s, c.ID, "QS-13", 3) {
			if _, err := s.CastBallot(ctx, code, "x", gs.RatingUnsatisfied, ""); err != nil {
				t.Fatal(err)
			}
		}
		tally, err := s.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{0, 1, 4}, Note: "村委会纸质票"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := satisfaction(t, s, "QS013")
		want := expectedSatisfaction(t, s, "QS013")
		if got != want || got >= start {
			t.Errorf("after 3 answers and a tally of 5, QS013 has %v: §6 gives %v (it was %v)", got, want, start)
		}
		res, err := s.SurveyResults(ctx, qStaff, demo.TownName, demo.Quarter())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Workers {
			if w.WorkerID != "QS013" {
				continue
			}
			by := map[gs.BallotSource]int{}
			for _, src := range w.All.Sources {
				by[src.Source] = src.N
			}
			if by[gs.SourceQR] != 3 || by[gs.SourcePaper] != 5 || by[gs.SourceImport] == 0 {
				t.Errorf("QS013's ballots by source: %v, want 3 QR, 5 paper and the imported", by)
			}
		}
		if err := s.DeleteTally(ctx, qStaff, c.ID, tally.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := satisfaction(t, s, "QS013"); got != expectedSatisfaction(t, s, "QS013") {
			t.Errorf("after the tally's deletion QS013 has %v, §6 gives %v", got, expectedSatisfaction(t, s, "QS013"))
		}
		entries, err := s.DB.Audit(ctx, gs.AuditFilter{Object: "survey:" + demo.TownName + "/" + fmt.Sprint(c.ID)})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, " "); got != "survey_tally_deleted survey_tally_entered survey_printed survey_opened" {
			t.Errorf("audit of the campaign: %s", got)
		}
	})
}

// TestSurveyAccess: a grid worker sees and runs nothing of the survey; the
// district sees a town's campaign but does not run it; a center of another
// town neither.
func TestSurveyAccess(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		other := &gs.User{Username: "o", Role: gs.RoleTownAdmin, Town: "别的镇"}
		for _, u := range []*gs.User{qWorker, other} {
			if _, err := s.Campaign(ctx, u, c.ID); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s sees the campaign: %v", u.Username, err)
			}
			if _, err := s.Campaigns(ctx, u); u == qWorker && gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s lists campaigns: %v", u.Username, err)
			}
			if _, err := s.SurveyResults(ctx, u, demo.TownName, demo.Quarter()); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s sees the results: %v", u.Username, err)
			}
		}
		if _, err := s.Campaign(ctx, qDist, c.ID); err != nil {
			t.Errorf("the district: %v", err)
		}
		for _, u := range []*gs.User{qWorker, other, qDist} {
			if _, err := s.PrintBallots(ctx, u, c.ID, app.PrintInput{Resident: 1}); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s prints: %v", u.Username, err)
			}
			if _, err := s.CloseCampaign(ctx, u, c.ID); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s closes: %v", u.Username, err)
			}
			if _, err := s.EnterTally(ctx, u, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{1}}); gs.ErrorCode(err) != gs.EFORBIDDEN {
				t.Errorf("%s enters a tally: %v", u.Username, err)
			}
		}
	})
}

// TestImportOfBallotsAudited: an import of files (the command line's)
// writes an entry to the audit log naming who ran it and each file with
// its rows, the ballots among them; an import refused writes none.
func TestImportOfBallotsAudited(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			db := mustOpen(t, b.Target(t))
			s := &app.Service{DB: db, Scheme: scheme.Default(), Now: func() time.Time { return surveyNow }}
			ctx := app.WithActor(context.Background(), app.ActorCommandLine)
			if _, err := s.ImportFiles(ctx, "../demo/qingshan/nothing-here.csv"); err == nil {
				t.Fatal("a missing file imported")
			}
			if _, err := s.ImportFiles(ctx, "../demo/qingshan"); err != nil {
				t.Fatal(err)
			}
			entries, err := db.Audit(ctx, gs.AuditFilter{Action: gs.AuditRecordsImported})
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Username != app.ActorCommandLine || !strings.Contains(entries[0].Detail, "ballots.csv（满意度 390 行）") {
				t.Errorf("audit of the import: %+v", entries)
			}
		})
	}
}

// TestBallotBoundToTheGridsWorkerInPost: a ballot is about the worker in
// post in its grid on the day it is answered: refused with a message while
// the grid has none (its worker left), and about the successor once one
// is hired, whose ballots then count it, not the worker who left.
func TestBallotBoundToTheGridsWorkerInPost(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		code := printFor(t, s, c.ID, "QS-13", 1)[0]
		w := demoWorker(t, "QS013")
		w.LeftOn = gs.NewDate(2023, 9, 19)
		if _, err := s.DB.Import(ctx, &gs.Records{Workers: []gs.Worker{w}}, nil); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CastBallot(ctx, code, "c", gs.RatingSatisfied, ""); !strings.Contains(gs.ErrorMessage(err), "没有在岗的网格员") {
			t.Errorf("a ballot of a grid without worker: %v", err)
		}
		if _, err := s.OpenBallot(ctx, code, "c"); !strings.Contains(gs.ErrorMessage(err), "没有在岗的网格员") {
			t.Errorf("opening it: %v", err)
		}
		next := w
		next.ID, next.Name, next.HiredOn, next.LeftOn = "QS099", "钱新", gs.NewDate(2023, 9, 20), 0
		if _, err := s.DB.Import(ctx, &gs.Records{Workers: []gs.Worker{next}}, nil); err != nil {
			t.Fatal(err)
		}
		v, err := s.CastBallot(ctx, code, "c", gs.RatingSatisfied, "")
		if err != nil || v.WorkerName != "钱新" {
			t.Fatalf("a ballot of the grid with a new worker: %+v, %v", v, err)
		}
		bs, err := s.DB.BallotCounts(ctx, store.BallotFilter{CampaignID: c.ID})
		if err != nil || len(bs) != 1 || bs[0].WorkerID != "QS099" {
			t.Errorf("the campaign's ballots: %+v, %v; want one about QS099", bs, err)
		}
	})
}

// TestWorkerRateFollowsGroupWeights: with the scheme's group weights, the
// rate the survey's results give a worker is the one the score rests on
// (RULES.md §6: the weighted mean of the groups' rates), not the pooled
// rate of all the worker's ballots.
func TestWorkerRateFollowsGroupWeights(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		s.Scheme.GroupWeights = map[gs.RaterGroup]int64{gs.RaterCadre: 70, gs.RaterResident: 30}
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		if _, err := s.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{0, 0, 9}, Note: "纸质票"}); err != nil {
			t.Fatal(err)
		}
		score, _ := satisfaction(t, s, "QS013")
		res, err := s.SurveyResults(ctx, qStaff, demo.TownName, demo.Quarter())
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range res.Workers {
			if w.WorkerID != "QS013" {
				continue
			}
			// score = rate × 20 points, in hundredths; the rate in thousandths.
			if got := w.All.Total.RatePermille; int64(score)-int64(2*got) > 1 || int64(2*got)-int64(score) > 1 {
				t.Errorf("QS013's rate on the results is %s, its satisfaction score %v", app.PermilleText(got), score)
			}
			return
		}
		t.Fatal("QS013 is not in the survey's results")
	})
}

// TestTwoWorkersInPostRefuseTheBallot: RULES.md §0 allows one worker in
// post in a grid at a time. When the records have two in post in a
// ballot's grid on the day it is answered, the ballot is refused with a
// message naming the grid and both workers, and no ballot is stored —
// rather than crediting one of them by worker id; once the records are
// right again the ballot counts for the worker in post.
func TestTwoWorkersInPostRefuseTheBallot(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := context.Background()
		c := openSurvey(t, s)
		codes := printFor(t, s, c.ID, "QS-13", 2)
		qs013 := demoWorker(t, "QS013")
		second := qs013
		second.ID, second.Name, second.HiredOn = "QS098", "赵重", gs.NewDate(2023, 9, 1)
		stored := func() []store.BallotCount {
			bs, err := s.DB.BallotCounts(ctx, store.BallotFilter{CampaignID: c.ID})
			if err != nil {
				t.Fatal(err)
			}
			return bs
		}
		steps := []struct {
			name    string
			leftOn  gs.Date // QS098's last day in post (0: still in post)
			refused bool
			worker  string // who a ballot answered is about
		}{
			{"both in post", 0, true, ""},
			{"QS098 left before today", gs.NewDate(2023, 9, 19), false, "QS013"},
		}
		for i, st := range steps {
			second.LeftOn = st.leftOn
			if _, err := s.DB.Import(ctx, &gs.Records{Workers: []gs.Worker{second}}, nil); err != nil {
				t.Fatal(err)
			}
			open := func() error { _, err := s.OpenBallot(ctx, codes[i], "c"); return err }
			cast := func() error { _, err := s.CastBallot(ctx, codes[i], "c", gs.RatingSatisfied, ""); return err }
			for _, call := range []struct {
				what string
				run  func() error
			}{{"open", open}, {"cast", cast}} {
				err := call.run()
				if !st.refused {
					if err != nil {
						t.Errorf("%s: %s: %v", st.name, call.what, err)
					}
					continue
				}
				msg := gs.ErrorMessage(err)
				// The voter is told the records are wrong, not who the
				// workers are: the center's campaign page names them
				// (TestTwoWorkersInPostShownAndNotPrinted).
				if !strings.Contains(msg, "不止一名网格员同时在岗") {
					t.Errorf("%s: %s: %q does not say the grid has more than one worker in post", st.name, call.what, msg)
				}
				for _, secret := range []string{"QS013", "QS098", "赵重"} {
					if strings.Contains(msg, secret) {
						t.Errorf("%s: %s: %q shows the voter %q", st.name, call.what, msg, secret)
					}
				}
				if gs.ErrorCode(err) != gs.ECONFLICT {
					t.Errorf("%s: %s: code %s, want conflict", st.name, call.what, gs.ErrorCode(err))
				}
			}
			bs := stored()
			switch {
			case st.refused && len(bs) != 0:
				t.Errorf("%s: ballots stored: %+v", st.name, bs)
			case !st.refused && (len(bs) != 1 || bs[0].WorkerID != st.worker):
				t.Errorf("%s: ballots stored: %+v, want one about %s", st.name, bs, st.worker)
			}
		}
	})
}

// TestTwoWorkersInPostShownAndNotPrinted: the campaign page tells which
// grid has two workers in post (both named) and offers both for a paper
// tally; ballots for that grid are not printed (they would be refused), the
// other grids' are.
func TestTwoWorkersInPostShownAndNotPrinted(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		second := demoWorker(t, "QS013")
		second.ID, second.Name, second.HiredOn = "QS098", "赵重", gs.NewDate(2023, 9, 1)
		if _, err := s.DB.Import(context.Background(), &gs.Records{Workers: []gs.Worker{second}}, nil); err != nil {
			t.Fatal(err)
		}
		v, err := s.Campaign(ctx, qStaff, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range v.Grids {
			switch g.GridCode {
			case "QS-13":
				for _, want := range []string{"QS-13", "QS013", "QS098 赵重", "2 名网格员同时在岗"} {
					if !strings.Contains(g.Conflict, want) {
						t.Errorf("QS-13's warning %q does not say %q", g.Conflict, want)
					}
				}
			default:
				if g.Conflict != "" {
					t.Errorf("%s, with one worker in post, warned: %q", g.GridCode, g.Conflict)
				}
			}
		}
		var offered []string
		for _, w := range v.Workers {
			offered = append(offered, w.ID)
		}
		if !slices.Contains(offered, "QS013") || !slices.Contains(offered, "QS098") {
			t.Errorf("workers offered for a paper tally %v, want QS013 and QS098 both", offered)
		}
		_, err = s.PrintBallots(ctx, qStaff, c.ID, app.PrintInput{Grid: "QS-13", Resident: 1})
		if gs.ErrorCode(err) != gs.ECONFLICT || !strings.Contains(gs.ErrorMessage(err), "QS098 赵重") {
			t.Errorf("printing for QS-13: %v, want the grid refused naming both workers", err)
		}
		if codes := printFor(t, s, c.ID, "QS-01", 1); len(codes) != 1 {
			t.Errorf("printing for QS-01 gave %d ballots", len(codes))
		}
	})
}

// demoWorker is the demo town's worker id.
func demoWorker(t *testing.T, id string) gs.Worker {
	t.Helper()
	for _, w := range demo.Town(1).Workers {
		if w.ID == id {
			return w
		}
	}
	t.Fatalf("the demo town has no worker %s", id)
	return gs.Worker{}
}

// TestWorkerSeesNoBallotsWhileSurveyRuns: while a campaign of the town
// runs, a grid worker's ballot counts and ballots list hold nothing of the
// quarter (saying why), while earlier quarters' ballots stay listed; the
// town's staff see all; after the close the worker sees all again.
func TestWorkerSeesNoBallotsWhileSurveyRuns(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		q := demo.Quarter()
		look := func(u *gs.User) (*app.BallotTally, *app.RecordPage) {
			t.Helper()
			tally, err := s.Ballots(ctx, u, "QS013", q)
			if err != nil {
				t.Fatal(err)
			}
			page, err := s.Records(ctx, u, app.RecordQuery{Kind: gs.KindBallots, WorkerID: "QS013", From: q.First(), To: q.Last()})
			if err != nil {
				t.Fatal(err)
			}
			return tally, page
		}
		c := openSurvey(t, s)
		tally, page := look(qWorker)
		if !tally.Withheld || tally.Total != 0 || len(page.Records.Ballots) != 0 || page.Withheld != app.MsgBallotsWithheld {
			t.Errorf("the worker during the survey: %+v, %d ballots listed, %q", tally, len(page.Records.Ballots), page.Withheld)
		}
		tally, page = look(qStaff)
		if tally.Withheld || tally.Total == 0 || len(page.Records.Ballots) != tally.Total || page.Withheld != "" {
			t.Errorf("the staff during the survey: %+v, %d ballots listed, %q", tally, len(page.Records.Ballots), page.Withheld)
		}
		if _, err := s.CloseCampaign(ctx, qStaff, c.ID); err != nil {
			t.Fatal(err)
		}
		tally, page = look(qWorker)
		if tally.Withheld || tally.Total == 0 || len(page.Records.Ballots) != tally.Total || page.Withheld != "" {
			t.Errorf("the worker after the survey: %+v, %d ballots listed, %q", tally, len(page.Records.Ballots), page.Withheld)
		}
	})
}

// TestEndedCampaignNotClosedAgain: a campaign past its end cannot be
// closed (early) any more: refused, with nothing written to the audit log.
func TestEndedCampaignNotClosedAgain(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, now *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		*now = c.ClosesAt.Add(time.Hour)
		if _, err := s.CloseCampaign(ctx, qStaff, c.ID); gs.ErrorCode(err) != gs.ECONFLICT {
			t.Errorf("closing an ended campaign: %v, want a conflict", err)
		}
		entries, err := s.DB.Audit(ctx, gs.AuditFilter{Action: gs.AuditSurveyClosed})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 0 {
			t.Errorf("audit of closing an ended campaign: %+v", entries)
		}
		if got, err := s.DB.Campaign(ctx, c.ID); err != nil || !got.ClosedAt.IsZero() {
			t.Errorf("the ended campaign was marked closed: %+v %v", got, err)
		}
	})
}

// campaignBallots is the number of ballots campaign id has received.
func campaignBallots(t *testing.T, s *app.Service, id int64) int {
	t.Helper()
	bs, err := s.DB.BallotCounts(context.Background(), store.BallotFilter{CampaignID: id})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, b := range bs {
		n += b.N
	}
	return n
}
