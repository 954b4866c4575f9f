package web

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
)

// evidence is GET /evidence/{id}: a file attached to a finding, for those
// who may see the finding. It is sent as the type sniffed when it was
// stored (never what the upload claimed), not to be sniffed again, and
// opened in the browser only when it is a picture (a PDF is downloaded).
func (s *Server) evidence(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		if u.Role == gs.RoleWorker {
			return forbidden("网格员只能查看本人的记录。")
		}
		return gs.Errorf(gs.ENOTFOUND, "佐证文件不存在。")
	}
	e, err := s.Service.EvidenceFile(r.Context(), u, id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", e.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(e.Content)))
	h.Set("X-Content-Type-Options", "nosniff")
	// The browser's own page around a picture styles it inline; no script
	// may run whatever the file holds.
	h.Set("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox")
	disposition := "inline"
	if !strings.HasPrefix(e.ContentType, "image/") {
		disposition = "attachment" // a PDF is saved and opened by the reader of the computer
	}
	h.Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": e.Name}))
	w.Write(e.Content)
	return nil
}
