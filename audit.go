package gridscore

import "time"

// AuditEntry is one line of the append-only audit log: who did what to
// which object, when, and why or with what result.
type AuditEntry struct {
	ID int64 // given by the store, in the order of appending
	At time.Time
	// Username is who acted: an account's username, or a name such as
	// "命令行" for the command line.
	Username string
	// Action is a short English key such as "login_failed" (AuditActionName
	// names each in Chinese).
	Action string
	// Object is what was acted on, such as "user:wang" (may be empty).
	Object string
	// Detail is free Chinese text (may be empty).
	Detail string
}

// AuditFilter chooses entries of the audit log; a zero field does not
// filter.
type AuditFilter struct {
	Username string
	Action   string
	Object   string
	// From and To bound the time: From <= At < To.
	From, To time.Time
	// BeforeID pages backwards: only entries older than this id.
	BeforeID int64
	// Limit is the most entries returned: 100 when zero, at most 1000.
	Limit int
	// Town, when given, spares reading what cannot be the town's: it
	// keeps the entries acted by the town's accounts, those on its
	// accounts, and every entry on a quarter, a worker, an appeal, a
	// town's calendar day or an API token. That is more than the town's; the service picks
	// the town's from them (app's townOfEntry is the rule).
	Town string
	// Sort orders a reading of the whole log (the store's EachAudit) by
	// AuditSortAt, AuditSortUser or AuditSortAction, ascending unless
	// Desc, and then newest first; "" is newest first. (Audit pages by
	// BeforeID, newest first, whatever Sort says.)
	Sort string
	Desc bool
}

// The columns the audit log is sorted by (AuditFilter.Sort).
const (
	AuditSortAt     = "at"
	AuditSortUser   = "user"
	AuditSortAction = "action"
)
