// Package demo builds a realistic demo town, 青山镇, for the quarter 2023Q3:
// twenty grids, twenty-one grid workers and a quarter's records of every kind,
// so that a new user can import it and see a full assessment at once:
//
//	gridscore import demo/qingshan
//	gridscore assess --quarter 2023Q3 --as-of "2023-10-08 09:00:00"
//
// Most workers do their work well and score 95–100. A few "poor performers"
// between them trigger every rule of RULES.md §1–§7 (see poor.go for who does
// what), so that every kind of deduction appears in the demo result.
//
// Town(seed) is deterministic: the same seed gives the same records. The files
// under demo/qingshan are Town(1) written by csvfile.WriteCSV; a test checks that they
// never drift from the generator. After changing the generator, regenerate
// them with
//
//	go generate ./demo
//
// which runs the test below with its -update flag.
package demo

//go:generate go test -run TestCommittedFiles -update .
