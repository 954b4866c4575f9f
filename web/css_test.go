package web

import (
	"strings"
	"testing"
)

// TestStylesheetBalanced: every block of app.css is closed, so that a rule
// left open (as a merge once left .warning-link) does not swallow every
// rule after it.
func TestStylesheetBalanced(t *testing.T) {
	css, err := staticFiles.ReadFile("static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(css), "\n") {
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("app.css line %d closes a block that is not open", i+1)
		}
	}
	if depth != 0 {
		t.Errorf("app.css leaves %d block(s) open", depth)
	}
}
