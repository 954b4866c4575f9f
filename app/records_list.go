package app

import (
	"context"
	"io"
	"slices"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// The columns of a records list, its rows in Chinese as the page and the
// download show them, and the download itself.

// RecordColumn is a column of a records list.
type RecordColumn struct {
	// Title is its Chinese header.
	Title string
	// Sort is what RecordQuery.Sort names to order the list by it; "" when
	// the list cannot be sorted by it.
	Sort string
	// NoWrap marks a column of ids and dates (HC2023-013, 2023-09-19),
	// which a list keeps on one line rather than break mid-token.
	NoWrap bool
}

// Titles of the columns a records list adds to the kind's file columns.
const (
	nameColumn     = "姓名"
	evidenceColumn = "佐证文件"
)

// maskedColumns are the columns MaskPersons masks, by kind: a list is not
// sorted by them for a user who sees them masked, as the order would tell
// what the mask hides.
var maskedColumns = map[string][]string{"register": {"name", "id_number"}}

// masked reports whether the column col of kind is masked for those who
// do not see personal data.
func masked(kind, col string) bool { return slices.Contains(maskedColumns[kind], col) }

// RecordColumns returns the columns of the list of kind as u sees it: the
// kind's file columns in Chinese (DATA.md order), the worker's name after
// 工号, and the evidence files of findings. Every file column sorts the
// list, but those masked for u.
func RecordColumns(kind string, u *gs.User) []RecordColumn {
	var out []RecordColumn
	for _, c := range csvfile.Columns(kind) {
		col := RecordColumn{Title: c.Title, Sort: c.Key, NoWrap: c.Type == csvfile.ValueDate || c.Type == csvfile.ValueTimestamp ||
			c.Type == csvfile.ValueText && strings.HasSuffix(c.Key, "_id")}
		if masked(kind, c.Key) && !u.SeesPersonalData() {
			col.Sort = ""
		}
		out = append(out, col)
		if c.Key == "worker_id" {
			out = append(out, RecordColumn{Title: nameColumn})
		}
	}
	if kind == gs.KindFindings {
		out = append(out, RecordColumn{Title: evidenceColumn})
	}
	return out
}

// DefaultRecordSort returns the column (RecordColumn.Sort) a list of kind
// is ordered by, newest first, when it names no order; "" when that is not
// one of its columns.
func DefaultRecordSort(kind string) string { return store.DefaultSort(kind) }

// RecordRows returns the records of kind in recs as the records page
// shows them, in the columns of RecordColumns but the evidence files: the
// export's Chinese values, the worker's name after 工号, and 全区 for the
// town of a meeting or calendar day of the district.
func (s *Service) RecordRows(ctx context.Context, kind string, recs *gs.Records) ([][]string, error) {
	rows, err := s.recordRows(ctx, kind, recs, workerNames{})
	if err != nil || !townOwned(kind) {
		return rows, err
	}
	col := slices.IndexFunc(csvfile.Columns(kind), func(c csvfile.Column) bool { return c.Key == "town" })
	for _, row := range rows {
		row[col] = gs.TownOrDistrict(row[col])
	}
	return rows, nil
}

// workerNames are the names of workers by id, kept across the batches of
// a download.
type workerNames map[string]string

// recordRows is RecordRows with the names of the workers already read.
func (s *Service) recordRows(ctx context.Context, kind string, recs *gs.Records, names workerNames) ([][]string, error) {
	header, rows, err := ChineseRows(kind, recs)
	if err != nil {
		return nil, err
	}
	col := slices.IndexFunc(csvfile.Columns(kind), func(c csvfile.Column) bool { return c.Key == "worker_id" })
	if col < 0 || col >= len(header) {
		return rows, nil
	}
	var missing []string
	for _, row := range rows {
		if _, ok := names[row[col]]; !ok {
			names[row[col]] = "" // asked for once, found or not
			missing = append(missing, row[col])
		}
	}
	if len(missing) > 0 {
		ws, err := s.DB.WorkersByID(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			names[w.ID] = w.Name
		}
	}
	for i, row := range rows {
		rows[i] = slices.Insert(row, col+1, names[row[col]])
	}
	return rows, nil
}

// WriteRecords writes as an XLSX workbook titled title every record of q
// that u may see (not a page: q's Offset and Limit are ignored), in q's
// order, in the columns of RecordColumns (evidence files by name), masked
// as the page masks them; refused as Records refuses. A district's events
// are read a batch at a time; at most MaxExportRows.
func (s *Service) WriteRecords(ctx context.Context, u *gs.User, q RecordQuery, title string, w io.Writer) error {
	q.Offset, q.Limit = 0, 0
	f, err := s.recordScope(ctx, u, q)
	if err != nil {
		return err
	}
	if _, err := s.withholdBallots(ctx, u, &f); err != nil {
		return err
	}
	var header []string
	for _, c := range RecordColumns(q.Kind, u) {
		header = append(header, c.Title)
	}
	names := workerNames{}
	return s.WriteList(w, ListFile{Sheet: gs.KindName[q.Kind], Title: title, Header: header}, func(add func(...any) error) error {
		return s.DB.EachRecords(ctx, f, exportBatch, func(recs *gs.Records) error {
			if !u.SeesPersonalData() {
				MaskPersons(recs.Register)
			}
			rows, err := s.recordRows(ctx, q.Kind, recs, names)
			if err != nil {
				return err
			}
			files, err := s.findingFiles(ctx, recs.Findings)
			if err != nil {
				return err
			}
			for i, row := range rows {
				cells := make([]any, len(row), len(row)+1)
				for j, c := range row {
					cells[j] = c
				}
				if q.Kind == gs.KindFindings {
					cells = append(cells, files[recs.Findings[i].ID])
				}
				if err := add(cells...); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// findingFiles returns the names of the evidence files of findings, joined
// by 、, by finding id.
func (s *Service) findingFiles(ctx context.Context, fs []gs.Finding) (map[string]string, error) {
	if len(fs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.ID
	}
	es, err := s.DB.EvidenceOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string][]string{}
	for _, e := range es {
		byID[e.FindingID] = append(byID[e.FindingID], e.Name)
	}
	out := make(map[string]string, len(byID))
	for id, names := range byID {
		out[id] = strings.Join(names, "、")
	}
	return out, nil
}
