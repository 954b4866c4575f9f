package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/demo"
	"github.com/gridscore/gridscore/scheme"
	"github.com/gridscore/gridscore/store/storetest"
)

// TestConcurrentUploadOfOneKeyByTwoTowns: 青山镇's upload of an event and
// 白石镇's push, or upload, of an event of the same id at once, each with
// its own worker: one is written, the other refused (the push as another
// town's record, 403; the upload with the problem its report shows for a
// key of another town, at the file, row and column of the event), and
// the stored event is the one written. Each, once past the town check,
// waits for the other to get past it too (at most a moment): the upload's
// check must hold what it saw until its commit, or both get past and the
// later overwrites the other town's event.
func TestConcurrentUploadOfOneKeyByTwoTowns(t *testing.T) {
	for _, b := range storetest.Backends() {
		for _, rival := range []string{"push", "upload"} {
			t.Run(b.Name+"/"+rival, func(t *testing.T) {
				t.Parallel()
				ctx := context.Background()
				s, writers := twoTowns(t, b)
				// Each uploads as its town's administrator, staged before
				// the race.
				uploads := map[string]int64{}
				for town, worker := range writers {
					if town != demo.TownName && rival == "push" {
						continue
					}
					u := &gs.User{Username: worker + "-admin", Role: gs.RoleTownAdmin, Town: town}
					csv := "event_id,worker_id,flow,reported_at\nRACE-1," + worker + ",自办,2023-09-20 10:00\n"
					up, err := s.StageUpload(ctx, u, []gs.UploadFile{{Name: "events.csv", Body: strings.NewReader(csv)}})
					if err != nil {
						t.Fatal(err)
					}
					uploads[town] = up.ID
				}
				raceTwoTowns(t, s, writers, func(town string) (bool, error) {
					worker := writers[town]
					id, ok := uploads[town]
					if !ok {
						return pushRaceEvent(s, town, worker)
					}
					u := &gs.User{Username: worker + "-admin", Role: gs.RoleTownAdmin, Town: town}
					rep, err := s.CommitUpload(WithActor(ctx, u.Username), u, id)
					switch {
					case err == nil && !rep.Committed:
						return false, fmt.Errorf("the upload was neither committed nor refused")
					case err == nil || rep == nil || gs.ErrorCode(err) != gs.EINVALID:
						return false, err
					}
					theirs := demo.TownName
					if town == theirs {
						theirs = "白石镇"
					}
					want := Problem{File: "events.csv", Row: 2, Column: "事件编号（event_id）", Title: "事件编号", Key: "event_id",
						Message: `编号 "RACE-1" 已是` + theirs + "的记录，不能用本镇街的数据覆盖"}
					if len(rep.Problems) != 1 || rep.Problems[0] != want || len(rep.Unlisted) != 0 {
						t.Errorf("%s's refused upload reports %+v, want %+v", town, rep.Problems, want)
					}
					return true, err
				})
			})
		}
	}
}

// TestLargeWritesOfATown: an upload's commit of 100,000 events and a push
// of MaxAPIItems events are written: on PostgreSQL each locks the kind
// whole rather than each of its keys, more than the server's table of
// locks holds by default ("out of shared memory").
func TestLargeWritesOfATown(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := demoStore(t, b)
			s := &Service{DB: db, Scheme: scheme.Default()}
			var csv strings.Builder
			csv.WriteString("event_id,worker_id,flow,reported_at\n")
			const uploaded = 100_000
			for i := range uploaded {
				fmt.Fprintf(&csv, "UP-%06d,QS001,自办,2023-09-20 10:00\n", i)
			}
			u := &gs.User{Username: "admin", Role: gs.RoleTownAdmin, Town: demo.TownName}
			up, err := s.StageUpload(ctx, u, []gs.UploadFile{{Name: "events.csv", Body: strings.NewReader(csv.String())}})
			if err != nil {
				t.Fatal(err)
			}
			if rep, err := s.CommitUpload(WithActor(ctx, u.Username), u, up.ID); err != nil || !rep.Committed {
				t.Fatalf("the upload of %d events: %v", uploaded, err)
			}
			items := make([]string, MaxAPIItems)
			for i := range items {
				items[i] = fmt.Sprintf(`{"event_id": "API-%05d", "worker_id": "QS001", "flow": "reported", "reported_at": "2023-09-20 10:00"}`, i)
			}
			tok := &gs.APIToken{ID: 1, Town: demo.TownName, Name: "平台", Write: []string{gs.KindEvents}}
			w, err := s.PushRecords(ctx, tok, gs.KindEvents, strings.NewReader("["+strings.Join(items, ",")+"]"))
			if err != nil || w.Inserted != MaxAPIItems {
				t.Fatalf("the push of %d events: %+v, %v", MaxAPIItems, w, err)
			}
		})
	}
}
