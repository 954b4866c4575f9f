package web

import (
	"bytes"
	"context"
	"net/http"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// exportNames are the downloads of a town's quarter, by the last element
// of their path, with the Chinese words of their file names.
var exportNames = map[string]string{
	"result.xlsx": "考核结果",
	"pay.xlsx":    "绩效工资表",
	"filing.xlsx": "报备材料",
	// warnings.xlsx is always computed live as of the page's moment, as
	// the dashboard and the warnings board list them
	// (townWarningResults): a snapshot stored mid-quarter keeps the
	// warnings of its own moment, which are not these.
	"warnings.xlsx": "预警清单",
}

// townExport is GET /towns/{town}/export/{file}: the quarter's result, its
// pay sheet, (once finalized) the filing package, or the list of warnings
// (预警清单) as of the page's moment, as XLSX workbooks, for
// the town's center and the district; never for a grid worker. The result
// and the pay sheet come from the stored snapshot once the quarter is
// computed (computed live before, as the dashboard shows it); the filing
// package only from a finalized snapshot.
func (s *Server) townExport(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	town, file := r.PathValue("town"), r.PathValue("file")
	if u.Role == gs.RoleWorker {
		return forbidden("网格员不能下载镇街的考核材料，只能查看本人的考核结果。")
	}
	if !u.CanSeeTown(town) {
		return forbidden("您只能下载本镇街的考核材料。")
	}
	what, ok := exportNames[file]
	if !ok {
		return gs.Errorf(gs.ENOTFOUND, "没有这个下载项目。")
	}
	p, err := s.period(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch file {
	case "warnings.xlsx":
		res, err := s.exportResult(r.Context(), p, town, s.assessTown)
		if err != nil {
			return err
		}
		if err := app.WriteWarnings(&buf, town, res); err != nil {
			return err
		}
	case "filing.xlsx":
		fl, err := s.Service.Filing(r.Context(), u, town, p.Quarter)
		if err != nil {
			return err
		}
		if err := app.WriteFiling(&buf, town, fl); err != nil {
			return err
		}
	default:
		res, err := s.exportResult(r.Context(), p, town, s.result)
		if err != nil {
			return err
		}
		if file == "result.xlsx" {
			err = app.WriteResult(&buf, res)
		} else {
			// Pay is frozen once finalized (RULES.md §8): a sheet of any
			// earlier state says, in its title and its name, that it is
			// for checking, not for paying.
			state, final := s.stateName(r, town, p)
			if !final {
				state += "；未定稿，仅供核对，不能作为发放依据"
				what += "（未定稿）"
			}
			err = app.WritePaySheet(&buf, town, state, res)
		}
		if err != nil {
			return err
		}
	}
	name := town + " " + p.Quarter.String() + " " + what + ".xlsx"
	if file == "warnings.xlsx" { // a list of a morning: its date in the name
		name = town + " " + what + " " + p.AsOf.In(gs.CST).Format("2006-01-02 1504") + ".xlsx"
	}
	download(w, app.XLSXType, name, buf.Bytes())
	return nil
}

// stateName says where town's quarter p stands, for a download's title
// (the state of a stored snapshot, or a live result), and whether it is
// finalized (or filed), its pay frozen.
func (s *Server) stateName(r *http.Request, town string, p Period) (name string, final bool) {
	st, err := s.Service.QuarterState(r.Context(), town, p.Quarter)
	if err != nil || !st.HasSnapshot() {
		return "实时计算的临时结果", false
	}
	return gs.StateName[st.State], st.State == gs.StateFinalized || st.State == gs.StateFiled
}

// exportResult is town's result of period p for a download, as get gives
// it (the stored snapshot or the live result, or always the live result),
// limited to the town's workers; ENOTFOUND when the town has none.
func (s *Server) exportResult(ctx context.Context, p Period, town string, get func(context.Context, Period, string) (*gs.Result, error)) (*gs.Result, error) {
	res, err := get(ctx, p, town)
	if err != nil {
		return nil, err
	}
	res.Workers = inTown(res.Workers, town)
	if res.SchemeName == "" { // a live result, or one kept, has its id alone
		res.SchemeName = s.Service.SchemeName(res.Scheme)
	}
	if len(res.Workers) == 0 {
		return nil, gs.Errorf(gs.ENOTFOUND, "%s 没有镇街“%s”的考核数据。", p.QuarterText(), town)
	}
	return res, nil
}
