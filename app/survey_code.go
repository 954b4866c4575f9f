package app

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// The code of a one-time ballot: 80 random bits from crypto/rand written as
// 16 characters of Crockford's base 32 (digits and capitals without I, L,
// O and U, so that none is mistaken for another), and a 17th that checks
// them (Luhn mod 32): a code typed with one character wrong, or two
// neighbours swapped, is told to be mistyped without being looked up,
// and is not counted as a guess. Luhn mod 32 has one blind spot: 0 and Z
// (values 0 and 31) swapped check alike; such a code is looked up, found
// unknown and counted as a guess like any other. The store keeps only the SHA-256 of the
// code (CodeHash): whoever reads the database cannot answer a ballot.

// codeAlphabet is Crockford's base 32.
const codeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// codeBytes is the randomness of a code: 10 bytes, 80 bits.
const codeBytes = 10

// CodeLength is the length of a code: 16 characters and the check.
const CodeLength = codeBytes*8/5 + 1

// NewBallotCode draws the code of a new one-time ballot.
func NewBallotCode() (string, error) {
	var b [codeBytes]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var sb strings.Builder
	var acc uint32
	bits := 0
	for _, x := range b {
		acc = acc<<8 | uint32(x)
		bits += 8
		for bits >= 5 {
			bits -= 5
			sb.WriteByte(codeAlphabet[acc>>bits&31])
		}
	}
	body := sb.String()
	return body + string(codeAlphabet[luhn32(body, true)]), nil
}

// luhn32 returns the value of the check character of body (generate), or
// whether body including its check character checks, as 0 (check).
func luhn32(body string, generate bool) int {
	factor, sum := 2, 0
	if !generate {
		factor = 1
	}
	for i := len(body) - 1; i >= 0; i-- {
		v := strings.IndexByte(codeAlphabet, body[i])
		a := factor * v
		sum += a/32 + a%32
		factor = 3 - factor
	}
	return (32 - sum%32) % 32
}

// CodeProblem is what is wrong with a code as typed.
type CodeProblem int

// What can be wrong with a code typed.
const (
	CodeOK        CodeProblem = iota
	CodeMalformed             // not 17 characters of the alphabet
	CodeMistyped              // the check character does not agree
)

// NormalizeCode reads a code as a person may type it — small letters,
// spaces and dashes between groups, O for 0, I and L for 1 — and returns
// it in its canonical form, with what is wrong with it.
func NormalizeCode(s string) (string, CodeProblem) {
	var sb strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '　' || r == '－':
			continue
		case r == 'O':
			r = '0'
		case r == 'I' || r == 'L':
			r = '1'
		}
		if r > 127 || strings.IndexByte(codeAlphabet, byte(r)) < 0 {
			return "", CodeMalformed
		}
		sb.WriteRune(r)
	}
	code := sb.String()
	if len(code) != CodeLength {
		return "", CodeMalformed
	}
	if luhn32(code, false) != 0 {
		return code, CodeMistyped
	}
	return code, CodeOK
}

// CodeHash is what the store keeps of a canonical code.
func CodeHash(code string) string {
	h := sha256.Sum256([]byte(code))
	return hex.EncodeToString(h[:])
}

// FormatCode writes a canonical code in groups of four for people:
// K7QM-2XPD-9RTA-HW3C-F.
func FormatCode(code string) string {
	var sb strings.Builder
	for i := 0; i < len(code); i += 4 {
		if i > 0 {
			sb.WriteByte('-')
		}
		sb.WriteString(code[i:min(i+4, len(code))])
	}
	return sb.String()
}
