package engine_test

import (
	"encoding/json"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

func TestWorkdaysOfTheOfficialCalendar(t *testing.T) {
	t.Parallel()
	// 2024Q1: January 22 workdays (New Year's Day off), February 18 (Feb 12–16
	// off; Sundays Feb 4 and Feb 18 worked), March 21 = 61 workdays.
	r := perfectTown("2024Q1")
	r.Logins = nil
	w := worker(t, assess(t, r, "2024Q1", "2024-04-08 09:00"), "W1")
	var periods []string
	for _, d := range w.Deductions {
		if d.Rule == gs.RuleDisciplineLogin {
			periods = append(periods, d.Period)
		}
	}
	if len(periods) != 61 {
		t.Fatalf("login deductions on %d days, want 61 workdays", len(periods))
	}
	joined := strings.Join(periods, ",")
	for _, want := range []string{"2024-02-04", "2024-02-18", "2024-01-02"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no login deduction on workday %s", want)
		}
	}
	for _, not := range []string{"2024-01-01", "2024-02-12", "2024-02-16", "2024-02-10"} {
		if strings.Contains(joined, not) {
			t.Errorf("login deduction on holiday %s", not)
		}
	}
	if w.Categories.Discipline != 0 {
		t.Errorf("discipline = %s, want floored at 0", w.Categories.Discipline)
	}
}

func TestEligibility(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		quarter  string
		hired    string
		eligible bool
	}{
		{"hired 2023-03-31: 6 months clamp to 2023-09-30, the quarter's last day → assessed", "2023Q3", "2023-03-31", true},
		{"hired 2023-04-01: 6 months is 2023-10-01 → one day short", "2023Q3", "2023-04-01", false},
		{"hired 2023-08-31: 6 months is 2024-02-29 (leap year clamp) → assessed in 2024Q1", "2024Q1", "2023-08-31", true},
		{"hired 2023-09-30 → 2024-03-30 → assessed in 2024Q1", "2024Q1", "2023-09-30", true},
		{"hired 2023-10-01 → 2024-04-01 → not assessed in 2024Q1", "2024Q1", "2023-10-01", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := perfectTown(c.quarter)
			r.Workers[0].HiredOn = day(c.hired)
			w := worker(t, assess(t, r, c.quarter, "2024-10-08 09:00"), "W1")
			if w.Eligible != c.eligible {
				t.Fatalf("eligible = %v (%s), want %v", w.Eligible, w.Reason, c.eligible)
			}
			if !w.Eligible {
				if w.Reason == "" || w.Total != nil || w.Rank != nil || w.Categories != nil || len(w.Deductions) != 0 {
					t.Errorf("ineligible worker must have a reason and no scores: %+v", w)
				}
				// pay in full: 200 yuan × 3 months in post.
				if w.Pay != 60000 {
					t.Errorf("ineligible pay = %s, want 600.00", w.Pay)
				}
			}
		})
	}
}

func TestListedWorkers(t *testing.T) {
	t.Parallel()
	r := perfectTown("2023Q3")
	r.Workers = append(r.Workers,
		gs.Worker{ID: "W2", Name: "李四", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2020-01-01"), LeftOn: day("2023-06-30")},
		gs.Worker{ID: "W3", Name: "王五", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2023-10-01")},
		gs.Worker{ID: "W4", Name: "赵六", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2020-01-01"), LeftOn: day("2023-07-01")},
	)
	res := assess(t, r, "2023Q3", "2023-10-08 09:00")
	var ids []string
	for _, w := range res.Workers {
		ids = append(ids, w.WorkerID)
	}
	if got := strings.Join(ids, ","); got != "W1,W4" {
		t.Errorf("listed workers = %s, want W1,W4 (in post on a day of the quarter)", got)
	}
	// W4 left on July 1, a Saturday: in post one month → 200 × 1 × total/100.
	w4 := worker(t, res, "W4")
	if !w4.Eligible || w4.Pay != gs.Fen(int64(*w4.Total)*200/100) {
		t.Errorf("W4: eligible %v total %v pay %s", w4.Eligible, w4.Total, w4.Pay)
	}
}

func ballots(ratings ...gs.Rating) func(r *gs.Records) {
	return func(r *gs.Records) {
		r.Ballots = nil
		for i, rt := range ratings {
			g := gs.RaterResident
			if i%2 == 1 {
				g = gs.RaterCadre
			}
			r.Ballots = append(r.Ballots, gs.Ballot{ID: "B" + string(rune('a'+i)), WorkerID: "W1", RaterGroup: g, Rating: rt, CastAt: ts("2023-09-20 10:00")})
		}
	}
}

func TestSatisfaction(t *testing.T) {
	t.Parallel()
	S, B, U := gs.RatingSatisfied, gs.RatingBasic, gs.RatingUnsatisfied
	cases := []struct {
		name    string
		change  func(r *gs.Records)
		groups  map[gs.RaterGroup]int64
		want    string
		noVotes bool
	}{
		{name: "all satisfied or basic → 20", change: ballots(S, B, B), want: "20"},
		{name: "3 of 4 → 15", change: ballots(S, U, B, S), want: "15"},
		{name: "2 of 3 → 13.333… → 13.33", change: ballots(S, S, U), want: "13.33"},
		{name: "1 of 3 → 6.666… → 6.67 (half-up)", change: ballots(S, U, U), want: "6.67"},
		{name: "all unsatisfied → 0", change: ballots(U, U), want: "0"},
		{name: "no ballots → full 20 and flag", change: ballots(), want: "20", noVotes: true},
		{name: "a ballot cast in October is next quarter's → no ballots",
			change: func(r *gs.Records) { ballots(U)(r); r.Ballots[0].CastAt = ts("2023-10-01 00:00") }, want: "20", noVotes: true},
		// residents (even ballots) S,S ; cadres (odd) U,S → cadre rate 1/2, resident 1 → 0.4×0.5+0.6×1 = 0.8 → 16
		{name: "group weights cadre 0.4, resident 0.6", change: ballots(S, U, S, S), groups: map[gs.RaterGroup]int64{gs.RaterCadre: 40, gs.RaterResident: 60}, want: "16"},
		// only residents voted: their rate alone → 1/2 → 10
		{name: "group weights with one group missing use the other's rate", change: func(r *gs.Records) {
			ballots(S, U)(r)
			r.Ballots[1].RaterGroup = gs.RaterResident
		}, groups: map[gs.RaterGroup]int64{gs.RaterCadre: 40, gs.RaterResident: 60}, want: "10"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := perfectTown("2023Q3")
			c.change(r)
			s := defaultScheme()
			s.GroupWeights = c.groups
			w := worker(t, assessWith(t, &s, r, "2023Q3", "2023-10-08 09:00"), "W1")
			if w.Categories.Satisfaction != pts(c.want) {
				t.Errorf("satisfaction = %s, want %s", w.Categories.Satisfaction, c.want)
			}
			if w.HasFlag(gs.FlagNoBallots) != c.noVotes {
				t.Errorf("flags = %v, want no_ballots %v", w.Flags, c.noVotes)
			}
		})
	}
}

func TestRankTiesAndPay(t *testing.T) {
	t.Parallel()
	r := perfectTown("2023Q3")
	r.Grids = append(r.Grids, gs.Grid{Code: "G3", Town: "XX镇"}, gs.Grid{Code: "G4", Town: "XX镇"}, gs.Grid{Code: "H1", Town: "YY镇"})
	own := gs.Fen(30000)
	sub := gs.Fen(90000)
	r.Workers = append(r.Workers,
		gs.Worker{ID: "W2", Name: "李四", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2020-01-01"), MonthlyPerformanceFen: &own},
		gs.Worker{ID: "W3", Name: "王五", Type: gs.PartTime, GridCode: "G3", HiredOn: day("2020-01-01"), QuarterlySubsidyFen: &sub},
		gs.Worker{ID: "W4", Name: "赵六", Type: gs.FullTime, GridCode: "G4", HiredOn: day("2020-01-01")},
		gs.Worker{ID: "W5", Name: "钱七", Type: gs.FullTime, GridCode: "H1", HiredOn: day("2020-01-01")},
		gs.Worker{ID: "W6", Name: "孙八", Type: gs.FullTime, GridCode: "G4", HiredOn: day("2023-09-01")},
	)
	for _, id := range []string{"W2", "W3", "W4", "W5"} {
		addPerfectWork(r, id, "2023Q3", nil)
	}
	add := func(id string, kind gs.FindingKind) {
		r.Findings = append(r.Findings, gs.Finding{ID: id + string(kind), WorkerID: id, Kind: kind, OccurredOn: day("2023-08-01"), Count: 1})
	}
	add("W2", gs.FindingPhone) // 97
	add("W3", gs.FindingPhone) // 97
	add("W4", gs.FindingPhone) // 94
	add("W4", gs.FindingPhone)
	add("W5", gs.FindingDisobey) // 85, alone in YY镇
	res := assess(t, r, "2023Q3", "2023-10-08 09:00")

	var order []string
	for _, w := range res.Workers {
		rk := "-"
		if w.Rank != nil {
			rk = string(rune('0' + *w.Rank))
		}
		order = append(order, w.WorkerID+":"+rk)
	}
	if got, want := strings.Join(order, " "), "W1:1 W2:2 W3:2 W4:4 W6:- W5:1"; got != want {
		t.Errorf("order = %s, want %s", got, want)
	}
	pay := map[string]string{
		"W1": "600.00", // 200 × 3 × 100%
		"W2": "873.00", // 300 × 3 × 97%
		"W3": "873.00", // 900 × 97%
		"W4": "564.00", // 200 × 3 × 94%
		"W5": "510.00", // 200 × 3 × 85%
		"W6": "200.00", // not assessed: paid in full for September, its one month in post
	}
	for id, want := range pay {
		if got := worker(t, res, id).Pay.String(); got != want {
			t.Errorf("%s pay = %s, want %s", id, got, want)
		}
	}
	if !worker(t, res, "W5").HasFlag(gs.FlagInterviewDue) {
		t.Errorf("W5 refused an assignment: flag interview_due expected")
	}

	s := defaultScheme()
	s.IneligiblePay = gs.IneligiblePayNone
	if got := worker(t, assessWith(t, &s, r, "2023Q3", "2023-10-08 09:00"), "W6").Pay; got != 0 {
		t.Errorf("ineligible_pay none: pay = %s, want 0", got)
	}
}

func TestPayRoundsHalfUpToTheFen(t *testing.T) {
	t.Parallel()
	r := perfectTown("2023Q3")
	r.Workers[0].Type = gs.PartTime
	sub := gs.Fen(1050) // 10.50 yuan × 99.5% = 10.4475 → 10.45
	r.Workers[0].QuarterlySubsidyFen = &sub
	r.Quizzes = append(r.Quizzes, gs.Quiz{ID: "Q", WorkerID: "W1", TakenOn: day("2023-08-01"), WrongAnswers: 1})
	w := worker(t, assess(t, r, "2023Q3", "2023-10-08 09:00"), "W1")
	if w.Total.String() != "99.5" || w.Pay.String() != "10.45" {
		t.Errorf("total %s pay %s, want 99.5 and 10.45", w.Total, w.Pay)
	}
}

func TestJSONShape(t *testing.T) {
	t.Parallel()
	r := perfectTown("2023Q3")
	r.Workers = append(r.Workers, gs.Worker{ID: "W9", Name: "新人", Type: gs.FullTime, GridCode: "G2", HiredOn: day("2023-09-01")})
	r.Quizzes = append(r.Quizzes, gs.Quiz{ID: "Q", WorkerID: "W1", TakenOn: day("2023-08-01"), WrongAnswers: 1})
	b, err := json.Marshal(assess(t, r, "2023Q3", "2023-10-08 00:00"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{
		`"quarter":"2023Q3"`, `"as_of":"2023-10-08T00:00:00+08:00"`, `"scheme":"xx-town-2023"`,
		`"total":99.5`, `"discipline":14.5`, `"pay_yuan":597.00`, `"rank":1`,
		`{"rule":"discipline.quiz","period":"2023-08-01","count":1,"points":0.5,"detail":"8月1日应知应会抽查答错1处","evidence":["Q"]}`,
		`"worker_id":"W9","name":"新人","type":"full_time","town":"XX镇","grid_code":"G2","eligible":false`,
		`"total":null,"rank":null,"categories":null,"deductions":[],"flags":[],"pay_yuan":200.00`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("JSON lacks %s\n%s", want, s)
		}
	}
}
