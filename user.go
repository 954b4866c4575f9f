package gridscore

import (
	"context"
	"time"
)

// Role is what an account may do (issue 4: roles checked on every request).
type Role string

// The four roles.
const (
	// RoleDistrict (区中心) reads every town and receives filings.
	RoleDistrict Role = "district"
	// RoleTownAdmin (镇中心管理员) does everything in the town, including
	// finalize and reopen.
	RoleTownAdmin Role = "town_admin"
	// RoleTownStaff (镇中心工作人员) enters and reviews records and computes,
	// but does not finalize.
	RoleTownStaff Role = "town_staff"
	// RoleWorker (网格员) sees only their own records, results and appeals.
	RoleWorker Role = "worker"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleDistrict, RoleTownAdmin, RoleTownStaff, RoleWorker}

// User is an account. Town is the town a town role or a worker belongs to
// (empty for the district); WorkerID links a grid worker's account to their
// worker record. The password hash never leaves the store and the auth
// service.
type User struct {
	ID          int64
	Username    string
	DisplayName string
	Role        Role
	Town        string
	WorkerID    string
	Disabled    bool
	// MustChangePassword is set for a one-time password (the first
	// administrator's, or one reset by an administrator).
	MustChangePassword bool
	CreatedAt          time.Time
}

// Validate checks an account's fields, their texts by the rules of text
// (text.go): the username and the worker id are codes, the display name
// is a name.
func (u *User) Validate() error {
	switch {
	case u.Username == "" || len(u.Username) > 64:
		return Errorf(EINVALID, "用户名不能为空，且不超过 64 个字符")
	case CheckText(u.Username, CodeText) != "":
		return Errorf(EINVALID, "用户名%s", CheckText(u.Username, CodeText))
	case CheckText(u.DisplayName, DisplayNameText) != "":
		return Errorf(EINVALID, "姓名%s", CheckText(u.DisplayName, DisplayNameText))
	case CheckText(u.Town, TownText) != "":
		return Errorf(EINVALID, "镇街%s", CheckText(u.Town, TownText))
	case CheckText(u.WorkerID, CodeText) != "":
		return Errorf(EINVALID, "工号%s", CheckText(u.WorkerID, CodeText))
	case RoleName[u.Role] == "":
		return Errorf(EINVALID, "未知的角色 %q", u.Role)
	case u.Role != RoleDistrict && u.Town == "":
		return Errorf(EINVALID, "镇中心账号和网格员账号必须指定所属镇街")
	case u.Role == RoleWorker && u.WorkerID == "":
		return Errorf(EINVALID, "网格员账号必须关联工号")
	}
	return nil
}

// CanSeeTown reports whether the user may see the town's data at all.
func (u *User) CanSeeTown(town string) bool {
	return u.Role == RoleDistrict || u.Town == town
}

// CanSeeWorker reports whether the user may see the records and results of
// worker w (of the given town): staff of the town and the district see
// every worker, a grid worker only themself.
func (u *User) CanSeeWorker(workerID, town string) bool {
	if u.Role == RoleWorker {
		return u.WorkerID == workerID
	}
	return u.CanSeeTown(town)
}

// SeesPersonalData reports whether the user may see special-population names
// and ID numbers in full (only the town administrator).
func (u *User) SeesPersonalData() bool { return u.Role == RoleTownAdmin }

// AuthService manages accounts and sessions. Sessions live in the database
// so that several servers share them.
type AuthService interface {
	// CreateUser creates an account with the password (hashed with
	// argon2id; never stored in clear).
	CreateUser(ctx context.Context, u *User, password string) error
	// SetPassword replaces a password (and clears MustChangePassword when
	// mustChange is false).
	SetPassword(ctx context.Context, username, password string, mustChange bool) error
	// Users lists the accounts.
	Users(ctx context.Context) ([]User, error)
	// Authenticate checks a username and password sent from a client
	// address at time now. Repeated failures make the address wait (and,
	// from many addresses, lock the username); too many logins at once are
	// refused (ETOOMANY). Every answer is the same whether the username is
	// an account's or not, so that nobody learns which usernames exist.
	Authenticate(ctx context.Context, username, password, client string, now time.Time) (*User, error)
	// CreateSession starts a session for the user and returns its token
	// (only a hash of it is stored).
	CreateSession(ctx context.Context, userID int64, now time.Time) (string, error)
	// SessionUser returns the user of a live session and extends it; a
	// session idle longer than the inactivity limit is gone (EUNAUTHORIZED).
	SessionUser(ctx context.Context, token string, now time.Time) (*User, error)
	// DeleteSession ends a session (logout).
	DeleteSession(ctx context.Context, token string) error
}

// MaskName masks a personal name for people who do not need it in full:
// 张三 → 张*, 欧阳小明 → 欧***.
func MaskName(name string) string {
	r := []rune(name)
	if len(r) <= 1 {
		return name
	}
	out := string(r[0])
	for range r[1:] {
		out += "*"
	}
	return out
}

// MaskIDNumber masks an ID number, keeping the first six and last four
// characters: 110101199001011234 → 110101********1234.
func MaskIDNumber(id string) string {
	r := []rune(id)
	if len(r) <= 10 {
		out := ""
		for range r {
			out += "*"
		}
		return out
	}
	out := string(r[:6])
	for range r[6 : len(r)-4] {
		out += "*"
	}
	return out + string(r[len(r)-4:])
}
