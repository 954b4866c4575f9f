package filing_test

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/filing"
)

const result = `{"quarter": "2023Q3", "workers": [
 {"worker_id": "W1", "total": 96.5, "rank": 1, "pay_yuan": 482.50},
 {"worker_id": "W2", "total": 80, "rank": 2, "pay_yuan": 400},
 {"worker_id": "W3", "total": null, "rank": null, "pay_yuan": 0}]}`

func key(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return priv
}

func build(t *testing.T, priv ed25519.PrivateKey) []byte {
	t.Helper()
	pkg, err := filing.Build(filing.Document{Town: "青山镇", Quarter: "2023Q3", State: gs.StateFinalized,
		FinalizedAt: time.Date(2023, 10, 20, 2, 0, 0, 0, time.UTC), SignedAt: time.Date(2023, 10, 21, 2, 0, 0, 0, time.UTC),
		Result: []byte(result)}, []byte("workbook bytes"), priv)
	if err != nil {
		t.Fatal(err)
	}
	return pkg
}

// keys is a district's registry holding pub for 青山镇.
func keys(pub ed25519.PublicKey) func(string) (ed25519.PublicKey, bool, error) {
	return func(town string) (ed25519.PublicKey, bool, error) { return pub, town == "青山镇" && pub != nil, nil }
}

func TestOpenChecksAndCounts(t *testing.T) {
	priv := key(t)
	p, err := filing.Open(build(t, priv), keys(priv.Public().(ed25519.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Document.Town != "青山镇" || p.Document.Quarter != "2023Q3" || string(p.Workbook) != "workbook bytes" {
		t.Errorf("document %+v", p.Document)
	}
	if p.Workers != 3 || p.Assessed != 2 || p.TotalSum != 17650 || p.PaySum != 88250 {
		t.Errorf("counted %d workers, %d ranked, totals %d, pay %d; want 3, 2, 17650, 88250", p.Workers, p.Assessed, p.TotalSum, p.PaySum)
	}
}

// rezip rebuilds pkg with change applied to its members (name → data; nil
// data drops the member): an alteration that keeps the ZIP valid.
func rezip(t *testing.T, pkg []byte, change func(name string, data []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		data, _ := io.ReadAll(rc)
		rc.Close()
		if data = change(f.Name, data); data == nil {
			continue
		}
		w, _ := zw.Create(f.Name)
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

// resign rebuilds pkg as rezip does and puts the original signature back
// as its comment.
func resign(t *testing.T, pkg []byte, change func(name string, data []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	out := rezip(t, pkg, change)
	zr2, err := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	if err != nil || zr2.Comment != "" {
		t.Fatal(err)
	}
	// An empty comment's length (0) is the last two bytes: write the
	// signature's there and append it.
	c := zr.Comment
	out[len(out)-2], out[len(out)-1] = byte(len(c)), byte(len(c)>>8)
	return append(out, c...)
}

func TestOpenRefuses(t *testing.T) {
	priv := key(t)
	pub := priv.Public().(ed25519.PublicKey)
	pkg := build(t, priv)
	for _, c := range []struct {
		name string
		data []byte
		keys func(string) (ed25519.PublicKey, bool, error)
		want string
	}{
		{"a total changed, signature kept", resign(t, pkg, func(n string, d []byte) []byte {
			return bytes.Replace(d, []byte("96.5"), []byte("99.5"), 1)
		}), keys(pub), "签名不符"},
		{"no signature", rezip(t, pkg, func(n string, d []byte) []byte { return d }), keys(pub), "没有签名"},
		{"signed by another key", pkg, keys(key(t).Public().(ed25519.PublicKey)), "签名不符"},
		{"no key registered", pkg, keys(nil), "还没有登记青山镇的公钥"},
		{"not a package", []byte("PK but not really"), keys(pub), "不是报备包"},
	} {
		_, err := filing.Open(c.data, c.keys)
		if err == nil || !strings.Contains(gs.ErrorMessage(err), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
}

// TestOneByteAltered flips each byte of a package in turn: none is
// accepted.
func TestOneByteAltered(t *testing.T) {
	priv := key(t)
	pkg := build(t, priv)
	for i := range pkg {
		altered := bytes.Clone(pkg)
		altered[i] ^= 0x01
		if _, err := filing.Open(altered, keys(priv.Public().(ed25519.PublicKey))); err == nil {
			t.Fatalf("byte %d of %d flipped: accepted", i, len(pkg))
		}
	}
}

func TestKeyText(t *testing.T) {
	pub := key(t).Public().(ed25519.PublicKey)
	got, err := filing.ParseKey("  " + filing.KeyText(pub) + "\n")
	if err != nil || !got.Equal(pub) {
		t.Errorf("ParseKey(KeyText) = %v, %v", got, err)
	}
	if _, err := filing.ParseKey("ssh-ed25519 AAAA"); err == nil {
		t.Errorf("a foreign key was accepted")
	}
	if fp := filing.Fingerprint(pub); len(fp) != 19 || strings.Count(fp, "-") != 3 {
		t.Errorf("fingerprint %q", fp)
	}
}

// TestEverySpellingOfTheSignature: the signature is read strictly, so
// changing any character of its text to any other (the lenient decoder
// would ignore the low bits of the last one before the padding) is refused.
func TestEverySpellingOfTheSignature(t *testing.T) {
	priv := key(t)
	pkg := build(t, priv)
	pub := keys(priv.Public().(ed25519.PublicKey))
	if _, err := filing.Open(pkg, pub); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	start := len(pkg) - len(zr.Comment) + strings.Index(zr.Comment, ":") + 1
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
	for i := start; i < len(pkg); i++ {
		for _, c := range []byte(alphabet) {
			if c == pkg[i] {
				continue
			}
			altered := bytes.Clone(pkg)
			altered[i] = c
			if _, err := filing.Open(altered, pub); err == nil {
				t.Fatalf("character %d of the signature %q → %q: accepted", i-start, pkg[i], c)
			}
		}
	}
}

// TestUnsignedBombIsNotUnpacked: a file with a document and a workbook of
// 60 MB of zeros (a small zip) but no valid signature is refused without
// unpacking the workbook; a file with a member no package has is refused.
func TestUnsignedBombIsNotUnpacked(t *testing.T) {
	priv := key(t)
	pkg := build(t, priv)
	bomb := resign(t, pkg, func(name string, d []byte) []byte {
		if strings.HasSuffix(name, ".xlsx") {
			return make([]byte, 60<<20)
		}
		return d
	})
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes: not a small zip", len(bomb))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := filing.Open(bomb, keys(priv.Public().(ed25519.PublicKey)))
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(gs.ErrorMessage(err), "签名不符") {
		t.Errorf("the bomb: %v, want 签名不符", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("refusing the bomb allocated %d MB: its workbook was unpacked", got>>20)
	}
	withExtra := func() []byte {
		zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			w, _ := zw.Create(f.Name)
			w.Write(data)
		}
		w, _ := zw.Create("readme.txt")
		w.Write([]byte("extra"))
		zw.SetComment(zr.Comment)
		zw.Close()
		return buf.Bytes()
	}()
	if _, err := filing.Open(withExtra, keys(priv.Public().(ed25519.PublicKey))); err == nil || !strings.Contains(gs.ErrorMessage(err), "不属于报备包的文件（readme.txt）") {
		t.Errorf("a package with an extra member: %v", err)
	}
}
