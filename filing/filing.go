// Package filing makes and checks the signed filing package (报备包) a
// town sends to its district: a ZIP holding the filing workbook and a JSON
// document of the finalized results (DATA.md §3 shape) that names the
// workbook by its SHA-256, whose comment (the last bytes of the file) is
// the Ed25519 signature, by the town's key, of every byte before it. A
// district that registered the town's public key can tell an untouched
// package from one altered by a single byte, unsigned or wrongly signed. It
// reads and writes bytes only; keys are kept by the store.
package filing

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// Format names the layout of the document, which a later version may
// change.
const Format = "gridscore-filing/1"

// The members of a package, and the start of its comment.
const (
	documentName = "filing.json"
	workbookName = "报备材料.xlsx"
	sigPrefix    = "gridscore-filing-signature ed25519 "
)

// Document is the signed content of a package.
type Document struct {
	Format      string    `json:"format"`
	Town        string    `json:"town"`
	Quarter     string    `json:"quarter"`
	State       gs.State  `json:"state"`
	FinalizedAt time.Time `json:"finalized_at"`
	SignedAt    time.Time `json:"signed_at"`
	Workbook    struct {
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
	} `json:"workbook"`
	// Result is the town's finalized result as DATA.md §3 writes it.
	Result json.RawMessage `json:"result"`
}

// Build returns the package of a town's finalized quarter: doc (its
// Workbook filled in here), the workbook bytes and the result JSON already
// in doc.Result, signed with key.
func Build(doc Document, workbook []byte, key ed25519.PrivateKey) ([]byte, error) {
	doc.Format = Format
	sum := sha256.Sum256(workbook)
	doc.Workbook.Name, doc.Workbook.SHA256 = workbookName, hex.EncodeToString(sum[:])
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	// The comment's length is written before it: the ZIP is made with a
	// comment of the signature's length, and the signature of the bytes
	// before the comment then takes its place.
	comment := sigPrefix + base64.StdEncoding.EncodeToString(make([]byte, ed25519.SignatureSize))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name string
		data []byte
	}{{documentName, body}, {workbookName, workbook}} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Deflate, Modified: doc.SignedAt, Flags: 0x800})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(m.data); err != nil {
			return nil, err
		}
	}
	if err := zw.SetComment(comment); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	pkg := buf.Bytes()
	signed := pkg[:len(pkg)-len(comment)]
	copy(pkg[len(signed):], sigPrefix+base64.StdEncoding.EncodeToString(ed25519.Sign(key, signed)))
	return pkg, nil
}

// Package is a package opened and checked by Open.
type Package struct {
	Document Document
	Workbook []byte
	// Fingerprint names the key that signed it.
	Fingerprint string
	// Workers is the number of workers in the result, Assessed those
	// ranked; TotalSum their totals and PaySum the pay of all, exactly.
	Workers, Assessed int
	TotalSum          gs.Points
	PaySum            gs.Fen
}

// maxPackage bounds a package and each of its members once unpacked.
const maxPackage = 64 << 20

// Open checks the package data against the public key keyOf gives for the
// town the package names (false when the town has none registered) and
// returns its content. Every refusal says in Chinese what is wrong.
func Open(data []byte, keyOf func(town string) (ed25519.PublicKey, bool, error)) (*Package, error) {
	if len(data) > maxPackage {
		return nil, refuse("文件太大，不是报备包")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, refuse("不是报备包（应为导出的 .zip 文件），或文件已损坏")
	}
	sig, signed := []byte(nil), data[:max(0, len(data)-len(zr.Comment))]
	if strings.HasPrefix(zr.Comment, sigPrefix) && bytes.HasSuffix(data, []byte(zr.Comment)) {
		// Strict: the lenient decoder ignores the unused low bits of the
		// last character, so two spellings of one signature would pass.
		sig, _ = base64.StdEncoding.Strict().DecodeString(zr.Comment[len(sigPrefix):])
	}
	if sig == nil {
		return nil, refuse("报备包没有签名，不能确认来自哪个镇街")
	}
	if len(sig) != ed25519.SignatureSize {
		return nil, refuse("签名不符：报备包被改动过，签名已损坏，不能导入")
	}
	// Only the two members a package has, each once: the document is read
	// first and the signature checked before the workbook is unpacked, so
	// that an unsigned file never costs more than one bounded member.
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if (f.Name != documentName && f.Name != workbookName) || files[f.Name] != nil {
			return nil, refuse("报备包中有不属于报备包的文件（" + f.Name + "），不能导入")
		}
		files[f.Name] = f
	}
	if files[documentName] == nil || files[workbookName] == nil {
		return nil, refuse("报备包不完整：缺少 " + documentName + " 或 " + workbookName)
	}
	body, err := unpack(files[documentName])
	if err != nil {
		return nil, err
	}
	var doc Document
	if err := json.Unmarshal(body, &doc); err != nil || doc.Format != Format {
		return nil, refuse("报备包的内容无法识别（" + documentName + " 不是本系统导出的格式）")
	}
	key, found, err := keyOf(doc.Town)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, refuse("还没有登记" + doc.Town + "的公钥，无法核对签名：请先登记该镇街的公钥")
	}
	if !ed25519.Verify(key, signed, sig) {
		return nil, refuse("签名不符：报备包被改动过，或不是用" + doc.Town + "登记的密钥签发的，不能导入")
	}
	workbook, err := unpack(files[workbookName])
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(workbook)
	if hex.EncodeToString(sum[:]) != doc.Workbook.SHA256 {
		return nil, refuse("报备包中的工作簿被改动过（与签名的内容不符），不能导入")
	}
	p := &Package{Document: doc, Workbook: workbook, Fingerprint: Fingerprint(key)}
	if err := p.count(); err != nil {
		return nil, err
	}
	return p, nil
}

// unpack reads member f of a package, at most maxPackage bytes.
func unpack(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > maxPackage {
		return nil, refuse("报备包中的 " + f.Name + " 太大")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, refuse("报备包已损坏：" + f.Name + " 无法读取")
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxPackage+1))
	if err != nil {
		return nil, refuse("报备包已损坏：" + f.Name + " 无法读取（文件被改动过）")
	}
	if len(b) > maxPackage {
		return nil, refuse("报备包中的 " + f.Name + " 太大")
	}
	return b, nil
}

// count reads the result's workers and sums their totals and pay.
func (p *Package) count() error {
	var res struct {
		Workers []struct {
			Total *json.Number `json:"total"`
			Rank  *int         `json:"rank"`
			Pay   json.Number  `json:"pay_yuan"`
		} `json:"workers"`
	}
	d := json.NewDecoder(bytes.NewReader(p.Document.Result))
	d.UseNumber()
	if err := d.Decode(&res); err != nil {
		return refuse("报备包中的考核结果无法读取")
	}
	for _, w := range res.Workers {
		p.Workers++
		if w.Rank != nil {
			p.Assessed++
		}
		if w.Total != nil {
			v, ok := gs.ParseHundredths(w.Total.String())
			if !ok {
				return refuse("报备包中的总分 " + w.Total.String() + " 无法识别")
			}
			p.TotalSum += gs.Points(v)
		}
		v, ok := gs.ParseHundredths(w.Pay.String())
		if !ok {
			return refuse("报备包中的绩效金额 " + w.Pay.String() + " 无法识别")
		}
		p.PaySum += gs.Fen(v)
	}
	return nil
}

func refuse(msg string) error { return gs.Errorf(gs.EINVALID, "%s", msg) }

// keyPrefix begins a public key written as text.
const keyPrefix = "gridscore-ed25519:"

// KeyText writes a public key as one line of text, to hand to the district.
func KeyText(k ed25519.PublicKey) string { return keyPrefix + base64.StdEncoding.EncodeToString(k) }

// ParseKey reads a public key written by KeyText (spaces and line breaks
// around it allowed).
func ParseKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, keyPrefix))
	if !strings.HasPrefix(s, keyPrefix) || err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, gs.Errorf(gs.EINVALID, "公钥格式不对：应为镇街导出的一行以 %s 开头的文字", keyPrefix)
	}
	return ed25519.PublicKey(raw), nil
}

// Fingerprint names a key shortly, for people to compare by eye.
func Fingerprint(k ed25519.PublicKey) string {
	sum := sha256.Sum256(k)
	h := strings.ToUpper(hex.EncodeToString(sum[:8]))
	return fmt.Sprintf("%s-%s-%s-%s", h[0:4], h[4:8], h[8:12], h[12:16])
}
