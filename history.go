package gridscore

// WorkerQuarter is one stored quarter of a worker: the state of the
// town-quarter whose snapshot holds the worker's result (its town, quarter,
// state and the moment it was computed at) and the result.
type WorkerQuarter struct {
	State  QuarterState
	Result WorkerResult
}
