package gridscore_test

import (
	"testing"

	gs "github.com/gridscore/gridscore"
)

// A name the table knows is shown; an id it does not know is shown as it
// is, never as an empty cell.
func TestNameOr(t *testing.T) {
	tests := []struct {
		what, got, want string
	}{
		{"a known rule", gs.NameOr(gs.RuleName, gs.RuleDisciplineLogin), "工作日未登录"},
		{"a rule of a newer scheme", gs.NameOr(gs.RuleName, gs.RuleID("D9")), "D9"},
		{"a known flag", gs.NameOr(gs.FlagName, gs.FlagInterviewDue), "需约谈"},
		{"an unknown flag", gs.NameOr(gs.FlagName, "later_flag"), "later_flag"},
		{"a known audit action", gs.NameOr(gs.AuditActionName, gs.AuditQuarterFiled), "报备"},
		{"an unknown audit action", gs.NameOr(gs.AuditActionName, "old_action"), "old_action"},
		{"no id at all", gs.NameOr(gs.RuleName, ""), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %q, want %q", tt.what, tt.got, tt.want)
		}
	}
}

// NameOr takes an empty name for a missing one, so no table it serves may
// hold an empty name.
func TestNamesNotEmpty(t *testing.T) {
	for r, n := range gs.RuleName {
		if n == "" || gs.NameOr(gs.RuleName, r) != n {
			t.Errorf("rule %s: name %q", r, n)
		}
	}
	for f, n := range gs.FlagName {
		if n == "" {
			t.Errorf("flag %s has no name", f)
		}
	}
	for a, n := range gs.AuditActionName {
		if n == "" {
			t.Errorf("audit action %s has no name", a)
		}
	}
}
