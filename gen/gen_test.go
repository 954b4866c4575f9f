package gen

import (
	"cmp"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	gs "github.com/gridscore/gridscore"
)

var q3 = gs.Quarter{Year: 2023, Q: 3}

// collect generates opts and returns a copy of every town's records.
func collect(t testing.TB, opts Options) []*gs.Records {
	t.Helper()
	var towns []*gs.Records
	if err := Generate(opts, func(r *gs.Records) error {
		towns = append(towns, cloneRecords(r))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return towns
}

// cloneRecords copies the slices of r, which Generate reuses.
func cloneRecords(r *gs.Records) *gs.Records {
	return &gs.Records{
		Grids: slices.Clone(r.Grids), Workers: slices.Clone(r.Workers), Events: slices.Clone(r.Events),
		Logins: slices.Clone(r.Logins), Patrols: slices.Clone(r.Patrols), Leaves: slices.Clone(r.Leaves),
		Register: slices.Clone(r.Register), Rosters: slices.Clone(r.Rosters), Visits: slices.Clone(r.Visits),
		Meetings: slices.Clone(r.Meetings), Attendance: slices.Clone(r.Attendance), Findings: slices.Clone(r.Findings),
		Quizzes: slices.Clone(r.Quizzes), Ballots: slices.Clone(r.Ballots), Calendar: slices.Clone(r.Calendar),
	}
}

func TestTownSizes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		workers        int
		minTowns, maxT int
	}{
		{1, 1, 1},
		{200, 1, 1},
		{400, 1, 1},
		{401, 2, 2},
		{600, 2, 3},
		{5000, 18, 22},
		{100000, 300, 500},
		{1000000, 3000, 5000},
	}
	for _, tt := range tests {
		sizes := townSizes(tt.workers, 1)
		if len(sizes) < tt.minTowns || len(sizes) > tt.maxT {
			t.Errorf("%d workers: %d towns, want %d to %d", tt.workers, len(sizes), tt.minTowns, tt.maxT)
		}
		sum := 0
		for _, s := range sizes {
			sum += s
			if len(sizes) > 1 && (s < minTown || s > maxTown) {
				t.Errorf("%d workers: a town of %d, want %d to %d", tt.workers, s, minTown, maxTown)
			}
		}
		if sum != tt.workers {
			t.Errorf("%d workers: towns add up to %d", tt.workers, sum)
		}
		if len(sizes) > 4 && slices.Min(sizes) == slices.Max(sizes) {
			t.Errorf("%d workers: every town has %d workers; sizes should vary", tt.workers, sizes[0])
		}
	}
}

func TestTownNamesUnique(t *testing.T) {
	t.Parallel()
	n := newTownNamer(3)
	seen := map[string]int{}
	for i := range 25000 {
		base, kind := n.name(i)
		if j, ok := seen[base]; ok {
			t.Fatalf("towns %d and %d are both %s", j, i, base+kind.suffix)
		}
		seen[base] = i
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a := collect(t, Options{Workers: 450, Quarter: q3, Seed: 7})
	b := collect(t, Options{Workers: 450, Quarter: q3, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same options gave different records")
	}
	c := collect(t, Options{Workers: 450, Quarter: q3, Seed: 8})
	if reflect.DeepEqual(a[0].Events, c[0].Events) {
		t.Error("seeds 7 and 8 gave the same events")
	}
}

func TestGenerateRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for _, opts := range []Options{{Workers: 0, Quarter: q3}, {Workers: 10, Quarter: gs.Quarter{Year: 2023, Q: 5}}} {
		if err := Generate(opts, func(*gs.Records) error { return nil }); gs.ErrorCode(err) != gs.EINVALID {
			t.Errorf("%+v: error %v, want an invalid-input error", opts, err)
		}
	}
}

func TestGenerateStopsOnEmitError(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	calls := 0
	err := Generate(Options{Workers: 1200, Quarter: q3, Seed: 1}, func(*gs.Records) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Generate returned %v after %d calls, want emit's error after 1", err, calls)
	}
}

func TestIDNumbersWellFormed(t *testing.T) {
	t.Parallel()
	towns := collect(t, Options{Workers: 180, Quarter: q3, Seed: 2})
	for _, p := range towns[0].Register {
		id := p.IDNumber
		if len(id) != 18 || !strings.HasPrefix(id, idArea) {
			t.Fatalf("%s: ID number %q", p.PersonID, id)
		}
		sum := 0
		for i, w := range idWeights {
			sum += int(id[i]-'0') * w
		}
		if id[17] != "10X98765432"[sum%11] {
			t.Fatalf("%s: ID number %q has a wrong check character", p.PersonID, id)
		}
	}
	for _, w := range towns[0].Workers {
		if len(w.Phone) != 11 || w.Phone[0] != '1' {
			t.Fatalf("%s: phone %q", w.ID, w.Phone)
		}
		if n := len([]rune(w.Name)); n < 2 || n > 3 {
			t.Fatalf("%s: name %q", w.ID, w.Name)
		}
	}
}

// TestWorkerIDsAreTownRanges checks that each town's workers form one range
// of ids, after the previous town's.
func TestWorkerIDsAreTownRanges(t *testing.T) {
	t.Parallel()
	towns := collect(t, Options{Workers: 1300, Quarter: q3, Seed: 5})
	prev := ""
	for i, town := range towns {
		ids := make([]string, len(town.Workers))
		for j, w := range town.Workers {
			ids[j] = w.ID
		}
		lo, hi := slices.Min(ids), slices.Max(ids)
		if lo <= prev {
			t.Errorf("town %d starts at %s, not after %s", i, lo, prev)
		}
		if p := lo[:strings.IndexByte(lo, '-')]; !strings.HasPrefix(hi, p+"-") {
			t.Errorf("town %d: ids %s to %s", i, lo, hi)
		}
		prev = hi
	}
	if len(towns) != Towns(Options{Workers: 1300, Seed: 5}) {
		t.Errorf("%d towns emitted, Towns says %d", len(towns), Towns(Options{Workers: 1300, Seed: 5}))
	}
	total := 0
	for _, town := range towns {
		total += len(town.Workers)
	}
	if total != 1300 {
		t.Errorf("%d workers generated, want 1300", total)
	}
}

func byHire(a, b gs.Worker) int { return cmp.Compare(a.HiredOn, b.HiredOn) }
