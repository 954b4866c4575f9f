package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// accountAdmin is what the account pages need of the account service
// beyond gs.AuthService (app.Auth has it).
type accountAdmin interface {
	TownAccounts(ctx context.Context, admin *gs.User, now time.Time) ([]app.Account, error)
	TownWorkers(ctx context.Context, admin *gs.User) ([]app.TownWorker, error)
	CreateAccount(ctx context.Context, admin *gs.User, u gs.User) (string, error)
	ResetPassword(ctx context.Context, admin *gs.User, username string) (string, error)
	Unlock(ctx context.Context, admin *gs.User, username string) error
	SetAccountDisabled(ctx context.Context, admin *gs.User, username string, disabled bool) error
	SetAccountRole(ctx context.Context, admin *gs.User, username string, role gs.Role) error
	WorkerAccounts(ctx context.Context, admin *gs.User) ([]app.Slip, []string, error)
}

// accountsFor returns the account service for u, who must be a town's
// administrator.
func (s *Server) accountsFor(u *gs.User) (accountAdmin, error) {
	if u.Role != gs.RoleTownAdmin {
		return nil, forbidden("只有镇街中心的管理员可以管理账号。")
	}
	am, ok := s.Auth.(accountAdmin)
	if !ok {
		return nil, errors.New("web: the account service cannot manage accounts")
	}
	return am, nil
}

// AccountsPage is a town's accounts for its administrator: the list with
// the actions on each, and the form to create one. A one-time password
// just drawn is shown once, at the top.
type AccountsPage struct {
	Page
	Town string
	Rows []AccountRow
	Form AccountForm
	// Roles are the choices of the form's role.
	Roles []Option
	// Workers are the town's workers without an account, for the form.
	Workers []Option
	Issued  *IssuedPassword
	// Notice confirms the action just taken.
	Notice string
	// NoAccount is the number of the town's workers without an account,
	// for the form that creates theirs at once.
	NoAccount int
}

// IssuedPassword is a one-time password drawn for an account, shown once.
type IssuedPassword struct {
	Username, Password string
	// New is set for a new account, unset for a reset.
	New bool
}

// AccountRow is one account of the list.
type AccountRow struct {
	Username, DisplayName, Role, RoleName, WorkerID, WorkerName string
	LastLogin, LockedUntil, CreatedAt                           string
	Locked, Disabled, MustChange                                bool
	// Self is the administrator's own account.
	Self bool
	// Action is the prefix of the row's forms (/accounts/{username}/).
	Action string
	// Center is set for an administrator's or staff account, whose role
	// may change.
	Center bool
	// Error is the refusal of an action on this row.
	Error string
}

// AccountForm is the form to create an account, as typed, with the
// message beside each field.
type AccountForm struct {
	Username, DisplayName, Role, WorkerID string
	Errors                                AccountFormErrors
}

// AccountFormErrors are the messages beside each field of the form; Form
// is for the form as a whole.
type AccountFormErrors struct {
	Username, DisplayName, Role, WorkerID, Form string
}

// accountNotice confirms each action after its redirect.
var accountNotice = map[string]string{
	"unlock":  "已解除账号“%s”的锁定。",
	"disable": "已停用账号“%s”，该账号的登录已全部退出。",
	"enable":  "已启用账号“%s”。",
	"role":    "已变更账号“%s”的角色。",
}

// accountList is GET /accounts.
func (s *Server) accountList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	view := accountView{form: AccountForm{Role: string(gs.RoleTownStaff)}}
	q := r.URL.Query()
	if format, ok := accountNotice[q.Get("done")]; ok && q.Get("user") != "" {
		view.notice = strings.Replace(format, "%s", q.Get("user"), 1)
	}
	return s.accountsWith(w, r, u, http.StatusOK, view)
}

// accountView is what the accounts page shows beyond the list.
type accountView struct {
	form            AccountForm
	issued          *IssuedPassword
	notice          string
	rowUser, rowErr string
}

// accountsWith renders the accounts page of u's town with the status.
func (s *Server) accountsWith(w http.ResponseWriter, r *http.Request, u *gs.User, status int, v accountView) error {
	am, err := s.accountsFor(u)
	if err != nil {
		return err
	}
	accounts, err := am.TownAccounts(r.Context(), u, s.now())
	if err != nil {
		return err
	}
	workers, err := am.TownWorkers(r.Context(), u)
	if err != nil {
		return err
	}
	page := &AccountsPage{Page: s.page(u, u.Town+" 账号管理", "accounts"), Town: u.Town, Form: v.form,
		Issued: v.issued, Notice: v.notice}
	for _, role := range []gs.Role{gs.RoleTownStaff, gs.RoleWorker, gs.RoleTownAdmin} {
		page.Roles = append(page.Roles, Option{Value: string(role), Label: gs.RoleName[role], Selected: string(role) == v.form.Role})
	}
	for _, wk := range workers {
		if !wk.HasAccount {
			page.Workers = append(page.Workers, Option{Value: wk.ID, Label: wk.Name})
			page.NoAccount++
		}
	}
	for _, a := range accounts {
		row := AccountRow{
			Username: a.Username, DisplayName: a.DisplayName, Role: string(a.Role), RoleName: gs.RoleName[a.Role],
			WorkerID: a.WorkerID, WorkerName: a.WorkerName, LastLogin: fmtTime(a.LastLogin),
			CreatedAt: fmtTime(a.CreatedAt), Locked: a.Locked, Disabled: a.Disabled, MustChange: a.MustChangePassword,
			Self: a.Username == u.Username, Action: "/accounts/" + url.PathEscape(a.Username) + "/",
			Center: a.Role == gs.RoleTownAdmin || a.Role == gs.RoleTownStaff,
		}
		if a.Locked {
			row.LockedUntil = fmtTime(a.LockedUntil)
		}
		if a.Username == v.rowUser {
			row.Error = v.rowErr
		}
		page.Rows = append(page.Rows, row)
	}
	return s.render(w, r, status, "accounts", page)
}

// createAccount is POST /accounts: a new account of the administrator's
// town, with a one-time password shown once.
func (s *Server) createAccount(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	am, err := s.accountsFor(u)
	if err != nil {
		return err
	}
	form := AccountForm{
		Username:    strings.TrimSpace(r.PostFormValue("username")),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
		Role:        r.PostFormValue("role"),
		WorkerID:    strings.TrimSpace(r.PostFormValue("worker_id")),
	}
	password, err := am.CreateAccount(r.Context(), u, gs.User{Username: form.Username, DisplayName: form.DisplayName,
		Role: gs.Role(form.Role), WorkerID: form.WorkerID})
	switch gs.ErrorCode(err) {
	case "":
		issued := &IssuedPassword{Username: form.Username, Password: password, New: true}
		return s.accountsWith(w, r, u, http.StatusOK, accountView{form: AccountForm{Role: form.Role}, issued: issued})
	case gs.EINVALID, gs.ECONFLICT:
		msg := gs.ErrorMessage(err)
		var fe *app.FieldError
		field := ""
		if errors.As(err, &fe) {
			field = fe.Field
		}
		switch field {
		case app.FieldUsername:
			form.Errors.Username = msg
		case app.FieldDisplayName:
			form.Errors.DisplayName = msg
		case app.FieldRole:
			form.Errors.Role = msg
		case app.FieldWorker:
			form.Errors.WorkerID = msg
		default:
			form.Errors.Form = msg
		}
		return s.accountsWith(w, r, u, statusOf(err), accountView{form: form})
	}
	return err
}

// accountAction is POST /accounts/{username}/{action}: reset the password
// (the new one-time password shown once), unlock, disable, enable, or
// change the role (form field role).
func (s *Server) accountAction(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	am, err := s.accountsFor(u)
	if err != nil {
		return err
	}
	ctx, name, action := r.Context(), r.PathValue("username"), r.PathValue("action")
	switch action {
	case "reset":
		password, err := am.ResetPassword(ctx, u, name)
		if err == nil {
			issued := &IssuedPassword{Username: name, Password: password}
			return s.accountsWith(w, r, u, http.StatusOK, accountView{form: AccountForm{Role: string(gs.RoleTownStaff)}, issued: issued})
		}
		return s.accountRefused(w, r, u, name, err)
	case "unlock":
		err = am.Unlock(ctx, u, name)
	case "disable", "enable":
		err = am.SetAccountDisabled(ctx, u, name, action == "disable")
	case "role":
		err = am.SetAccountRole(ctx, u, name, gs.Role(r.PostFormValue("role")))
	default:
		return gs.Errorf(gs.ENOTFOUND, "没有这个操作。")
	}
	if err != nil {
		return s.accountRefused(w, r, u, name, err)
	}
	if action == "disable" && name == u.Username {
		// One's own sessions ended with the account.
		s.clearSessionCookie(w, r)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, "/accounts?"+url.Values{"done": {action}, "user": {name}}.Encode(), http.StatusSeeOther)
	return nil
}

// accountRefused shows the accounts page again with err beside the row of
// the account, when the person can do something about it.
func (s *Server) accountRefused(w http.ResponseWriter, r *http.Request, u *gs.User, name string, err error) error {
	switch gs.ErrorCode(err) {
	case gs.EINVALID, gs.ECONFLICT:
		return s.accountsWith(w, r, u, statusOf(err), accountView{form: AccountForm{Role: string(gs.RoleTownStaff)},
			rowUser: name, rowErr: gs.ErrorMessage(err)})
	}
	return err
}

// SlipsPage is the slips of the accounts just created for a town's
// workers, one to cut out per worker, with the one-time passwords shown
// this once.
type SlipsPage struct {
	Page
	Town  string
	Slips []app.Slip
	// Notes are the workers left out, and why.
	Notes []string
	// LoginURL is the address the workers log in at.
	LoginURL string
	// Created is when the accounts were created.
	Created string
}

// workerAccounts is POST /accounts/workers: an account for every worker
// of the administrator's town who has none, shown as printable slips. The
// page is the POST's answer, not a redirect: the passwords are not kept
// and cannot be shown again.
func (s *Server) workerAccounts(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	am, err := s.accountsFor(u)
	if err != nil {
		return err
	}
	slips, notes, err := am.WorkerAccounts(r.Context(), u)
	if err != nil {
		return err
	}
	if len(slips) == 0 {
		msg := "本镇街的网格员都已有账号，没有新建账号。"
		if len(notes) > 0 {
			msg = "没有新建账号：" + strings.Join(notes, "")
		}
		return s.accountsWith(w, r, u, http.StatusOK, accountView{form: AccountForm{Role: string(gs.RoleTownStaff)}, notice: msg})
	}
	// The address printed on the slips is the one people reach the site at
	// (siteURL: --public-url, or what a trusted proxy forwards), not the
	// plain-HTTP connection from a proxy in front.
	page := &SlipsPage{Page: s.page(u, u.Town+" 网格员账号密码条", "accounts"), Town: u.Town, Slips: slips, Notes: notes,
		LoginURL: s.siteURL(r) + "/login", Created: fmtTime(s.now())}
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, http.StatusOK, "account_slips", page)
}
