package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestStartUpIsLight: starting gridscore does not set up workbooks or pages
// before a command asks for them. Every package's initialisation is
// measured in a real process (GODEBUG=inittrace=1): the workbook library
// (patched in third_party/excelize; upstream takes 1.4 MB and 21,831
// allocations) and each of the product's own packages must allocate under
// 100 KB.
func TestStartUpIsLight(t *testing.T) {
	cmd := process(t, "scheme")
	cmd.Env = append(cmd.Env, "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("gridscore scheme: %v\n%s", err, out)
	}
	line := regexp.MustCompile(`(?m)^init (\S+) @[^,]*, [^,]* clock, (\d+) bytes, (\d+) allocs$`)
	seen := map[string]bool{}
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		pkg := m[1]
		bytes, _ := strconv.Atoi(m[2])
		allocs, _ := strconv.Atoi(m[3])
		ours := strings.HasPrefix(pkg, "github.com/gridscore/gridscore")
		if pkg != "github.com/xuri/excelize/v2" && !ours {
			continue
		}
		seen[pkg] = true
		if bytes >= 100_000 || allocs >= 2_000 {
			t.Errorf("initialising %s allocates %d bytes in %d allocations, want under 100 KB and 2,000", pkg, bytes, allocs)
		}
	}
	for _, pkg := range []string{"github.com/xuri/excelize/v2", "github.com/gridscore/gridscore/web"} {
		if !seen[pkg] {
			t.Errorf("no initialisation of %s in the trace; is it still linked?\n%s", pkg, out)
		}
	}
}
