package gridscore

import "time"

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

// ImportedFiling is a town's signed filing package (报备包) as the district
// imported it, after checking its signature: the quarter, when the town
// finalized and signed it, and what its result holds (workers, those
// ranked, the sum of their totals and of the pay, exactly).
type ImportedFiling struct {
	Town, Quarter         string
	FinalizedAt, SignedAt time.Time
	Workers, Assessed     int
	TotalSum              Points
	PaySum                Fen
	ImportedAt            time.Time
	ImportedBy            string
	// PublicKey is the town's public key (base64) the package was verified
	// with when imported, and is checked against again whatever key the
	// district registers for the town later; KeyFingerprint names it for
	// people.
	PublicKey, KeyFingerprint string
}

// AverageTotal is the mean total of the workers ranked, to two decimals
// (rounded half away from zero), "—" when none is.
func (f ImportedFiling) AverageTotal() string {
	if f.Assessed == 0 {
		return "—"
	}
	n := int64(f.Assessed)
	return Points((int64(f.TotalSum)*2 + n) / (2 * n)).String()
}
