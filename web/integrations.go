package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The tokens of the JSON API, for a town's administrator (under 账号):
// the list with each token's scope, creation, last use and revocation, a
// form to create one (its secret shown once, at the top of the page that
// answers the form) and a button to revoke each live one.

// IntegrationsPage is the town's API tokens and the form to create one.
type IntegrationsPage struct {
	Page
	Town string
	Rows []TokenRow
	Form TokenForm
	// Platform and Center are the kinds the form offers: those the grid
	// platform produces and the town center's own.
	Platform, Center []KindChoice
	// Issued is the token just created, with its secret.
	Issued *IssuedToken
	// Notice confirms the action just taken.
	Notice string
	// DocURL is the address of the API's OpenAPI document.
	DocURL string
	// Terms are the form's choices of how long a token is valid.
	Terms []TokenTerm
}

// TokenTerm is one choice of a token's term.
type TokenTerm struct {
	Months   int
	Title    string
	Selected bool
}

// TokenRow is one token of the list.
type TokenRow struct {
	ID                 int64
	Name, Scope        string
	Created, CreatedBy string
	LastUsed           string
	Revoked, RevokedBy string
	// Expires is when it stops authorizing (empty: never); Expired is set
	// once it has, Soon (a tag) within tokenSoon before.
	Expires   string
	Expired   bool
	Soon      string
	Live      bool
	RevokeURL string
}

// tokenSoon is how long before its expiry a live token is flagged.
const tokenSoon = 30 * 24 * time.Hour

// TokenForm is the form to create a token, as typed, with its message.
type TokenForm struct {
	Name   string
	Read   bool
	Months int
	Error  string
}

// KindChoice is one kind of the form, ticked or not.
type KindChoice struct {
	Name, Title string
	Checked     bool
}

// IssuedToken is a token just created: its name and its secret, shown
// this once.
type IssuedToken struct {
	Name, Secret, Scope string
}

// integrationNotice confirms each action after its redirect.
var integrationNotice = map[string]string{"revoked": "已吊销接口令牌“%s”：使用它的请求从现在起一律拒绝。"}

// integrationList is GET /integrations.
func (s *Server) integrationList(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	notice := ""
	if format, ok := integrationNotice[r.URL.Query().Get("done")]; ok {
		notice = strings.Replace(format, "%s", r.URL.Query().Get("name"), 1)
	}
	return s.integrations(w, r, u, http.StatusOK, TokenForm{}, nil, nil, notice)
}

// createIntegration is POST /integrations.
func (s *Server) createIntegration(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	if err := r.ParseForm(); err != nil {
		return gs.Errorf(gs.EINVALID, "表单有误。")
	}
	form := TokenForm{Name: r.PostForm.Get("name"), Read: r.PostForm.Get("read") == "1"}
	if m := r.PostForm.Get("months"); m != "" {
		var err error
		if form.Months, err = strconv.Atoi(m); err != nil {
			form.Months = -1 // refused by the service, as any other term
		}
	}
	write := r.PostForm["write"]
	made, err := s.Service.CreateAPIToken(r.Context(), u, form.Name, write, form.Read, form.Months)
	switch gs.ErrorCode(err) {
	case "":
		issued := &IssuedToken{Name: made.Token.Name, Secret: made.Secret, Scope: app.APITokenScope(&made.Token)}
		return s.integrations(w, r, u, http.StatusOK, TokenForm{}, nil, issued, "")
	case gs.EINVALID, gs.ECONFLICT:
		form.Error = gs.ErrorMessage(err)
		return s.integrations(w, r, u, statusOf(err), form, write, nil, "")
	}
	return err
}

// revokeIntegration is POST /integrations/{id}/revoke.
func (s *Server) revokeIntegration(w http.ResponseWriter, r *http.Request, u *gs.User) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return gs.Errorf(gs.ENOTFOUND, "没有找到这个接口令牌。")
	}
	name := ""
	if ts, err := s.Service.APITokens(r.Context(), u); err == nil {
		if i := slices.IndexFunc(ts, func(t gs.APIToken) bool { return t.ID == id }); i >= 0 {
			name = ts[i].Name
		}
	}
	if err := s.Service.RevokeAPIToken(r.Context(), u, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/integrations?"+url.Values{"done": {"revoked"}, "name": {name}}.Encode(), http.StatusSeeOther)
	return nil
}

// integrations renders the page with the form as given (write: the kinds
// ticked) and the token just issued, if any.
func (s *Server) integrations(w http.ResponseWriter, r *http.Request, u *gs.User, status int, form TokenForm,
	write []string, issued *IssuedToken, notice string) error {
	ts, err := s.Service.APITokens(r.Context(), u)
	if err != nil {
		return err
	}
	page := &IntegrationsPage{Page: s.page(u, u.Town+" 接口令牌", "accounts"), Town: u.Town, Form: form,
		Issued: issued, Notice: notice, DocURL: apiPrefix + "/openapi.json"}
	for _, k := range app.APIKinds() {
		c := KindChoice{Name: k.Name, Title: k.Title, Checked: slices.Contains(write, k.Name)}
		if k.Platform {
			page.Platform = append(page.Platform, c)
		} else {
			page.Center = append(page.Center, c)
		}
	}
	chosen := form.Months
	if !slices.Contains(app.APITokenMonths, chosen) {
		chosen = app.DefaultAPITokenMonths
	}
	for _, m := range app.APITokenMonths {
		title := strconv.Itoa(m) + " 个月"
		if m%12 == 0 {
			title = strconv.Itoa(m/12) + " 年"
		}
		page.Terms = append(page.Terms, TokenTerm{Months: m, Title: title, Selected: m == chosen})
	}
	now := s.now()
	for _, t := range ts {
		row := TokenRow{ID: t.ID, Name: t.Name, Scope: app.APITokenScope(&t), Created: fmtTime(t.CreatedAt),
			CreatedBy: t.CreatedBy, LastUsed: fmtTime(t.LastUsedAt), Live: !t.Revoked(),
			Expires: fmtTime(t.ExpiresAt), Expired: t.Expired(now),
			RevokeURL: "/integrations/" + strconv.FormatInt(t.ID, 10) + "/revoke"}
		if left := t.ExpiresAt.Sub(now); row.Live && !row.Expired && !t.ExpiresAt.IsZero() && left < tokenSoon {
			row.Soon = "即将过期"
		}
		if t.Revoked() {
			row.Revoked, row.RevokedBy = fmtTime(t.RevokedAt), t.RevokedBy
		}
		page.Rows = append(page.Rows, row)
	}
	return s.render(w, r, status, "integrations", page)
}
