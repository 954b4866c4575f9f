package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// errSessionGone is the answer to a session that is unknown, expired or
// idle too long.
func errSessionGone() error { return gs.Errorf(gs.EUNAUTHORIZED, "登录已过期，请重新登录") }

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
		CreatedAt: now, LastSeenAt: now, ExpiresAt: a.expiry(now, now)})
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return "", gs.Errorf(gs.EUNAUTHORIZED, "账号不存在或已停用")
	} else if err != nil {
		return "", err
	}
	return token, nil
}

// SessionUser returns the account of a live session at now and extends the
// session to now+IdleTimeout, but never past MaxLifetime after its login.
// An unknown or malformed token, a session expired, unused for IdleTimeout
// or older than MaxLifetime, and a disabled account are all
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
	if u.Disabled || !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(idle)) || !now.Before(s.CreatedAt.Add(a.maxLifetime())) {
		return nil, errSessionGone()
	}
	if now.Sub(s.LastSeenAt) >= min(touchEvery, idle/4) {
		err := a.DB.TouchSession(ctx, hash, now, a.expiry(s.CreatedAt, now))
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
