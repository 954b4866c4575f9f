package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/csvfile"
	"github.com/gridscore/gridscore/store"
)

// Mappings of other systems' export files (issue 16 item 2). A town's
// center maps the columns, values and dates of an export once and saves
// the mapping under a name for its town; an upload of a file with the
// same headers is then read with it without questions, and the command
// line imports with it by name (gridscore import --mapping NAME). The
// district may keep mappings of its own, which every town may use (a
// town's own for the same headers comes first). Mappings travel between
// towns and servers as files (csvfile.EncodeMapping).

// MappingStore keeps the mappings (store/mappings.go).
type MappingStore interface {
	// SaveMapping saves a mapping under its town and name, with audit.
	SaveMapping(ctx context.Context, m *gs.Mapping, audit gs.AuditEntry) error
	// Mappings returns a town's mappings, then the district's.
	Mappings(ctx context.Context, town string) ([]gs.Mapping, error)
	// MappingsNamed returns the mappings of every town with a name.
	MappingsNamed(ctx context.Context, name string) ([]gs.Mapping, error)
	// DeleteMapping removes a town's mapping, with audit.
	DeleteMapping(ctx context.Context, town, name string, audit gs.AuditEntry) error
}

// mappingOwner returns the town whose mappings u keeps: a town's center
// its town's, the district its own (""); anyone else none.
func mappingOwner(u *gs.User) (string, error) {
	switch {
	case u != nil && (u.Role == gs.RoleTownAdmin || u.Role == gs.RoleTownStaff) && u.Town != "":
		return u.Town, nil
	case u != nil && u.Role == gs.RoleDistrict:
		return "", nil
	}
	return "", gs.Errorf(gs.EFORBIDDEN, "只有镇街中心和区中心可以管理导入映射。")
}

// MayMap refuses the users who keep no mappings (see mappingOwner), for a
// page to refuse them before it reads what they posted.
func MayMap(u *gs.User) error {
	_, err := mappingOwner(u)
	return err
}

// Mappings returns the mappings u may use: a town's center its town's,
// then the district's; the district its own.
func (s *Service) Mappings(ctx context.Context, u *gs.User) ([]gs.Mapping, error) {
	town, err := mappingOwner(u)
	if err != nil {
		return nil, err
	}
	return s.DB.Mappings(ctx, town)
}

// SaveMapping checks m and saves it as a mapping of u's town (or of the
// district, for the district), replacing u's mapping of the same name.
func (s *Service) SaveMapping(ctx context.Context, u *gs.User, m *gs.Mapping) error {
	return s.saveMapping(ctx, u, m, gs.AuditMappingSaved)
}

func (s *Service) saveMapping(ctx context.Context, u *gs.User, m *gs.Mapping, action string) error {
	town, err := mappingOwner(u)
	if err != nil {
		return err
	}
	if err := csvfile.CheckMapping(m); err != nil {
		return err
	}
	m.Town, m.SavedBy, m.SavedAt = town, Actor(ctx), s.now()
	read := 0
	for _, c := range m.Columns {
		if c.Key != "" {
			read++
		}
	}
	detail := fmt.Sprintf("%s，文件 %d 列，读取其中 %d 列", gs.KindName[m.Kind], len(m.Columns), read)
	return s.DB.SaveMapping(ctx, m, gs.AuditEntry{At: m.SavedAt, Username: m.SavedBy, Action: action,
		Object: mappingObject(town, m.Name), Detail: detail})
}

// mappingObject is the audit log's key of a mapping: mapping:town/name.
func mappingObject(town, name string) string { return "mapping:" + town + "/" + name }

// DeleteMapping removes u's mapping name (a town's center cannot remove
// the district's).
func (s *Service) DeleteMapping(ctx context.Context, u *gs.User, name string) error {
	town, err := mappingOwner(u)
	if err != nil {
		return err
	}
	return s.DB.DeleteMapping(ctx, town, name, gs.AuditEntry{At: s.now(), Username: Actor(ctx),
		Action: gs.AuditMappingDeleted, Object: mappingObject(town, name), Detail: "删除导入映射"})
}

// Mapping returns the mapping name of town ("" for the district's) if u
// may use it.
func (s *Service) Mapping(ctx context.Context, u *gs.User, town, name string) (*gs.Mapping, error) {
	ms, err := s.Mappings(ctx, u)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		if ms[i].Town == town && ms[i].Name == name {
			return &ms[i], nil
		}
	}
	return nil, gs.Errorf(gs.ENOTFOUND, "没有名为“%s”的映射。", name)
}

// MappingFile returns the mapping name of town as a file to hand to
// another town or server, with the file's name.
func (s *Service) MappingFile(ctx context.Context, u *gs.User, town, name string) ([]byte, string, error) {
	m, err := s.Mapping(ctx, u, town, name)
	if err != nil {
		return nil, "", err
	}
	return csvfile.EncodeMapping(m), "导入映射 " + m.Name + ".json", nil
}

// ImportMappingFile reads a mapping file (from another town, or another
// server) and saves the mapping as u's, replacing u's of the same name.
func (s *Service) ImportMappingFile(ctx context.Context, u *gs.User, data []byte) (*gs.Mapping, error) {
	if _, err := mappingOwner(u); err != nil {
		return nil, err
	}
	m, err := csvfile.DecodeMapping(data)
	if err != nil {
		return nil, err
	}
	if err := s.saveMapping(ctx, u, m, gs.AuditMappingImported); err != nil {
		return nil, err
	}
	return m, nil
}

// FindMapping returns the mapping the command line names: "name" when
// only one town (or the district) has a mapping of that name, or
// "town/name" ("/name" for the district's).
func (s *Service) FindMapping(ctx context.Context, ref string) (*gs.Mapping, error) {
	town, name, scoped := strings.Cut(ref, "/")
	if !scoped {
		name = town
	}
	ms, err := s.DB.MappingsNamed(ctx, name)
	if err != nil {
		return nil, err
	}
	if scoped {
		ms = slices.DeleteFunc(ms, func(m gs.Mapping) bool { return m.Town != town })
	}
	switch len(ms) {
	case 0:
		return nil, gs.Errorf(gs.ENOTFOUND, "没有名为“%s”的导入映射（gridscore mapping list 列出已有的映射）。", ref)
	case 1:
		return &ms[0], nil
	}
	var refs []string
	for _, m := range ms {
		refs = append(refs, m.Town+"/"+m.Name)
	}
	return nil, gs.Errorf(gs.EINVALID, "不止一个镇街有名为“%s”的映射，请写明是哪个镇街的：%s（全区的写作 /%s）。", name, strings.Join(refs, "、"), name)
}

// mappingStamp identifies the mappings ms as they are (by what they
// say, not when they were saved: two saves may fall in one second): a
// report kept for an upload holds for the mappings it was read with, and
// is made again once one of them changes. No mappings is "", as reports kept
// before mappings existed have it.
func mappingStamp(ms []gs.Mapping) string {
	if len(ms) == 0 {
		return ""
	}
	h := sha256.New()
	for _, m := range ms {
		cols, _ := json.Marshal(m.Columns) // strings and maps of strings: no error
		fmt.Fprintf(h, "%s\x1f%s\x1f%s\x1f%s\x1e", m.Town, m.Name, m.Kind, cols)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// UnmappedFile is a file (or sheet) of an upload that is no DATA.md file
// and has no saved mapping: it needs one before anything is imported.
type UnmappedFile struct {
	// File names it as problems do: export.csv, book.xlsx[Sheet1].
	File string
	// Columns is the number of its columns.
	Columns int
}

// fileMatch is how each file of an import is to be read.
type fileMatch struct {
	// mapped gives the mapping of each file or sheet read with one.
	mapped map[string]*gs.Mapping
	// unmapped are the files that need a mapping (see UnmappedFile);
	// mappable are those named after a kind whose headers are not
	// DATA.md's, read as DATA.md files (their problems say what is
	// missing) and which a mapping may read instead.
	unmapped []UnmappedFile
	mappable []string
}

// matchMappings decides how each table (file, or sheet of a workbook) of
// the files at paths is read: with the first of saved whose headers are
// the table's (in any order); else as a DATA.md file if it is one. Of the
// others, those that name no kind need a mapping.
//
// With given mappings (the command line's --mapping), a table that is
// neither of these is read with the given mapping that reads the most
// of its headers, so that what it lacks is reported.
func matchMappings(paths []string, saved []gs.Mapping, given bool) fileMatch {
	fm := fileMatch{mapped: map[string]*gs.Mapping{}}
	for _, p := range paths {
		for _, h := range csvfile.Headers(p) {
			set := gs.HeaderSet(h.Headers)
			var found *gs.Mapping
			for i := range saved {
				if gs.HeaderSet(saved[i].Headers()) == set {
					found = &saved[i]
					break
				}
			}
			switch {
			case found != nil:
				fm.mapped[h.File] = found
			case h.DataMD:
			case given && len(saved) > 0:
				fm.mapped[h.File] = closestMapping(saved, h.Headers)
			case h.Kind != "":
				fm.mappable = append(fm.mappable, h.File)
			default:
				fm.unmapped = append(fm.unmapped, UnmappedFile{File: h.File, Columns: len(h.Headers)})
			}
		}
	}
	return fm
}

// closestMapping returns the mapping of ms that finds the most of the
// headers it reads among headers.
func closestMapping(ms []gs.Mapping, headers []string) *gs.Mapping {
	best, most := 0, -1
	for i, m := range ms {
		n := 0
		for _, c := range m.Columns {
			if c.Key != "" && slices.Contains(headers, c.Header) {
				n++
			}
		}
		if n > most {
			best, most = i, n
		}
	}
	return &ms[best]
}

// ImportMappedFiles imports the files at paths as ImportFiles does, the
// files whose headers one of mappings reads being read with it (the
// command line's gridscore import --mapping NAME); the result says which
// file was read with which.
func (s *Service) ImportMappedFiles(ctx context.Context, mappings []gs.Mapping, paths ...string) (*ImportResult, error) {
	var mapped map[string]*gs.Mapping
	if len(mappings) > 0 { // a plain import does not look at the headers twice
		mapped = matchMappings(paths, mappings, true).mapped
	}
	guard, err := newSurveyGuard(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	it, err := s.DB.BeginImport(ctx, append(importOptions(filesSize(paths)), store.HoldEmptyTables())...)
	if err != nil {
		return nil, err
	}
	defer it.Rollback()
	quarters := map[gs.Quarter]bool{}
	sources, err := s.scanInto(ctx, it, paths, guard.check, nil, 0, mapped, quarters)
	if guard.err != nil {
		return nil, guard.err
	}
	if err != nil {
		return nil, err
	}
	if err := it.Audit(ctx, s.importEntry(ctx, sources)); err != nil {
		return nil, err
	}
	stats, err := it.Commit(ctx)
	if err != nil {
		return nil, err
	}
	return &ImportResult{Stats: stats, Notes: emptyFileNotes(sources), Mapped: mappedFiles(sources), Quarters: sortedQuarters(quarters)}, nil
}

// MappedFile is a file of an import read with a mapping.
type MappedFile struct {
	File, Mapping string
	// Totals says which summary rows (合计, 总计, …) were skipped, such as
	// "第 53、54 行"; "" when none.
	Totals string
}

// mappedFiles lists the sources read with a mapping.
func mappedFiles(sources []csvfile.Source) []MappedFile {
	var out []MappedFile
	for _, src := range sources {
		if src.Mapping != "" {
			out = append(out, MappedFile{File: src.File, Mapping: src.Mapping, Totals: rowNumbers(src.Totals)})
		}
	}
	return out
}

// rowNumbers words the numbers of rows: 第 53、54 行; "" for none.
func rowNumbers(rows []int) string {
	if len(rows) == 0 {
		return ""
	}
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = strconv.Itoa(r)
	}
	return "第 " + strings.Join(parts, "、") + " 行"
}

// MappingColumnText says in words how a column of a mapping is read:
// its header, the DATA.md column it fills (不导入 for none), what its
// values mean (自行处置 → 自办；…) and the form of its dates.
type MappingColumnText struct {
	Header, Fills, Values, Dates string
}

// MappingColumns says how each column of m is read.
func MappingColumns(m *gs.Mapping) []MappingColumnText {
	targets := csvfile.MappingTargets(m.Kind)
	out := make([]MappingColumnText, len(m.Columns))
	for i, c := range m.Columns {
		out[i] = MappingColumnText{Header: c.Header, Fills: "不导入"}
		j := slices.IndexFunc(targets, func(t csvfile.MappingTarget) bool { return t.Key == c.Key })
		if j < 0 {
			continue
		}
		t := targets[j]
		out[i].Fills = t.Title + "（" + t.Key + "）"
		var vs []string
		for v, code := range c.Values {
			meaning := "不填"
			if k := slices.IndexFunc(t.Choices, func(ch csvfile.Choice) bool { return ch.Code == code }); k >= 0 {
				meaning = t.Choices[k].Title
			}
			vs = append(vs, v+" → "+meaning)
		}
		slices.Sort(vs)
		out[i].Values = strings.Join(vs, "；")
		if t.Dated() {
			for _, f := range csvfile.DateFormats() {
				if f.ID == c.DateFormat {
					out[i].Dates = f.Title + "（如 " + f.Example + "）"
				}
			}
		}
	}
	return out
}
