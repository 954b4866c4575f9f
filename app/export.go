package app

import (
	"context"
	"io"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/report"
)

// The downloads of a town's quarter that the centers need: the result,
// the pay sheet (工资表) and the filing package (报备材料) for the district,
// read here and written as workbooks by report.

// XLSXType is the media type of an XLSX workbook.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Filing reads the filing package of town's quarter q from what is stored.
// The town's administrator and staff get their town's, the district every
// town's, a grid worker none. ECONFLICT until the quarter is finalized.
func (s *Service) Filing(ctx context.Context, u *gs.User, town string, q gs.Quarter) (*gs.Filing, error) {
	if u == nil || u.Role == gs.RoleWorker || !u.CanSeeTown(town) {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有本镇街中心和区中心可以下载报备材料。")
	}
	rec, err := s.DB.QuarterRecord(ctx, town, q.String())
	if err != nil {
		return nil, err
	}
	if st := rec.State.State; st != gs.StateFinalized && st != gs.StateFiled {
		return nil, gs.Errorf(gs.ECONFLICT, "%s %s 当前状态为“%s”，定稿后才能下载报备材料。", town, q, gs.StateName[st])
	}
	id, name := s.schemeOf(rec.State)
	res := &gs.Result{Quarter: q.String(), AsOf: rec.State.AsOf, Scheme: id, SchemeName: name}
	for _, r := range rec.Snapshot {
		res.Workers = append(res.Workers, r.Result)
	}
	gs.SortWorkerResults(res.Workers) // one town: by rank, then those not assessed
	people := map[string]string{}
	for _, a := range rec.Appeals {
		if a.DecidedBy != "" {
			people[a.DecidedBy] = ""
		}
	}
	// A dormant void changed nothing in the results filed: the district
	// is not told of it.
	voided := gs.InEffect(rec.Voided)
	for _, v := range voided {
		people[v.By] = ""
	}
	for login := range people {
		people[login] = s.PersonName(ctx, login)
	}
	return &gs.Filing{State: rec.State, Result: res, Appeals: rec.Appeals, Voided: voided, People: people}, nil
}

// SchemeName is the name people read of the scheme whose id is id: the
// configured scheme's name, or id itself for another scheme or one
// without a name.
func (s *Service) SchemeName(id string) string {
	if id == s.Scheme.ID && s.Scheme.Name != "" {
		return s.Scheme.Name
	}
	return id
}

// WriteResult writes the result of a quarter as an XLSX workbook
// (report.WriteXLSX).
func WriteResult(w io.Writer, res *gs.Result) error { return report.WriteXLSX(w, res) }

// WritePaySheet writes the pay sheet (工资表) of town's quarter, whose
// state stateName words, as an XLSX workbook (report.WritePaySheet).
func WritePaySheet(w io.Writer, town, stateName string, res *gs.Result) error {
	return report.WritePaySheet(w, town, stateName, res)
}

// WriteFiling writes the filing package of town's quarter as an XLSX
// workbook (report.WriteFiling).
func WriteFiling(w io.Writer, town string, fl *gs.Filing) error {
	return report.WriteFiling(w, town, fl)
}

// WriteImportTemplate writes the import template of the named kinds (every
// kind when none is named) as an XLSX workbook (csvfile.WriteTemplate).
func WriteImportTemplate(w io.Writer, kinds ...string) error {
	return csvfile.WriteTemplate(w, kinds...)
}

// ImportTemplateName returns the file name of the import template of the
// kind named kind (English or Chinese), and whether there is such a kind.
func ImportTemplateName(kind string) (string, bool) {
	if !csvfile.IsKind(kind) {
		return "", false
	}
	return "导入模板-" + csvfile.TemplateFileName(kind), true
}
