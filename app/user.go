package app

import (
	"context"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
)

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
func createdEntry(ctx context.Context, u *gs.User) gs.AuditEntry {
	detail := "角色：" + gs.RoleName[u.Role]
	if u.Town != "" {
		detail += "，镇街：" + u.Town
	}
	if u.WorkerID != "" {
		detail += "，工号：" + u.WorkerID
	}
	return gs.AuditEntry{At: u.CreatedAt, Username: Actor(ctx), Action: gs.AuditUserCreated,
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
	return a.DB.SetPasswordHash(ctx, username, hash, mustChange, gs.AuditEntry{
		At: a.now(), Username: Actor(ctx), Action: gs.AuditPasswordChanged, Object: "user:" + username, Detail: detail})
}

// SetDisabled disables an account, ending its sessions, or enables it
// again. ENOTFOUND if there is no such account.
func (a *Auth) SetDisabled(ctx context.Context, username string, disabled bool) error {
	action := gs.AuditUserEnabled
	if disabled {
		action = gs.AuditUserDisabled
	}
	return a.DB.SetUserDisabled(ctx, username, disabled, gs.AuditEntry{
		At: a.now(), Username: Actor(ctx), Action: action, Object: "user:" + username})
}

// Users lists the accounts by username.
func (a *Auth) Users(ctx context.Context) ([]gs.User, error) {
	return a.DB.Users(ctx)
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
