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
}
