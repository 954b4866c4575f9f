package gridscore

import (
	"slices"
	"time"
)

// APIToken is the token of one integration with the JSON API (the grid
// app, the platform): created by a town's administrator for their town,
// it may write the records of the kinds listed (DATA.md names) and, when
// Read is set, read the town's results and warnings. The secret itself is
// shown once when the token is made and never stored: the store keeps its
// SHA-256.
type APIToken struct {
	ID   int64
	Town string
	// Name says which integration uses it (网格E通); the audit log names
	// the token's writes by it.
	Name string
	// Write lists the kinds it may write, in DATA.md order.
	Write []string
	// Read lets it read results and warnings.
	Read      bool
	CreatedAt time.Time
	CreatedBy string
	// LastUsedAt is when it last authorized a request (zero: never).
	LastUsedAt time.Time
	// RevokedAt is when it was revoked (zero: it is live), by RevokedBy.
	RevokedAt time.Time
	RevokedBy string
	// ExpiresAt is the moment it stops authorizing anything (zero: never,
	// a token created before tokens expired).
	ExpiresAt time.Time
}

// Expired reports whether t no longer authorizes anything at now for
// having expired.
func (t *APIToken) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// APITokenNameText is the rule of a token's name.
var APITokenNameText = NameText

// Validate checks a new token's name, town and scopes: a name, one town,
// kinds of DATA.md each once, and some permission at all.
func (t *APIToken) Validate() error {
	switch {
	case t.Name == "":
		return Errorf(EINVALID, "请填写令牌名称，如“网格E通”")
	case CheckText(t.Name, APITokenNameText) != "":
		return Errorf(EINVALID, "名称%s", CheckText(t.Name, APITokenNameText))
	case t.Town == "":
		return Errorf(EINVALID, "接口令牌必须属于一个镇街")
	case len(t.Write) == 0 && !t.Read:
		return Errorf(EINVALID, "请至少选择一类可写入的记录，或允许读取考核结果")
	}
	for i, k := range t.Write {
		if KindName[k] == "" || slices.Contains(t.Write[:i], k) {
			return Errorf(EINVALID, "未知或重复的记录类别 %q", k)
		}
	}
	return nil
}

// Revoked reports whether the token no longer authorizes anything.
func (t *APIToken) Revoked() bool { return !t.RevokedAt.IsZero() }

// MayWrite reports whether the token may write records of kind.
func (t *APIToken) MayWrite(kind string) bool { return slices.Contains(t.Write, kind) }

// AuditName is how the audit log names the token as the one who acts:
// 接口：网格E通.
func (t *APIToken) AuditName() string { return APIActorPrefix + t.Name }

// APIActorPrefix starts the name of every token acting in the audit log.
const APIActorPrefix = "接口："
