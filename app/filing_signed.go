package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/filing"
	"github.com/gridscore/gridscore/report"
	"github.com/gridscore/gridscore/store"
)

// The filing with the district when the district keeps its own server
// (issue 16 item 4): the town's server signs the package of a finalized
// quarter with the town's Ed25519 key, the district's server checks it
// against the public key it registered for the town and keeps it. Towns
// sharing the district's database need none of this: their states show
// there directly.

// TownPublicKey returns town's public key as text to hand to the district,
// making the town's key pair on first use. The town's administrator and
// staff may ask for it.
func (s *Service) TownPublicKey(ctx context.Context, u *gs.User, town string) (string, error) {
	if err := townCenter(u, town, "只有本镇街中心可以查看本镇街的公钥。"); err != nil {
		return "", err
	}
	pub, _, err := s.townKey(ctx, town)
	if err != nil {
		return "", err
	}
	return filing.KeyText(pub), nil
}

// townCenter refuses anyone but the administrator and staff of town.
func townCenter(u *gs.User, town, msg string) error {
	if u == nil || (u.Role != gs.RoleTownAdmin && u.Role != gs.RoleTownStaff) || u.Town != town {
		return gs.Errorf(gs.EFORBIDDEN, "%s", msg)
	}
	return nil
}

// townKey returns town's key pair, made and recorded on first use.
func (s *Service) townKey(ctx context.Context, town string) (ed25519.PublicKey, ed25519.PrivateKey, error) {
	audit := gs.AuditEntry{At: s.now(), Username: Actor(ctx), Action: gs.AuditFilingKeyCreated, Object: "town:" + town,
		Detail: "生成报备签名密钥"}
	pubText, privText, err := s.DB.TownKey(ctx, town, func() (string, string, error) {
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return "", "", err
		}
		return base64.StdEncoding.EncodeToString(pub), base64.StdEncoding.EncodeToString(priv.Seed()), nil
	}, audit)
	if err != nil {
		return nil, nil, err
	}
	seed, err := base64.StdEncoding.DecodeString(privText)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, nil, gs.Errorf(gs.EINTERNAL, "本镇街的签名密钥已损坏")
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if base64.StdEncoding.EncodeToString(priv.Public().(ed25519.PublicKey)) != pubText {
		return nil, nil, gs.Errorf(gs.EINTERNAL, "本镇街的签名密钥已损坏")
	}
	return priv.Public().(ed25519.PublicKey), priv, nil
}

// FilingPackage returns the signed filing package (报备包) of town's
// finalized quarter q and its file name: the filing workbook, the results
// as JSON and the signature. Those who may download the filing workbook
// may (Filing), but only the town's own center signs: the district
// downloads the workbook from its own database.
func (s *Service) FilingPackage(ctx context.Context, u *gs.User, town string, q gs.Quarter) ([]byte, string, error) {
	if err := townCenter(u, town, "报备包由镇街中心签发；区中心请导入镇街发来的报备包。"); err != nil {
		return nil, "", err
	}
	fl, err := s.Filing(ctx, u, town, q)
	if err != nil {
		return nil, "", err
	}
	var book, result bytes.Buffer
	if err := WriteFiling(&book, town, fl); err != nil {
		return nil, "", err
	}
	if err := report.WriteJSON(&result, fl.Result); err != nil {
		return nil, "", err
	}
	_, priv, err := s.townKey(ctx, town)
	if err != nil {
		return nil, "", err
	}
	pkg, err := filing.Build(filing.Document{Town: town, Quarter: q.String(), State: fl.State.State,
		FinalizedAt: fl.State.FinalizedAt, SignedAt: s.now(), Result: result.Bytes()}, book.Bytes(), priv)
	if err != nil {
		return nil, "", err
	}
	return pkg, town + " " + q.String() + " 报备包.zip", nil
}

// RegisterFilingKey records the public key (text from TownPublicKey) the
// district checks town's packages against. Only the district may.
func (s *Service) RegisterFilingKey(ctx context.Context, u *gs.User, town, keyText string) (fingerprint string, err error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return "", gs.Errorf(gs.EFORBIDDEN, "只有区中心可以登记镇街的公钥。")
	}
	if town = gs.TrimText(town); town == "" {
		return "", gs.Errorf(gs.EINVALID, "请填写镇街名称。")
	}
	key, err := filing.ParseKey(keyText)
	if err != nil {
		return "", err
	}
	fp := filing.Fingerprint(key)
	err = s.DB.RegisterFilingKey(ctx, town, base64.StdEncoding.EncodeToString(key), gs.AuditEntry{At: s.now(), Username: Actor(ctx),
		Action: gs.AuditFilingKeyRegistered, Object: "town:" + town, Detail: "登记公钥 " + fp})
	return fp, err
}

// ImportFiling checks a town's filing package against the key registered
// for the town and keeps it. Only the district may. An altered, unsigned
// or wrongly signed package is refused with the reason, and nothing is
// kept; so is a package signed before the one kept for its town and
// quarter (a town that signs again after reopening the quarter sends the
// newer one; an older package must not bring the superseded numbers
// back). The same package imported again is kept again.
func (s *Service) ImportFiling(ctx context.Context, u *gs.User, data []byte) (*gs.ImportedFiling, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有区中心可以导入报备包。")
	}
	p, err := s.openFiling(ctx, data)
	if err != nil {
		return nil, err
	}
	d := p.Document
	if _, err := gs.ParseQuarter(d.Quarter); err != nil {
		return nil, gs.Errorf(gs.EINVALID, "报备包的季度 %q 无法识别", d.Quarter)
	}
	f := gs.ImportedFiling{Town: d.Town, Quarter: d.Quarter, FinalizedAt: d.FinalizedAt, SignedAt: d.SignedAt,
		Workers: p.Workers, Assessed: p.Assessed, TotalSum: p.TotalSum, PaySum: p.PaySum, ImportedAt: s.now(), ImportedBy: Actor(ctx)}
	err = s.DB.SaveFiling(ctx, f, data, gs.AuditEntry{At: f.ImportedAt, Username: Actor(ctx), Action: gs.AuditFilingImported,
		Object: "quarter:" + d.Town + "/" + d.Quarter, Detail: "导入报备包，签名密钥 " + p.Fingerprint})
	if stale, ok := errors.AsType[*store.StaleFilingError](err); ok {
		return nil, gs.Errorf(gs.ECONFLICT, "%s %s 已导入的报备包签发于 %s，这个报备包签发于 %s，比已导入的早，没有导入。请使用镇街最新签发的报备包。",
			d.Town, d.Quarter, fmtSigned(stale.KeptSignedAt), fmtSigned(stale.SignedAt))
	}
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// fmtSigned formats when a filing package was signed, to the second: two
// packages of a town may be signed within a minute.
func fmtSigned(t time.Time) string {
	return t.In(gs.CST).Format("2006-01-02 15:04:05")
}

// ImportedFilings returns the packages the district imported for quarter
// q, by town. Only the district may see them.
func (s *Service) ImportedFilings(ctx context.Context, u *gs.User, q gs.Quarter) ([]gs.ImportedFiling, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有区中心可以查看导入的报备包。")
	}
	return s.DB.ImportedFilings(ctx, q.String())
}

// FilingKeyFingerprints returns the fingerprint of each town's registered
// key, for the district.
func (s *Service) FilingKeyFingerprints(ctx context.Context, u *gs.User) (map[string]string, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有区中心可以查看登记的公钥。")
	}
	keys, err := s.DB.FilingKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for town, text := range keys {
		if raw, err := base64.StdEncoding.DecodeString(text); err == nil && len(raw) == ed25519.PublicKeySize {
			out[town] = filing.Fingerprint(raw)
		}
	}
	return out, nil
}

// openFiling checks a package against the key registered for its town.
func (s *Service) openFiling(ctx context.Context, data []byte) (*filing.Package, error) {
	return filing.Open(data, func(town string) (ed25519.PublicKey, bool, error) {
		text, found, err := s.DB.FilingKey(ctx, town)
		if err != nil || !found {
			return nil, false, err
		}
		raw, err := base64.StdEncoding.DecodeString(text)
		if err != nil || len(raw) != ed25519.PublicKeySize {
			return nil, false, gs.Errorf(gs.EINTERNAL, "登记的%s公钥已损坏，请重新登记", town)
		}
		return ed25519.PublicKey(raw), true, nil
	})
}

// ImportedFilingWorkbook returns the filing workbook (报备材料) of the
// package imported for town's quarter q, with every worker's numbers as
// the town finalized them, and its file name, checked again against the
// registered key. Only the district may.
func (s *Service) ImportedFilingWorkbook(ctx context.Context, u *gs.User, town string, q gs.Quarter) ([]byte, string, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, "", gs.Errorf(gs.EFORBIDDEN, "只有区中心可以查看导入的报备包。")
	}
	data, found, err := s.DB.FilingPackage(ctx, town, q.String())
	if err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", gs.Errorf(gs.ENOTFOUND, "没有导入%s %s 的报备包。", town, q)
	}
	p, err := s.openFiling(ctx, data)
	if err != nil {
		return nil, "", err
	}
	return p.Workbook, town + " " + q.String() + " 报备材料（报备包）.xlsx", nil
}
