package app

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

// The tokens of the JSON API (issue 16 item 1): one per integration,
// created by a town's administrator on the web for their town, scoped to
// the kinds of records it may write and to reading results, revocable. The
// secret is drawn from crypto/rand (256 bits), shown once and stored only
// as its SHA-256, like a session's; it is sent as
// "Authorization: Bearer gsapi_…". A session never authorizes the API and
// a token never opens a page: the two are kept in different tables and
// read by different code.

// APIStore keeps the tokens of the JSON API.
type APIStore interface {
	// CreateAPIToken stores a token by the hash of its secret, with the
	// audit entries made of it.
	// Expired tokens of its name are revoked, and audit is told their IDs.
	CreateAPIToken(ctx context.Context, t *gs.APIToken, hash string, audit func(t *gs.APIToken, replaced []int64) []gs.AuditEntry) error
	// APITokenByHash returns the token whose secret has the hash.
	APITokenByHash(ctx context.Context, hash string) (*gs.APIToken, error)
	// APITokens lists a town's tokens, live first.
	APITokens(ctx context.Context, town string) ([]gs.APIToken, error)
	// RevokeAPIToken revokes a live token of a town.
	RevokeAPIToken(ctx context.Context, town string, id int64, at time.Time, by string, audit ...gs.AuditEntry) error
	// TouchAPIToken records a use of a token, at most once per interval.
	TouchAPIToken(ctx context.Context, id int64, at time.Time, every time.Duration) error
}

// apiTokenPrefix starts every secret, so that a token is told from any
// other secret at a glance (and by secret scanners).
const apiTokenPrefix = "gsapi_"

// apiTouchEvery is how stale the recorded last use of a token may get
// before a request records it again.
const apiTouchEvery = time.Minute

// mayAdminTokens refuses anyone but a town's administrator.
func mayAdminTokens(u *gs.User) error {
	if u == nil || u.Role != gs.RoleTownAdmin || u.Town == "" {
		return gs.Errorf(gs.EFORBIDDEN, "只有镇街中心的管理员可以管理接口令牌。")
	}
	return nil
}

// NewAPIToken is a token just created, with its secret, which is shown
// this once.
type NewAPIToken struct {
	Token  gs.APIToken
	Secret string
}

// APITokenMonths are the terms a token may be created with, in months;
// DefaultAPITokenMonths is the one offered first.
var APITokenMonths = []int{3, 6, 12, 24}

const DefaultAPITokenMonths = 12

// CreateAPIToken creates a token of u's town (u its administrator) named
// name that may write the kinds listed (in any order; kept in DATA.md
// order) and, with read, read the town's results, valid for months (one of
// APITokenMonths; 0 for DefaultAPITokenMonths). The secret is returned
// once; the audit log records the creation.
func (s *Service) CreateAPIToken(ctx context.Context, u *gs.User, name string, write []string, read bool, months int) (*NewAPIToken, error) {
	if err := mayAdminTokens(u); err != nil {
		return nil, err
	}
	if months == 0 {
		months = DefaultAPITokenMonths
	}
	if !slices.Contains(APITokenMonths, months) {
		terms := make([]string, len(APITokenMonths))
		for i, m := range APITokenMonths {
			terms[i] = strconv.Itoa(m)
		}
		return nil, gs.FieldErrors{{Field: "months", Message: "有效期只能选 " + strings.Join(terms, "、") + " 个月", Value: strconv.Itoa(months)}}
	}
	now := s.now()
	t := gs.APIToken{Town: u.Town, Name: gs.TrimText(name), Read: read, CreatedAt: now, CreatedBy: Actor(ctx),
		ExpiresAt: now.AddDate(0, months, 0)}
	for _, k := range APIKinds() {
		if slices.Contains(write, k.Name) {
			t.Write = append(t.Write, k.Name)
		}
	}
	for _, k := range write {
		if !slices.Contains(t.Write, k) {
			return nil, gs.Errorf(gs.EINVALID, "未知的记录类别 %q。", k)
		}
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	raw := make([]byte, tokenBytes)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("create api token: %w", err)
	}
	secret := apiTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	err := s.DB.CreateAPIToken(ctx, &t, hashToken(raw), func(t *gs.APIToken, replaced []int64) []gs.AuditEntry {
		var entries []gs.AuditEntry
		for _, id := range replaced {
			old := gs.APIToken{ID: id, Town: t.Town}
			entries = append(entries, gs.AuditEntry{At: t.CreatedAt, Username: Actor(ctx), Action: gs.AuditAPITokenRevoked,
				Object: apiTokenObject(&old), Detail: "名称：" + t.Name + "；已过期，由同名的新令牌接替"})
		}
		return append(entries, gs.AuditEntry{At: t.CreatedAt, Username: Actor(ctx), Action: gs.AuditAPITokenCreated,
			Object: apiTokenObject(t), Detail: "名称：" + t.Name + "；" + APITokenScope(t) +
				"；有效期至 " + t.ExpiresAt.In(gs.CST).Format("2006-01-02 15:04")})
	})
	if err != nil {
		return nil, err
	}
	return &NewAPIToken{Token: t, Secret: secret}, nil
}

// apiTokenObject names a token in the audit log: apitoken:青山镇/3.
func apiTokenObject(t *gs.APIToken) string {
	return "apitoken:" + t.Town + "/" + strconv.FormatInt(t.ID, 10)
}

// APITokenScope words what a token may do: 写入：事件、登录；读取考核结果与预警.
func APITokenScope(t *gs.APIToken) string {
	var parts []string
	if len(t.Write) > 0 {
		names := make([]string, len(t.Write))
		for i, k := range t.Write {
			names[i] = gs.KindName[k]
		}
		parts = append(parts, "写入："+strings.Join(names, "、"))
	}
	if t.Read {
		parts = append(parts, "读取考核结果与预警")
	}
	return strings.Join(parts, "；")
}

// APITokens lists the tokens of u's town (u its administrator): the live
// ones first, newest first, then the revoked ones.
func (s *Service) APITokens(ctx context.Context, u *gs.User) ([]gs.APIToken, error) {
	if err := mayAdminTokens(u); err != nil {
		return nil, err
	}
	return s.DB.APITokens(ctx, u.Town)
}

// RevokeAPIToken revokes token id of u's town (u its administrator): it
// authorizes nothing from then on. The audit log records it.
func (s *Service) RevokeAPIToken(ctx context.Context, u *gs.User, id int64) error {
	if err := mayAdminTokens(u); err != nil {
		return err
	}
	ts, err := s.DB.APITokens(ctx, u.Town)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(ts, func(t gs.APIToken) bool { return t.ID == id })
	if i < 0 {
		return gs.Errorf(gs.ENOTFOUND, "没有找到这个接口令牌。")
	}
	now := s.now()
	return s.DB.RevokeAPIToken(ctx, u.Town, id, now, Actor(ctx), gs.AuditEntry{At: now, Username: Actor(ctx),
		Action: gs.AuditAPITokenRevoked, Object: apiTokenObject(&ts[i]), Detail: "名称：" + ts[i].Name})
}

// errAPIToken is the answer to a request without a live token.
func errAPIToken() error {
	return gs.Errorf(gs.EUNAUTHORIZED, "缺少有效的接口令牌：请在请求头中发送 Authorization: Bearer <令牌>；令牌由镇街管理员在「账号 · 接口令牌」页创建，吊销后不能再用。")
}

// APITokenOf returns the live token whose secret is given (as sent in the
// Authorization header, after "Bearer ") and records its use. Anything
// else — a malformed secret, an unknown one, a revoked token — is
// EUNAUTHORIZED, alike.
func (s *Service) APITokenOf(ctx context.Context, secret string) (*gs.APIToken, error) {
	hash, ok := tokenHash(strings.TrimPrefix(secret, apiTokenPrefix))
	if !ok || !strings.HasPrefix(secret, apiTokenPrefix) {
		return nil, errAPIToken()
	}
	t, err := s.DB.APITokenByHash(ctx, hash)
	if gs.ErrorCode(err) == gs.ENOTFOUND {
		return nil, errAPIToken()
	} else if err != nil {
		return nil, err
	}
	if t.Revoked() {
		return nil, errAPIToken()
	}
	now := s.now()
	if t.Expired(now) {
		return nil, gs.Errorf(gs.EUNAUTHORIZED, "接口令牌“%s”已于 %s 过期：请镇街管理员在「账号 · 接口令牌」页创建新令牌，换到接入的系统中。",
			t.Name, t.ExpiresAt.In(gs.CST).Format("2006-01-02 15:04"))
	}
	if now.Sub(t.LastUsedAt) >= apiTouchEvery {
		if err := s.DB.TouchAPIToken(ctx, t.ID, now, apiTouchEvery); err != nil {
			return nil, err
		}
	}
	return t, nil
}
