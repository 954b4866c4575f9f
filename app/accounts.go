package app

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// Account management by a town's administrator (the web's /accounts): list
// the town's accounts, create one with a one-time password, reset a
// password, unlock, disable or enable, and move an account between
// administrator and staff. Every method checks that the caller is the
// administrator of the town the account belongs to, is one transaction
// with its audit entry, and never leaves the town without an enabled
// administrator.

// The fields of the account form, as a FieldError names them.
const (
	FieldUsername    = "username"
	FieldDisplayName = "display_name"
	FieldRole        = "role"
	FieldWorker      = "worker_id"
)

// FieldError is a refusal caused by one field of a form, so that the web
// can show the message beside that field. Its code is Err's.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap lets gs.ErrorCode and gs.ErrorMessage read Err.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Err: gs.Errorf(gs.EINVALID, format, args...)}
}

// Account is an account as its town's administrator sees it.
type Account struct {
	gs.User
	// Locked is set while repeated failed logins lock the account, until
	// LockedUntil.
	Locked      bool
	LockedUntil time.Time
	// LastLogin is the last successful login (zero when never).
	LastLogin time.Time
	// WorkerName is the name of the linked worker, if any.
	WorkerName string
}

// TownAccounts lists the accounts of admin's town at now, by username.
func (a *Auth) TownAccounts(ctx context.Context, admin *gs.User, now time.Time) ([]Account, error) {
	if err := needTownAdmin(admin); err != nil {
		return nil, err
	}
	rows, err := a.DB.TownAccounts(ctx, admin.Town, gs.AuditLogin)
	if err != nil {
		return nil, err
	}
	names, err := a.workerNames(ctx, admin.Town)
	if err != nil {
		return nil, err
	}
	out := make([]Account, len(rows))
	for i, r := range rows {
		out[i] = Account{User: r.User, LockedUntil: r.LockedUntil, LastLogin: r.LastLogin,
			Locked: !r.LockedUntil.IsZero() && now.Before(r.LockedUntil), WorkerName: names[r.WorkerID]}
	}
	return out, nil
}

// TownWorker is a worker of a town that an account may be linked to.
type TownWorker struct {
	ID, Name string
	// HasAccount is set when an account is linked to the worker already.
	HasAccount bool
}

// TownWorkers lists the workers of admin's town by id, each telling
// whether an account is linked to it, for the account form.
func (a *Auth) TownWorkers(ctx context.Context, admin *gs.User) ([]TownWorker, error) {
	if err := needTownAdmin(admin); err != nil {
		return nil, err
	}
	ws, err := a.DB.GridWorkers(ctx, admin.Town)
	if err != nil {
		return nil, err
	}
	users, err := a.DB.Users(ctx)
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	for _, u := range users {
		if u.WorkerID != "" {
			linked[u.WorkerID] = true
		}
	}
	out := make([]TownWorker, len(ws))
	for i, w := range ws {
		out[i] = TownWorker{ID: w.ID, Name: w.Name, HasAccount: linked[w.ID]}
	}
	return out, nil
}

// workerNames maps the ids of town's workers to their names.
func (a *Auth) workerNames(ctx context.Context, town string) (map[string]string, error) {
	ws, err := a.DB.GridWorkers(ctx, town)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(ws))
	for _, w := range ws {
		names[w.ID] = w.Name
	}
	return names, nil
}

// needTownAdmin checks that u is the administrator of a town (theirs).
func needTownAdmin(u *gs.User) error {
	if u == nil || u.Town == "" {
		return needAdmin(nil, "")
	}
	return needAdmin(u, u.Town)
}

// CreateAccount creates an account of admin's town: an administrator,
// a staff member or a grid worker linked to a worker of the town. The
// system draws a one-time password, returned to be shown once, which the
// account must change at its first login. A mistake in a field is a
// *FieldError naming it.
func (a *Auth) CreateAccount(ctx context.Context, admin *gs.User, u gs.User) (string, error) {
	if err := needTownAdmin(admin); err != nil {
		return "", err
	}
	u.Username = gs.TrimText(u.Username)
	u.DisplayName = gs.TrimText(u.DisplayName)
	u.WorkerID = gs.TrimText(u.WorkerID)
	u.Town, u.Disabled, u.MustChangePassword = admin.Town, false, true
	if err := checkUsername(u.Username); err != nil {
		return "", err
	}
	if msg := gs.CheckText(u.DisplayName, gs.DisplayNameText); msg != "" {
		return "", fieldErr(FieldDisplayName, "姓名%s。", msg)
	}
	if msg := gs.CheckText(u.WorkerID, gs.CodeText); msg != "" {
		return "", fieldErr(FieldWorker, "工号%s。", msg)
	}
	switch u.Role {
	case gs.RoleTownAdmin, gs.RoleTownStaff:
		u.WorkerID = ""
	case gs.RoleWorker:
		if u.WorkerID == "" {
			return "", fieldErr(FieldWorker, "网格员账号须关联本镇街的一名网格员，请填写工号。")
		}
	default:
		return "", fieldErr(FieldRole, "请选择角色：管理员、工作人员或网格员。")
	}
	users, err := a.DB.Users(ctx)
	if err != nil {
		return "", err
	}
	for _, o := range users {
		if o.Username == u.Username {
			return "", &FieldError{Field: FieldUsername, Err: gs.Errorf(gs.ECONFLICT, "用户名“%s”已被使用。", u.Username)}
		}
		if u.WorkerID != "" && o.WorkerID == u.WorkerID {
			return "", &FieldError{Field: FieldWorker, Err: gs.Errorf(gs.ECONFLICT, "工号 %s 已有账号“%s”。", u.WorkerID, o.Username)}
		}
	}
	if u.Role == gs.RoleWorker {
		names, err := a.workerNames(ctx, admin.Town)
		if err != nil {
			return "", err
		}
		name, ok := names[u.WorkerID]
		if !ok {
			return "", fieldErr(FieldWorker, "本镇街没有工号为“%s”的网格员。", u.WorkerID)
		}
		if u.DisplayName == "" {
			u.DisplayName = name
		}
	}
	password, err := RandomPassword()
	if err != nil {
		return "", err
	}
	if err := a.CreateUser(ctx, &u, password); err != nil {
		return "", err
	}
	return password, nil
}

// Slip is a new worker's account with its one-time password, to print and
// hand to the worker.
type Slip struct {
	WorkerID, Name, Username, Password string
}

// WorkerAccounts creates at once an account for every worker of admin's
// town who has none: the username is the worker's id (工号), the display
// name theirs, the password a short one-time SlipPassword that must be
// changed at the first login. All are created in one transaction, each
// with its audit entry; the slips, by worker id, carry the passwords,
// which are shown once. A worker whose id is the username of another
// account is left out, with a note. No worker without an account: no
// slips.
func (a *Auth) WorkerAccounts(ctx context.Context, admin *gs.User) (slips []Slip, notes []string, err error) {
	if err := needTownAdmin(admin); err != nil {
		return nil, nil, err
	}
	workers, err := a.TownWorkers(ctx, admin)
	if err != nil {
		return nil, nil, err
	}
	users, err := a.DB.Users(ctx)
	if err != nil {
		return nil, nil, err
	}
	taken := map[string]bool{}
	for _, u := range users {
		taken[u.Username] = true
	}
	now := a.now().Truncate(time.Second)
	var us []*gs.User
	for _, w := range workers {
		if w.HasAccount {
			continue
		}
		if taken[w.ID] || checkUsername(w.ID) != nil {
			notes = append(notes, fmt.Sprintf("网格员 %s %s：用户名“%s”已被其他账号使用，请在下方“新建账号”中另取用户名。", w.ID, w.Name, w.ID))
			continue
		}
		us = append(us, &gs.User{Username: w.ID, DisplayName: w.Name, Role: gs.RoleWorker, Town: admin.Town,
			WorkerID: w.ID, MustChangePassword: true, CreatedAt: now})
	}
	if len(us) == 0 {
		return nil, notes, nil
	}
	slips = make([]Slip, len(us))
	hashes := make([]string, len(us))
	audit := make([]gs.AuditEntry, len(us))
	for i, u := range us {
		if err := u.Validate(); err != nil {
			return nil, nil, err
		}
		p, err := SlipPassword()
		if err != nil {
			return nil, nil, err
		}
		slips[i] = Slip{WorkerID: u.WorkerID, Name: u.DisplayName, Username: u.Username, Password: p}
		audit[i] = createdEntry(ctx, u)
		audit[i].Detail += "，批量开通，一次性密码已打印"
	}
	// Hashing is slow by design (argon2id, 19 MiB): a town's hundreds of
	// passwords are hashed on every processor.
	errs := make([]error, len(slips))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(slips)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				hashes[i], errs[i] = HashPassword(slips[i].Password)
			}
		}()
	}
	for i := range slips {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	if err := a.DB.CreateUsers(ctx, us, hashes, audit...); err != nil {
		return nil, nil, err
	}
	return slips, notes, nil
}

// checkUsername enforces the form of a new username: not empty, at most
// 64 bytes, not dots alone, no spaces, control characters or slashes (it
// appears in addresses and in the audit log).
func checkUsername(name string) error {
	switch {
	case name == "":
		return fieldErr(FieldUsername, "请填写用户名。")
	case len(name) > 64:
		return fieldErr(FieldUsername, "用户名不能超过 64 个字符。")
	case strings.Trim(name, ".") == "":
		return fieldErr(FieldUsername, "用户名不能只由“.”组成。")
	case strings.ContainsFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '/' || r == '\\' || r == '?' || r == '#' || r == '%'
	}):
		return fieldErr(FieldUsername, "用户名不能包含空格或 / \\ ? # %% 等符号。")
	}
	if msg := gs.CheckText(name, gs.CodeText); msg != "" {
		return fieldErr(FieldUsername, "用户名%s。", msg)
	}
	return nil
}

// ResetPassword gives an account of admin's town a new one-time password,
// returned to be shown once: the account must change it at its next
// login. It also unlocks the account and ends its sessions. An
// administrator changes their own password on the password page instead.
func (a *Auth) ResetPassword(ctx context.Context, admin *gs.User, username string) (string, error) {
	if err := needTownAdmin(admin); err != nil {
		return "", err
	}
	if username == admin.Username {
		return "", gs.Errorf(gs.EINVALID, "不能重置自己的密码，请在「修改密码」页修改。")
	}
	password, err := RandomPassword()
	if err != nil {
		return "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return "", err
	}
	err = a.change(ctx, admin, username, store.AccountChange{PasswordHash: hash, MustChange: true},
		gs.AuditPasswordReset, "管理员重置了密码，一次性密码须在下次登录时修改")
	if err != nil {
		return "", err
	}
	return password, nil
}

// Unlock lifts the lock that repeated failed logins put on an account of
// admin's town.
func (a *Auth) Unlock(ctx context.Context, admin *gs.User, username string) error {
	if err := needTownAdmin(admin); err != nil {
		return err
	}
	return a.change(ctx, admin, username, store.AccountChange{Unlock: true}, gs.AuditUserUnlocked, "")
}

// SetAccountDisabled disables an account of admin's town (ending its
// sessions) or enables it. Disabling the town's last enabled
// administrator, oneself included, is refused.
func (a *Auth) SetAccountDisabled(ctx context.Context, admin *gs.User, username string, disabled bool) error {
	if err := needTownAdmin(admin); err != nil {
		return err
	}
	action := gs.AuditUserEnabled
	if disabled {
		action = gs.AuditUserDisabled
	}
	return a.change(ctx, admin, username, store.AccountChange{Disabled: &disabled}, action, "")
}

// SetAccountRole makes an account of admin's town an administrator or a
// staff member. A grid worker's account keeps its role; demoting the
// town's last enabled administrator, oneself included, is refused.
func (a *Auth) SetAccountRole(ctx context.Context, admin *gs.User, username string, role gs.Role) error {
	if err := needTownAdmin(admin); err != nil {
		return err
	}
	if role != gs.RoleTownAdmin && role != gs.RoleTownStaff {
		return gs.Errorf(gs.EINVALID, "只能设为管理员或工作人员。")
	}
	u, err := a.DB.UserByUsername(ctx, username)
	if err != nil {
		return err
	}
	if u.Town != admin.Town {
		return gs.Errorf(gs.ENOTFOUND, "用户“%s”不存在", username)
	}
	if u.Role == gs.RoleWorker {
		return gs.Errorf(gs.EINVALID, "网格员账号不能改为镇中心账号，请为此人另建账号。")
	}
	if u.Role == role {
		return nil
	}
	return a.change(ctx, admin, username, store.AccountChange{Role: role}, gs.AuditUserRoleChange,
		"角色："+gs.RoleName[u.Role]+" → "+gs.RoleName[role])
}

// change applies c to the account of admin's town with an audit entry.
func (a *Auth) change(ctx context.Context, admin *gs.User, username string, c store.AccountChange, action, detail string) error {
	return a.DB.ChangeTownAccount(ctx, admin.Town, username, c, gs.AuditEntry{
		At: a.now(), Username: Actor(ctx), Action: action, Object: "user:" + username, Detail: detail})
}
