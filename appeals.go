package gridscore

// AppealFilter chooses appeals; a zero field does not filter.
type AppealFilter struct {
	Town, Quarter, WorkerID string
	Status                  AppealStatus
}
