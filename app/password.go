package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	gs "github.com/gridscore/gridscore"
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 8

// maxPasswordLength bounds the work of hashing a password, in bytes.
const maxPasswordLength = 1024

// checkPassword enforces the password rules.
func checkPassword(password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return gs.Errorf(gs.EINVALID, "密码至少需要 %d 个字符", MinPasswordLength)
	}
	if len(password) > maxPasswordLength {
		return gs.Errorf(gs.EINVALID, "密码过长，不能超过 %d 个字节", maxPasswordLength)
	}
	return nil
}

// passwordAlphabet has no characters that are easily confused (0/O, 1/l/I).
const passwordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"

// RandomPassword returns a new random password of 16 characters (about 92
// bits), easy to read aloud and to type.
func RandomPassword() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(passwordAlphabet)))
	for range 16 {
		i, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", fmt.Errorf("random password: %w", err)
		}
		b.WriteByte(passwordAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// slipAlphabet is the alphabet of the passwords printed on slips: lower
// case letters and digits (no shift key on a phone's keyboard), none that
// are easily confused (0/o, 1/l/i).
const slipAlphabet = "abcdefghjkmnpqrstuvwxyz23456789"

// SlipPasswordLength is the length of a slip's password: 31^8 (about 40
// bits) is enough for a one-time password that must be changed at the
// first login, behind the login's lock after repeated failures.
const SlipPasswordLength = 8

// SlipPassword returns a short one-time password to print on a slip and
// type on a phone.
func SlipPassword() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(slipAlphabet)))
	for range SlipPasswordLength {
		i, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", fmt.Errorf("slip password: %w", err)
		}
		b.WriteByte(slipAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// The argon2id parameters of new hashes (OWASP's recommendation: 19 MiB,
// two passes, one lane). Stored hashes carry their own, so these can grow.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// HashPassword returns the argon2id hash of password in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without
// padding.
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime,
		argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// dummyHash is checked against when there is no account (or it is
// disabled), so that an unknown username costs the same time and memory
// as a wrong password. It is made at the first login, not at every start
// of the program.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no such account")
	if err != nil {
		return "" // verifying against it fails fast; only timing suffers
	}
	return h
})

// verifyPassword reports whether password matches an encoded argon2id
// hash, comparing in constant time; an error means the hash is malformed.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false, fmt.Errorf("password hash: not an argon2id hash of version %d", argon2.Version)
	}
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, fmt.Errorf("password hash: parameters %q: %w", parts[3], err)
	}
	if memory == 0 || memory > 1<<21 || passes == 0 || passes > 100 || threads == 0 {
		return false, fmt.Errorf("password hash: parameters %q out of range", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 1024 {
		return false, fmt.Errorf("password hash: key is malformed")
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
