package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// sessionCookie is the name of the cookie that carries the session token.
const sessionCookie = "gridscore_session"

// maxFormBytes bounds the body of the small forms of this package.
const maxFormBytes = 64 << 10

// setSessionCookie gives the browser the session token: HttpOnly so that no
// script reads it, SameSite=Lax so that other sites' forms do not carry it,
// Secure when the request reached the site over HTTPS (overHTTPS). It
// lasts as long as the browser session; the server ends it after
// inactivity.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/",
		HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie removes the session cookie from the browser.
func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.overHTTPS(r), SameSite: http.SameSiteLaxMode,
	})
}

// sessionToken returns the request's session token, "" when it has none.
func sessionToken(r *http.Request) string {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return ""
	}
	return c.Value
}

// sessionUser returns the user of the request's session, or nil (and no
// error) when there is no live session; a dead session's cookie is removed.
func (s *Server) sessionUser(w http.ResponseWriter, r *http.Request) (*gs.User, error) {
	token := sessionToken(r)
	if token == "" {
		return nil, nil
	}
	u, err := s.Auth.SessionUser(r.Context(), token, s.now())
	switch gs.ErrorCode(err) {
	case "":
		return u, nil
	case gs.EUNAUTHORIZED, gs.ENOTFOUND:
		s.clearSessionCookie(w, r)
		return nil, nil
	default:
		return nil, err
	}
}

// LoginPage is the login form, shown again after a failed attempt with the
// message beside the form and the username kept.
type LoginPage struct {
	Page
	Username string
	// Next is the local path to go to after signing in.
	Next  string
	Error string
}

// loginForm shows the login form, or sends a signed-in user on.
func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessionUser(w, r)
	if err != nil {
		s.renderError(w, r, nil, err)
		return
	}
	next := localPath(r.URL.Query().Get("next"))
	if u != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.show(w, r, http.StatusOK, "login", &LoginPage{Page: Page{Title: "登录"}, Next: next})
}

// login checks the username and password, starts a new session (deleting
// the one the browser came with, so that a session token planted before
// login is worthless after it) and goes on to the page asked for.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, nil, gs.Errorf(gs.EINVALID, "表单内容有误，请重新填写。"))
		return
	}
	page := &LoginPage{
		Page:     Page{Title: "登录"},
		Username: strings.TrimSpace(r.PostForm.Get("username")),
		Next:     localPath(r.PostForm.Get("next")),
	}
	password := r.PostForm.Get("password")
	if page.Username == "" || password == "" {
		page.Error = "请输入用户名和密码。"
		s.show(w, r, http.StatusBadRequest, "login", page)
		return
	}
	now := s.now()
	u, err := s.Auth.Authenticate(r.Context(), page.Username, password, s.clientAddress(r), now)
	if err != nil {
		if gs.ErrorCode(err) == gs.EINTERNAL {
			s.renderError(w, r, nil, err)
			return
		}
		page.Error = gs.ErrorMessage(err)
		s.show(w, r, statusOf(err), "login", page)
		return
	}
	if err := s.startSession(w, r, u); err != nil {
		s.renderError(w, r, nil, err)
		return
	}
	if u.MustChangePassword {
		page.Next = "/password"
	}
	http.Redirect(w, r, page.Next, http.StatusSeeOther)
}

// startSession gives u a new session and deletes the one the request came
// with, if any.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if old := sessionToken(r); old != "" {
		if err := s.Auth.DeleteSession(r.Context(), old); gs.ErrorCode(err) == gs.EINTERNAL {
			return err
		}
	}
	token, err := s.Auth.CreateSession(r.Context(), u.ID, s.now())
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token)
	infoOf(r).user = u.Username
	return nil
}

// logout ends the session and returns to the login form. It needs no live
// session: whoever posts it ends up signed out.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if token := sessionToken(r); token != "" {
		if err := s.Auth.DeleteSession(r.Context(), token); gs.ErrorCode(err) == gs.EINTERNAL {
			s.renderError(w, r, nil, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath returns p when it is a path on this site, and "/" otherwise, so
// that the login form cannot be used to send people to another site.
func localPath(p string) string {
	// Browsers drop tabs and newlines from a URL, so "/\t/evil.example"
	// would become "//evil.example": refuse every control character.
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\") ||
		strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	return p
}

// PasswordPage is the form to change one's password.
type PasswordPage struct {
	Page
	// Must is set when the account still has a one-time password.
	Must bool
	// Done is set after a successful change.
	Done bool
	// MinLength is the shortest password accepted, in characters.
	MinLength int
	Errors    PasswordErrors
}

// PasswordErrors are the messages shown beside each field of the password
// form (the passwords themselves are never shown again).
type PasswordErrors struct {
	Current, New, Confirm string
}

// passwordForm shows the password form.
func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	page := &PasswordPage{Page: s.page(u, "修改密码", ""), Must: u.MustChangePassword, MinLength: app.MinPasswordLength,
		Done: r.URL.Query().Get("done") == "1"}
	return s.render(w, r, http.StatusOK, "password", page)
}

// changePassword checks the current password, sets the new one and starts a
// new session.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单内容有误，请重新填写。")
	}
	current, next, confirm := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
	page := &PasswordPage{Page: s.page(u, "修改密码", ""), Must: u.MustChangePassword, MinLength: app.MinPasswordLength}
	switch {
	case current == "":
		page.Errors.Current = "请输入当前密码。"
	case utf8.RuneCountInString(next) < app.MinPasswordLength:
		page.Errors.New = fmt.Sprintf("新密码至少 %d 个字符。", app.MinPasswordLength)
	case next == current:
		page.Errors.New = "新密码不能与当前密码相同。"
	case confirm != next:
		page.Errors.Confirm = "两次输入的新密码不一致。"
	}
	if page.Errors == (PasswordErrors{}) {
		_, err := s.Auth.Authenticate(r.Context(), u.Username, current, s.clientAddress(r), s.now())
		switch gs.ErrorCode(err) {
		case "":
		case gs.EUNAUTHORIZED:
			page.Errors.Current = "当前密码不正确。"
		case gs.EFORBIDDEN, gs.ETOOMANY: // locked or throttled after repeated failures, or busy
			page.Errors.Current = gs.ErrorMessage(err)
		default:
			return err
		}
	}
	if page.Errors == (PasswordErrors{}) {
		err := s.Auth.SetPassword(r.Context(), u.Username, next, false)
		switch gs.ErrorCode(err) {
		case "":
		case gs.EINVALID:
			page.Errors.New = gs.ErrorMessage(err)
		default:
			return err
		}
	}
	if page.Errors != (PasswordErrors{}) {
		return s.render(w, r, http.StatusBadRequest, "password", page)
	}
	if err := s.startSession(w, r, u); err != nil {
		return err
	}
	http.Redirect(w, r, "/password?done=1", http.StatusSeeOther)
	return nil
}
