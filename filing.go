package gridscore

// Filing is the filing package (报备材料) of a town's quarter, read from
// the snapshot stored when the quarter was finalized: the state, the
// results, the appeals and the voided deductions, so that a finalized
// quarter downloads the same whatever happens to the records afterwards.
type Filing struct {
	State   QuarterState
	Result  *Result
	Appeals []Appeal
	Voided  []Voided
	// People are the names of the accounts that decided the appeals and
	// voided the deductions, by username (the username where unknown).
	People map[string]string
}

// Person is the name of the account username, with the username after it
// (李娜（staff）), or the username alone when it has no other name.
func (f *Filing) Person(username string) string {
	if n := f.People[username]; n != "" && n != username {
		return n + "（" + username + "）"
	}
	return username
}
