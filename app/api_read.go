package app

import (
	"io"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/report"
)

// What the JSON API reads: a town's quarter, one worker's result and the
// warnings, in the shapes of DATA.md §3 and of `gridscore warnings --format
// json`, written by report as the command line writes them.

// WriteResultJSON writes a result as the JSON object of DATA.md §3
// (report.WriteJSON).
func WriteResultJSON(w io.Writer, res *gs.Result) error { return report.WriteJSON(w, res) }

// WriteWarningsJSON writes town's warnings as the command line's JSON
// (report.WriteWarningsJSON).
func WriteWarningsJSON(w io.Writer, town string, res *gs.Result) error {
	return report.WriteWarningsJSON(w, town, res)
}

// ParseTimestamp reads a moment in any timestamp form of DATA.md §1, or a
// date alone (its 00:00), in CST unless it names a zone: what the command
// line's --as-of takes (csvfile.ParseTimestamp), so that the API's as_of
// takes the same.
func ParseTimestamp(v string) (time.Time, error) { return csvfile.ParseTimestamp(v) }
