package app

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	gs "github.com/gridscore/gridscore"
)

// Evidence (佐证) attached to a finding: photos and PDF files, kept in the
// database, shown to whoever may see the finding.

// MaxEvidenceBytes bounds one evidence file.
const MaxEvidenceBytes = 5 << 20

// MaxEvidenceFiles bounds the files attached at once.
const MaxEvidenceFiles = 5

// evidenceTypes are the kinds of file accepted, as http.DetectContentType
// names them from the file's first bytes (whatever its name says).
var evidenceTypes = map[string]bool{
	"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "image/bmp": true,
	"application/pdf": true,
}

// EvidenceUpload is a file uploaded with a finding.
type EvidenceUpload struct {
	Name    string
	Content []byte
	// TooLarge is set by the caller when the file was cut at the limit.
	TooLarge bool
}

// checkUploads checks the files and returns them to store; problems go
// into fe under "evidence_file".
func checkUploads(ups []EvidenceUpload, fe *FormError) []gs.Evidence {
	if len(ups) > MaxEvidenceFiles {
		fe.add("evidence_file", "一次最多上传 "+strconv.Itoa(MaxEvidenceFiles)+" 个文件。")
		return nil
	}
	var out []gs.Evidence
	for _, u := range ups {
		name := evidenceName(u.Name)
		switch ct := http.DetectContentType(u.Content); {
		case len(u.Content) == 0:
			fe.add("evidence_file", "文件“"+name+"”是空的。")
		case u.TooLarge || len(u.Content) > MaxEvidenceBytes:
			fe.add("evidence_file", "文件“"+name+"”超过 5 MB，请压缩后再上传。")
		case !evidenceTypes[ct]:
			fe.add("evidence_file", "文件“"+name+"”不是照片（JPEG、PNG、GIF、WebP、BMP）或 PDF 文件。")
		default:
			out = append(out, gs.Evidence{Name: name, ContentType: ct, Size: int64(len(u.Content)), Content: u.Content})
		}
	}
	return out
}

// evidenceName keeps the base name of an uploaded file, without control
// characters, at most 100 characters.
func evidenceName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 100 {
		name = string([]rune(name)[:100])
	}
	if name == "" || name == "." || name == "/" {
		name = "佐证"
	}
	return name
}

// EvidenceFile returns an evidence file with its content for u, who must
// be allowed to see its finding. A grid worker asking for a file that is
// not theirs, or does not exist, is refused alike.
func (s *Service) EvidenceFile(ctx context.Context, u *gs.User, id int64) (*gs.Evidence, error) {
	e, err := s.DB.EvidenceFile(ctx, id)
	if err == nil {
		err = s.canSeeFinding(ctx, u, e.FindingID)
	}
	if err != nil && u.Role == gs.RoleWorker && gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errOwnRecords()
	}
	return e, err
}

// canSeeFinding checks that u may see the finding.
func (s *Service) canSeeFinding(ctx context.Context, u *gs.User, findingID string) error {
	f, err := s.DB.Record(ctx, "findings", findingID)
	if err == nil {
		_, err = s.visibleTown(ctx, u, f)
	}
	return err
}

// EvidenceOf returns the files attached to findings (without content),
// by finding id. The caller passes only findings u may see.
func (s *Service) EvidenceOf(ctx context.Context, findingIDs []string) (map[string][]gs.Evidence, error) {
	es, err := s.DB.EvidenceOf(ctx, findingIDs)
	if err != nil {
		return nil, err
	}
	out := map[string][]gs.Evidence{}
	for _, e := range es {
		out[e.FindingID] = append(out[e.FindingID], e)
	}
	return out, nil
}
