package demo

import "github.com/gridscore/gridscore/csvfile"

// WriteTown writes Town(seed) into dir, one <kind>.csv file per kind as the
// importer reads them (csvfile.WriteCSV: UTF-8 with BOM, Chinese headers and
// values), creating dir if needed.
func WriteTown(dir string, seed int64) error {
	return csvfile.WriteCSV(dir, Town(seed))
}
