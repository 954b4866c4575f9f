package app

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
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

// townKey returns town's key pair, made and recorded on first use, never
// in the district's database: a town's private key belongs on the town's
// own server, and one made at the district would sign as the town there.
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
	if errors.Is(err, store.ErrDistrictStore) {
		return nil, nil, gs.Errorf(gs.ECONFLICT, "这是区中心的数据库（其中登记了镇街的报备公钥），不能在这里生成%s的签名密钥。"+
			"使用自己服务器的镇街，须在本镇街的服务器上运行 gridscore filing-key --town %s（或由镇街中心在其服务器的总览页下载“报备公钥”）；"+
			"与区中心共用数据库的镇街不需要报备包。", town, town)
	}
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

// ErrFilingKeyTown marks a refusal of RegisterFilingKey that is about the
// town named (none, or not one of the district's), for a form to show it
// beside the town's field.
var ErrFilingKeyTown = errors.New("app: register filing key: the town")

// ErrFilingKeyReplace marks RegisterFilingKey's refusal to replace,
// unconfirmed, the key of a town whose packages the district imported:
// the form asks again with a confirmation.
var ErrFilingKeyReplace = errors.New("app: register filing key: replacing a key unconfirmed")

// RegisterFilingKey records the public key (text from TownPublicKey) the
// district checks town's packages against. Only the district may, and
// only for one of its towns (a town one of its grids is in), with a key
// no other town has registered: each town signs with its own. Replacing
// the key of a town whose packages were imported needs replace: those
// packages stay checked against the key they were verified with, the
// packages imported afterwards against the new one.
func (s *Service) RegisterFilingKey(ctx context.Context, u *gs.User, town, keyText string, replace bool) (fingerprint string, err error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return "", gs.Errorf(gs.EFORBIDDEN, "只有区中心可以登记镇街的公钥。")
	}
	if town = gs.TrimText(town); town == "" {
		return "", fmt.Errorf("%w (%w)", gs.Errorf(gs.EINVALID, "请填写镇街名称。"), ErrFilingKeyTown)
	}
	key, err := filing.ParseKey(keyText)
	if err != nil {
		return "", err
	}
	fp := filing.Fingerprint(key)
	err = s.DB.RegisterFilingKey(ctx, town, base64.StdEncoding.EncodeToString(key), replace, gs.AuditEntry{At: s.now(), Username: Actor(ctx),
		Action: gs.AuditFilingKeyRegistered, Object: "town:" + town, Detail: "登记公钥 " + fp})
	if unknown, ok := errors.AsType[*store.UnknownTownError](err); ok {
		return "", fmt.Errorf("%w (%w)", s.unknownTown(ctx, unknown.Town), ErrFilingKeyTown)
	}
	if inUse, ok := errors.AsType[*store.KeyInUseError](err); ok {
		return "", gs.Errorf(gs.ECONFLICT, "这个公钥（指纹 %s）是%s的公钥（现在登记的，或已导入的报备包所用的），不能再登记给%s：每个镇街用自己的密钥签名。请核对是否拿错了镇街的公钥。",
			fp, inUse.OtherTown, inUse.Town)
	}

	if kept, ok := errors.AsType[*store.KeyReplaceError](err); ok {
		return "", fmt.Errorf("%w (%w)", gs.Errorf(gs.ECONFLICT, "%s已登记公钥（指纹 %s），已导入的 %d 个报备包是按它核对的。"+
			"换成新公钥（指纹 %s）后，已导入的报备包仍按导入时的公钥核对，照常可以下载；今后导入的报备包按新公钥核对，旧密钥签发的报备包不再接受。请确认是否更换。",
			kept.Town, keyFingerprint(kept.Kept), kept.Filings, fp), ErrFilingKeyReplace)
	}
	return fp, err
}

// unknownTown is the refusal of a key for town, which is not one of the
// district's towns, naming those that are.
func (s *Service) unknownTown(ctx context.Context, town string) error {
	towns, err := s.DB.Towns(ctx)
	if err != nil {
		return err
	}
	if len(towns) == 0 {
		return gs.Errorf(gs.EINVALID, "区中心的数据库中还没有任何镇街的网格，无法登记%s的公钥。请先导入网格名单。", town)
	}
	return gs.Errorf(gs.EINVALID, "“%s”不是本区的镇街（本区的镇街：%s）。请检查镇街名称。", town, strings.Join(towns, "、"))
}

// keyFingerprint is the fingerprint of a stored public key (base64), ""
// when it is not one.
func keyFingerprint(text string) string {
	key, err := storedKey(text)
	if err != nil {
		return ""
	}
	return filing.Fingerprint(key)
}

// storedKey reads a public key as the store keeps it (base64).
func storedKey(text string) (ed25519.PublicKey, error) {
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("app: a stored public key is not an Ed25519 key in base64")
	}
	return ed25519.PublicKey(raw), nil
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
	p, key, err := s.openFiling(ctx, data)
	if err != nil {
		return nil, err
	}
	d := p.Document
	if _, err := gs.ParseQuarter(d.Quarter); err != nil {
		return nil, gs.Errorf(gs.EINVALID, "报备包的季度 %q 无法识别", d.Quarter)
	}
	f := gs.ImportedFiling{Town: d.Town, Quarter: d.Quarter, FinalizedAt: d.FinalizedAt, SignedAt: d.SignedAt,
		Workers: p.Workers, Assessed: p.Assessed, TotalSum: p.TotalSum, PaySum: p.PaySum, ImportedAt: s.now(), ImportedBy: Actor(ctx),
		PublicKey: base64.StdEncoding.EncodeToString(key), KeyFingerprint: p.Fingerprint}
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
// q, by town, each with the fingerprint of the key it was verified with.
// Only the district may see them.
func (s *Service) ImportedFilings(ctx context.Context, u *gs.User, q gs.Quarter) ([]gs.ImportedFiling, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, gs.Errorf(gs.EFORBIDDEN, "只有区中心可以查看导入的报备包。")
	}
	fs, err := s.DB.ImportedFilings(ctx, q.String())
	for i := range fs {
		fs[i].KeyFingerprint = keyFingerprint(fs[i].PublicKey)
	}
	return fs, err
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
		if fp := keyFingerprint(text); fp != "" {
			out[town] = fp
		}
	}
	return out, nil
}

// openFiling checks a package against the key registered for its town,
// and returns the key.
func (s *Service) openFiling(ctx context.Context, data []byte) (*filing.Package, ed25519.PublicKey, error) {
	var used ed25519.PublicKey
	p, err := filing.Open(data, func(town string) (ed25519.PublicKey, bool, error) {
		text, found, err := s.DB.FilingKey(ctx, town)
		if err != nil || !found {
			return nil, false, err
		}
		key, err := storedKey(text)
		if err != nil {
			return nil, false, gs.Errorf(gs.EINTERNAL, "登记的%s公钥已损坏，请重新登记", town)
		}
		used = key
		return key, true, nil
	})
	return p, used, err
}

// ImportedFilingWorkbook returns the filing workbook (报备材料) of the
// package imported for town's quarter q, with every worker's numbers as
// the town finalized them, and its file name, checked again against the
// key it was verified with when imported (the town may have registered
// another since). Only the district may.
func (s *Service) ImportedFilingWorkbook(ctx context.Context, u *gs.User, town string, q gs.Quarter) ([]byte, string, error) {
	if u == nil || u.Role != gs.RoleDistrict {
		return nil, "", gs.Errorf(gs.EFORBIDDEN, "只有区中心可以查看导入的报备包。")
	}
	data, text, found, err := s.DB.FilingPackage(ctx, town, q.String())
	if err != nil {
		return nil, "", err
	}
	if !found {
		return nil, "", gs.Errorf(gs.ENOTFOUND, "没有导入%s %s 的报备包。", town, q)
	}
	key, err := storedKey(text)
	if err != nil {
		return nil, "", gs.Errorf(gs.EINTERNAL, "%s %s 的报备包没有记下导入时核对所用的公钥，无法再次核对。请重新导入这个报备包。", town, q)
	}
	p, err := filing.Open(data, func(string) (ed25519.PublicKey, bool, error) { return key, true, nil })
	if err != nil {
		return nil, "", err
	}
	return p.Workbook, town + " " + q.String() + " 报备材料（报备包）.xlsx", nil
}
