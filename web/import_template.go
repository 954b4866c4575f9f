package web

import (
	"bytes"
	"net/http"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// importTemplate sends an import template (csvfile.WriteTemplate): every
// kind in one workbook at /templates/import.xlsx, one kind at
// /templates/{kind}.xlsx. Those who may import may download them.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := s.mayImport(u); err != nil {
		return err
	}
	name, kinds := "导入模板.xlsx", []string(nil)
	if file := r.PathValue("file"); file != "" {
		kind, ok := strings.CutSuffix(file, ".xlsx")
		if ok {
			name, ok = app.ImportTemplateName(kind)
		}
		if !ok {
			return gs.Errorf(gs.ENOTFOUND, "没有这种数据的导入模板")
		}
		kinds = []string{kind}
	}
	var buf bytes.Buffer
	if err := app.WriteImportTemplate(&buf, kinds...); err != nil {
		return err
	}
	download(w, app.XLSXType, name, buf.Bytes())
	return nil
}
