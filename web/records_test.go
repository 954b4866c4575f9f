package web_test

import (
	"testing"
)

// recordMatrix is the authorization matrix of the records pages, the forms
// and the evidence files: everyone signed in lists records (a grid worker
// only their own, 403 when naming another's); only a town's center enters,
// changes or deletes; the district reads.
var recordMatrix = []route{
	{method: "GET", path: "/records", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/events", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/logins", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/patrols", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/leaves", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/register", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/rosters", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/visits", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/meetings", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/attendance", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/findings", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/quiz", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/ballots", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/calendar", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records?kind=ballots&page=3", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/grids", want: [5]int{303, 404, 404, 404, 404}},
	{method: "GET", path: "/records/nothing", want: [5]int{303, 404, 404, 404, 404}},
	{method: "GET", path: "/records/findings?worker=QS013", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/findings?worker=QS001&from=2023-07-01&to=2023-09-30", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/register?grid=QS-13", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/events?town=白石镇", want: [5]int{303, 200, 403, 403, 403}},
	{method: "GET", path: "/records/findings?from=2023-13-01", want: [5]int{303, 400, 400, 400, 400}},
	{method: "GET", path: "/records/findings?from=2023-09-01&to=2023-08-01", want: [5]int{303, 400, 400, 400, 400}},

	// The forms of the kinds entered by hand.
	{method: "GET", path: "/records/findings/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/quiz/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/meetings/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/leaves/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/calendar/new", want: [5]int{303, 403, 200, 200, 403}},
	{method: "GET", path: "/records/events/new", want: [5]int{303, 404, 404, 404, 404}},
	{method: "POST", path: "/records/findings", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/quiz", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/meetings", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/leaves", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/calendar", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/events", want: [5]int{401, 404, 404, 404, 404}},
	{method: "GET", path: "/records/findings/HC2023-005", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/findings/NO-SUCH", want: [5]int{303, 404, 404, 404, 403}},
	{method: "GET", path: "/records/quiz/CC2023-008", want: [5]int{303, 200, 200, 200, 403}},
	{method: "GET", path: "/records/meetings/HY20230703", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/calendar/2023-10-07", want: [5]int{303, 200, 200, 200, 200}},
	{method: "GET", path: "/records/events/E-1", want: [5]int{303, 404, 404, 404, 404}},
	{method: "POST", path: "/records/findings/HC2023-005", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/quiz/CC2023-008", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/meetings/HY20230703", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/calendar/2023-10-07", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/findings/HC2023-005/delete", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/calendar/2023-10-07/delete", want: [5]int{401, 403, 400, 400, 403}},
	{method: "POST", path: "/records/findings/NO-SUCH/delete", want: [5]int{401, 403, 404, 404, 403}},
	{method: "DELETE", path: "/records/findings/HC2023-005", want: [5]int{404, 404, 404, 404, 404}},

	// Evidence files (none stored in the fixture).
	{method: "GET", path: "/evidence/1", want: [5]int{303, 404, 404, 404, 403}},
	{method: "GET", path: "/evidence/x", want: [5]int{303, 404, 404, 404, 403}},
	{method: "POST", path: "/evidence/1", want: [5]int{404, 404, 404, 404, 404}},
}

// TestRecordsAuthorizationMatrix runs the records' matrix.
func TestRecordsAuthorizationMatrix(t *testing.T) {
	t.Parallel()
	runMatrix(t, recordMatrix)
}
