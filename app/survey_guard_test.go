package app_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestSurveyBallotsNotChangedByImport: a ballot answered on a phone (QR-…)
// or counted on paper (PB-…) cannot be changed by an upload, by the
// command line's import nor by a push of the API with the same ballot_id:
// each is refused naming the row (the item) and ballot_id, and nothing is
// written; the same ballots as stored (an export imported again) pass and
// change nothing, and so does a new ballot beside them. Nor are ballots
// changed or deleted by hand.
func TestSurveyBallotsNotChangedByImport(t *testing.T) {
	forEachSurveyService(t, func(t *testing.T, s *app.Service, _ *time.Time, _ string) {
		ctx := app.WithActor(context.Background(), "staff")
		c := openSurvey(t, s)
		code := printFor(t, s, c.ID, "QS-13", 1)[0]
		if _, err := s.CastBallot(ctx, code, "x", gs.RatingUnsatisfied, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EnterTally(ctx, qStaff, c.ID, app.TallyInput{WorkerID: "QS013", Group: gs.RaterCadre, Counts: [3]int{0, 0, 1}}); err != nil {
			t.Fatal(err)
		}
		ballots := func() []gs.Ballot {
			page, err := s.Records(ctx, qStaff, app.RecordQuery{Kind: gs.KindBallots, WorkerID: "QS013", Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			return page.Records.Ballots
		}
		before := ballots()
		var survey []gs.Ballot // the phone's, then the paper's
		for _, prefix := range []string{"QR-", "PB-"} {
			for _, b := range before {
				if strings.HasPrefix(b.ID, prefix) {
					survey = append(survey, b)
				}
			}
		}
		if len(survey) != 2 {
			t.Fatalf("QS013's survey ballots: %v", survey)
		}
		const header = "ballot_id,worker_id,rater_group,rating,cast_at\n"
		csvRow := func(b gs.Ballot, rating gs.Rating) string {
			return fmt.Sprintf("%s,%s,%s,%s,%s\n", b.ID, b.WorkerID, b.RaterGroup, rating, b.CastAt.Format("2006-01-02 15:04:05"))
		}
		jsonItem := func(b gs.Ballot, rating gs.Rating) string {
			return fmt.Sprintf(`{"ballot_id": %q, "worker_id": %q, "rater_group": %q, "rating": %q, "cast_at": %q}`,
				b.ID, b.WorkerID, b.RaterGroup, rating, b.CastAt.Format("2006-01-02 15:04:05"))
		}
		fresh := gs.Ballot{ID: "PJ-NEW-1", WorkerID: "QS013", RaterGroup: gs.RaterResident, CastAt: survey[0].CastAt}
		unchanged := header + csvRow(survey[0], survey[0].Rating) + csvRow(survey[1], survey[1].Rating)
		changed := header + csvRow(survey[0], gs.RatingSatisfied) + csvRow(survey[1], gs.RatingSatisfied) + csvRow(fresh, gs.RatingSatisfied)

		// The web's upload.
		id := stage(t, s, qStaff, textFile("ballots.csv", changed))
		rep, err := s.CheckUpload(ctx, qStaff, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Problems) != 2 {
			t.Errorf("the upload's problems: %v, want rows 2 and 3", rep.Problems)
		}
		for i, src := range []string{"扫码评价", "纸质评价"} {
			want := app.Problem{File: "ballots.csv", Row: i + 2, Column: "评价编号（ballot_id）"}
			if !hasProblem(rep.Problems, want) {
				t.Errorf("no problem at row %d; problems: %v", want.Row, rep.Problems)
			} else if m := rep.Problems[i].Message; !strings.Contains(m, survey[i].ID) || !strings.Contains(m, "来自满意度测评（"+src+"）") {
				t.Errorf("row %d: %q", want.Row, m)
			}
		}
		if _, err := s.CommitUpload(ctx, qStaff, id); err == nil {
			t.Error("the upload changing survey ballots was committed")
		}
		id = stage(t, s, qStaff, textFile("ballots.csv", unchanged))
		if rep, err := s.CommitUpload(ctx, qStaff, id); err != nil || !rep.Committed {
			t.Errorf("the survey ballots as stored were refused: %v %+v", err, rep)
		}

		// The command line's import.
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "ballots.csv"), []byte(changed), 0o600); err != nil {
			t.Fatal(err)
		}
		var problems *csvfile.Report
		if _, err := s.ImportFiles(ctx, dir); !errors.As(err, &problems) || len(problems.Problems) != 2 ||
			!strings.Contains(problems.Error(), "不能通过导入修改") {
			t.Errorf("the command line's import changing survey ballots: %v", err)
		}

		// A push of the API.
		tok := &gs.APIToken{ID: 1, Town: c.Town, Name: "网格E通", Write: []string{gs.KindBallots}}
		body := "[" + jsonItem(survey[0], gs.RatingSatisfied) + "," + jsonItem(fresh, gs.RatingSatisfied) + "," + jsonItem(survey[1], gs.RatingBasic) + "]"
		_, err = s.PushRecords(ctx, tok, gs.KindBallots, strings.NewReader(body))
		var refused *app.APIProblems
		if !errors.As(err, &refused) || gs.ErrorCode(err) != gs.EINVALID || len(refused.Items) != 2 ||
			refused.Items[0].Index != 0 || refused.Items[1].Index != 2 || refused.Items[0].Field != "ballot_id" ||
			!strings.Contains(refused.Items[1].Message, survey[1].ID+"\" 来自满意度测评") {
			t.Errorf("the push changing survey ballots: %v %+v", err, refused)
		}
		// Ballots are not entered by hand: the records form neither changes
		// nor deletes one.
		if err := s.DeleteRecord(ctx, qStaff, gs.KindBallots, []string{survey[0].ID}, "改"); err == nil {
			t.Error("a phone ballot was deleted by hand")
		}
		if _, err := s.SaveRecord(ctx, qStaff, &app.RecordEdit{Kind: gs.KindBallots, Key: []string{survey[0].ID}, Reason: "改",
			Values: map[string]string{"worker_id": "QS013", "rater_group": "resident", "rating": "satisfied", "cast_at": "2023-09-20 00:00"}}); err == nil {
			t.Error("a phone ballot was changed by hand")
		}
		if after := ballots(); !reflect.DeepEqual(after, before) {
			t.Errorf("the survey's ballots changed:\n%v\n%v", before, after)
		}
		body = "[" + jsonItem(survey[0], survey[0].Rating) + "," + jsonItem(fresh, gs.RatingSatisfied) + "]"
		if w, err := s.PushRecords(ctx, tok, gs.KindBallots, strings.NewReader(body)); err != nil || w.Unchanged != 1 || w.Inserted != 1 {
			t.Errorf("the push of a survey ballot as stored and a new one: %+v %v", w, err)
		}
	})
}

// TestLargeBallotsImportIntoAnEmptyStore: the command line's import of
// more than one chunk of ballots into a store without any finishes and
// stores them all. On PostgreSQL such an import drops the indexes of the
// empty ballots table, which locks it until the commit; the check of a
// survey's ballots once queried that table from another connection for
// each chunk, and the import waited for it forever.
func TestLargeBallotsImportIntoAnEmptyStore(t *testing.T) {
	forEachBackend(t, func(t *testing.T, _ storetest.Backend, db *store.DB) {
		const n = 2*csvfile.DefaultChunkRows + 100
		var b strings.Builder
		b.WriteString("ballot_id,worker_id,rater_group,rating,cast_at\n")
		for i := range n {
			fmt.Fprintf(&b, "B%d,W1,resident,satisfied,2023-09-%02d 10:00\n", i, 1+i%28)
		}
		dir := t.TempDir()
		files := map[string]string{
			"grids.csv":   "grid_code,grid_name,town\nG1,一网格,青山镇\n",
			"workers.csv": "worker_id,name,type,grid_code,hired_on\nW1,甲,专职,G1,2020-01-01\n",
			"ballots.csv": b.String(),
		}
		for name, content := range files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s := &app.Service{DB: db, Scheme: scheme.Default()}
		if _, err := s.ImportMappedFiles(ctx, nil, dir); err != nil {
			t.Fatalf("import: %v", err)
		}
		counts, err := db.Counts(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if counts["ballots"] != n {
			t.Errorf("%d ballots stored, want %d", counts["ballots"], n)
		}
	})
}
