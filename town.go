package gridscore

// TownWorker is a stored worker with the town of their grid ("" when the
// grid is unknown): what the district's pages list of a town not yet
// computed, and how a worker's town is found.
type TownWorker struct {
	Worker
	Town string
}
