package store

// SortRecords orders the records of each kind as Load does, for the tests.
var SortRecords = sortRecords
