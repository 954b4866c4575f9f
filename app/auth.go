package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// Auth is the account and session service (gridscore.AuthService) on one
// store. The login counters, locks and sessions are in the database, so
// several servers on one database share them. The zero value of each
// setting means its default.
type Auth struct {
	DB *store.DB
	// IdleTimeout ends a session unused this long (default 30 minutes).
	IdleTimeout time.Duration
	// MaxFailures is how many consecutive failed logins lock an account
	// (default 5).
	MaxFailures int
	// LockFor is how long a locked account stays locked (default 15
	// minutes).
	LockFor time.Duration
	// Now is the clock for the calls that take no time argument (creating
	// accounts, changing passwords); default time.Now.
	Now func() time.Time
}

var _ gs.AuthService = (*Auth)(nil)

// The defaults of Auth's settings.
const (
	DefaultIdleTimeout = 30 * time.Minute
	DefaultMaxFailures = 5
	DefaultLockFor     = 15 * time.Minute
)

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 8

// maxPasswordLength bounds the work of hashing a password, in bytes.
const maxPasswordLength = 1024

// Actors recorded in the audit log when no account acts.
const (
	// ActorSystem is the program itself (the first administrator).
	ActorSystem = "系统"
	// ActorCommandLine is whoever ran `gridscore user`.
	ActorCommandLine = "命令行"
)

type actorKey struct{}

// WithActor returns a context that names who acts (a username, or
// ActorCommandLine), for the audit log of the calls made with it. The web
// layer sets it to the logged-in user.
func WithActor(ctx context.Context, username string) context.Context {
	return context.WithValue(ctx, actorKey{}, username)
}

// Actor returns who acts in ctx, ActorSystem when nobody was named.
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return ActorSystem
}

// positiveOr returns v, or def when v is not positive (a setting left zero).
func positiveOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (a *Auth) idleTimeout() time.Duration { return positiveOr(a.IdleTimeout, DefaultIdleTimeout) }
func (a *Auth) maxFailures() int           { return positiveOr(a.MaxFailures, DefaultMaxFailures) }
func (a *Auth) lockFor() time.Duration     { return positiveOr(a.LockFor, DefaultLockFor) }

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// errBadLogin is the one answer to every failed login that is not a lock,
// so that nobody learns which usernames exist.
func errBadLogin() error { return gs.Errorf(gs.EUNAUTHORIZED, "用户名或密码错误") }

// errLocked is the answer while an account is locked, rounded up to whole
// minutes.
func errLocked(until, now time.Time) error {
	minutes := int((until.Sub(now) + time.Minute - 1) / time.Minute)
	return gs.Errorf(gs.EFORBIDDEN, "登录失败次数过多，账号已锁定，请 %d 分钟后再试", max(minutes, 1))
}

// errSessionGone is the answer to a session that is unknown, expired or
// idle too long.
func errSessionGone() error { return gs.Errorf(gs.EUNAUTHORIZED, "登录已过期，请重新登录") }

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

// CreateUser validates u and the password, stores the account with the
// password's argon2id hash and sets u.ID and u.CreatedAt. A username or
// worker already taken is ECONFLICT. The audit log names Actor(ctx).
func (a *Auth) CreateUser(ctx context.Context, u *gs.User, password string) error {
	u.Username = strings.TrimSpace(u.Username)
	if err := u.Validate(); err != nil {
		return err
	}
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	u.CreatedAt = a.now().Truncate(time.Second)
	return a.DB.CreateUser(ctx, u, hash, createdEntry(ctx, u))
}

// createdEntry is the audit entry of a new account.
func createdEntry(ctx context.Context, u *gs.User) store.AuditEntry {
	detail := "角色：" + gs.RoleName[u.Role]
	if u.Town != "" {
		detail += "，镇街：" + u.Town
	}
	if u.WorkerID != "" {
		detail += "，工号：" + u.WorkerID
	}
	return store.AuditEntry{At: u.CreatedAt, Username: Actor(ctx), Action: gs.AuditUserCreated,
		Object: "user:" + u.Username, Detail: detail}
}

// SetPassword replaces the account's password and sets MustChangePassword
// to mustChange. It also unlocks the account and ends all its sessions,
// including the caller's: after a user changes their own password the web
// layer starts a new session for them. ENOTFOUND if there is no such
// account.
func (a *Auth) SetPassword(ctx context.Context, username, password string, mustChange bool) error {
	if err := checkPassword(password); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	detail := "设置了新密码"
	if mustChange {
		detail = "设置了临时密码，下次登录须修改"
	}
	return a.DB.SetPasswordHash(ctx, username, hash, mustChange, store.AuditEntry{
		At: a.now(), Username: Actor(ctx), Action: gs.AuditPasswordChanged, Object: "user:" + username, Detail: detail})
}

// SetDisabled disables an account, ending its sessions, or enables it
// again. ENOTFOUND if there is no such account.
func (a *Auth) SetDisabled(ctx context.Context, username string, disabled bool) error {
	action := gs.AuditUserEnabled
	if disabled {
		action = gs.AuditUserDisabled
	}
	return a.DB.SetUserDisabled(ctx, username, disabled, store.AuditEntry{
		At: a.now(), Username: Actor(ctx), Action: action, Object: "user:" + username})
}

// Users lists the accounts by username.
func (a *Auth) Users(ctx context.Context) ([]gs.User, error) {
	return a.DB.Users(ctx)
}

// Authenticate checks a username and password at time now and returns the
// account. An unknown username, a wrong password and a disabled account
// all get the same EUNAUTHORIZED error, after the same work of hashing; the
// MaxFailures-th consecutive failure locks the account for LockFor, and
// while it is locked even the right password gets EFORBIDDEN with the
// minutes left. A success clears the count. Every outcome is audited.
func (a *Auth) Authenticate(ctx context.Context, username, password string, now time.Time) (*gs.User, error) {
	username = strings.TrimSpace(username)
	audit := func(action, detail string) store.AuditEntry {
		return store.AuditEntry{At: now, Username: truncate(username, 64), Action: action,
			Object: "user:" + truncate(username, 64), Detail: detail}
	}
	if username == "" || password == "" || len(password) > maxPasswordLength {
		return nil, errBadLogin()
	}
	att, err := a.DB.BeginLogin(ctx, username, now, a.maxFailures(), a.lockFor())
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		burnHash(password) // the same work as for an account
		return nil, a.failed(ctx, audit(gs.AuditLoginFailed, "用户名不存在"))
	} else if err != nil {
		return nil, err
	}
	switch {
	case att.User.Disabled:
		burnHash(password)
		return nil, a.failed(ctx, audit(gs.AuditLoginFailed, "账号已停用"))
	case att.Locked:
		if err := a.DB.AppendAuditEntries(ctx, audit(gs.AuditLoginFailed, "账号锁定期间尝试登录")); err != nil {
			return nil, err
		}
		return nil, errLocked(att.LockedUntil, now)
	}
	ok, err := verifyPassword(att.PasswordHash, password)
	if err != nil {
		return nil, fmt.Errorf("authenticate %s: %w", username, err)
	}
	if !ok {
		entries := []store.AuditEntry{audit(gs.AuditLoginFailed, "密码错误")}
		if att.Locks {
			entries = append(entries, audit(gs.AuditAccountLocked,
				fmt.Sprintf("连续 %d 次登录失败，锁定至 %s", a.maxFailures(), att.LockedUntil.In(gs.CST).Format("2006-01-02 15:04:05"))))
		}
		if err := a.DB.AppendAuditEntries(ctx, entries...); err != nil {
			return nil, err
		}
		if att.Locks {
			return nil, errLocked(att.LockedUntil, now)
		}
		return nil, errBadLogin()
	}
	if err := a.DB.LoginSucceeded(ctx, att.User.ID, audit(gs.AuditLogin, "")); gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errBadLogin() // disabled or deleted meanwhile
	} else if err != nil {
		return nil, err
	}
	return &att.User, nil
}

// failed records a failed login and returns the error to answer with.
func (a *Auth) failed(ctx context.Context, e store.AuditEntry) error {
	if err := a.DB.AppendAuditEntries(ctx, e); err != nil {
		return err
	}
	return errBadLogin()
}

// truncate cuts s to at most n bytes on a character boundary (a username
// typed at the login form may be anything).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// tokenBytes is the length of a session token before encoding.
const tokenBytes = 32

// CreateSession starts a session for the account at now and returns its
// token (43 URL-safe characters for a cookie); only its SHA-256 is stored.
// The web layer calls it at every login and deletes the session of the old
// cookie, so a login always gets a new token.
func (a *Auth) CreateSession(ctx context.Context, userID int64, now time.Time) (string, error) {
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw)
	err := a.DB.CreateSession(ctx, store.Session{TokenHash: hashToken(raw), UserID: userID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(a.idleTimeout())})
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return "", gs.Errorf(gs.EUNAUTHORIZED, "账号不存在或已停用")
	} else if err != nil {
		return "", err
	}
	return token, nil
}

// SessionUser returns the account of a live session at now and extends the
// session to now+IdleTimeout. An unknown or malformed token, a session
// expired or unused for IdleTimeout, and a disabled account are all
// EUNAUTHORIZED "登录已过期，请重新登录". To spare the database a write on
// every request, last use is recorded at most once per touchEvery, so a
// session may end up to that much earlier than IdleTimeout after the very
// last request.
func (a *Auth) SessionUser(ctx context.Context, token string, now time.Time) (*gs.User, error) {
	hash, ok := tokenHash(token)
	if !ok {
		return nil, errSessionGone()
	}
	s, u, err := a.DB.SessionByTokenHash(ctx, hash)
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errSessionGone()
	} else if err != nil {
		return nil, err
	}
	idle := a.idleTimeout()
	if u.Disabled || !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(idle)) {
		return nil, errSessionGone()
	}
	if now.Sub(s.LastSeenAt) >= min(touchEvery, idle/4) {
		err := a.DB.TouchSession(ctx, hash, now, now.Add(idle))
		if gs.ErrorCode(err) == gs.ENOTFOUND {
			return nil, errSessionGone() // logged out or expired meanwhile
		} else if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// touchEvery is how stale the recorded last use of a session may get before
// a request records it again.
const touchEvery = time.Minute

// DeleteSession ends the session of the token (logout). An unknown token is
// not an error: the session is gone either way.
func (a *Auth) DeleteSession(ctx context.Context, token string) error {
	hash, ok := tokenHash(token)
	if !ok {
		return nil
	}
	return a.DB.DeleteSession(ctx, hash)
}

// DeleteExpiredSessions removes the sessions expired at now, for the server
// to call now and then; it returns how many there were.
func (a *Auth) DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error) {
	return a.DB.DeleteExpiredSessions(ctx, now)
}

// tokenHash decodes a token and returns the hex SHA-256 under which its
// session is stored; ok is false for anything that is not a token.
func tokenHash(token string) (hash string, ok bool) {
	if len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return "", false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	return hashToken(raw), true
}

func hashToken(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// EnsureAdmin creates the first account when there is none at all: admin,
// administrator of town, with a random one-time password that must be
// changed at the first login. It returns the password, for the server to
// print once, and whether it created the account; with any account already
// there it does nothing. Two servers starting at once create one admin.
func (a *Auth) EnsureAdmin(ctx context.Context, town string, now time.Time) (password string, created bool, err error) {
	u := &gs.User{Username: "admin", DisplayName: "管理员", Role: gs.RoleTownAdmin, Town: town,
		MustChangePassword: true, CreatedAt: now.Truncate(time.Second)}
	if err := u.Validate(); err != nil {
		return "", false, err
	}
	password, err = RandomPassword()
	if err != nil {
		return "", false, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", false, err
	}
	entry := createdEntry(ctx, u)
	entry.Username = ActorSystem
	entry.Detail += "（首次启动自动创建，一次性密码）"
	created, err = a.DB.CreateFirstUser(ctx, u, hash, entry)
	if err != nil || !created {
		return "", false, err
	}
	return password, true, nil
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

// dummyHash is checked against when there is no account, so that an
// unknown username costs the same time as a wrong password. It is made at
// the first such login, not at every start of the program.
var dummyHash = sync.OnceValue(func() string {
	h, err := HashPassword("no such account")
	if err != nil {
		return "" // verifying against it fails fast; only timing suffers
	}
	return h
})

// burnHash does the work of checking a password for an account that cannot
// log in.
func burnHash(password string) {
	_, _ = verifyPassword(dummyHash(), password) // the answer is always no
}

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
