package app

import (
	"context"
	"fmt"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
)

// importEntry is the audit entry of an import of files from the command
// line, written in the import's transaction (issue 15: imports of ballots
// are in the audit log, as every web upload already was): who ran it
// (Actor) and each file read with its kind and valid rows.
func (s *Service) importEntry(ctx context.Context, sources []csvfile.Source) gs.AuditEntry {
	var files []string
	for _, src := range sources {
		files = append(files, fmt.Sprintf("%s（%s %d 行）", src.File, gs.NameOr(gs.KindName, src.Kind), src.Valid))
	}
	return gs.AuditEntry{At: s.now(), Username: Actor(ctx), Action: gs.AuditRecordsImported, Object: "import:files",
		Detail: "文件：" + strings.Join(files, "、")}
}
