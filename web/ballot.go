package web

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"strings"
	"sync"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// The ballot page (issue 15): a voter opens a one-time ballot from its QR
// code (/v/{code}) or types the code (/v), answers 满意, 基本满意 or 不满意
// with an optional comment, and sees a confirmation. No account, no
// JavaScript, nothing from anywhere else: one small HTML page and a small
// stylesheet of its own, for any phone on a slow connection. The request
// log writes /v/… for these paths (logPath), never the code; the client
// address serves only to count codes that do not exist (app.GuessLimits).

// ballotPrefix is the start of a ballot's path; what follows is its code.
const ballotPrefix = "/v/"

// BallotPage is the ballot page in each of its states: the form to type a
// code (Ballot nil, Refusal empty), a ballot to answer, the confirmation
// (Done), or a refusal of the code (Refusal).
type BallotPage struct {
	Title string
	// Typed is the code as typed in the form to type one; CodeError what
	// is wrong with it.
	Typed, CodeError string
	Ballot           *app.BallotView
	// GroupName names the ballot's rater group; Ratings are the choices.
	GroupName string
	Ratings   []Option
	// Comment is the comment typed; Errors say what is wrong with the
	// answer.
	Comment, RatingError, CommentError string
	MaxComment                         int
	// Action is where the answer is posted.
	Action string
	// Done confirms the answer; RatingName is the rating given.
	Done       bool
	RatingName string
	// Refusal says why the ballot cannot be answered.
	Refusal string
}

// ballotTemplate is the ballot page's template, which has its own small
// layout (templates/ballot.html), parsed once.
var ballotTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{"asset": assetURL}).ParseFS(templateFiles, "templates/ballot.html"))
})

// renderBallot writes the ballot page with status; it is never cached and
// sends no referrer from the code's address.
func (s *Server) renderBallot(w http.ResponseWriter, status int, page *BallotPage) error {
	if page.Title == "" {
		page.Title = "网格员满意度评价"
	}
	var buf bytes.Buffer
	if err := ballotTemplate().ExecuteTemplate(&buf, "ballot", page); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// ballotEntry is GET /v: the form to type a code.
func (s *Server) ballotEntry(w http.ResponseWriter, r *http.Request) {
	s.answer(w, r, s.renderBallot(w, http.StatusOK, &BallotPage{}))
}

// ballotTyped is POST /v: a code typed, shown as its ballot, or the form
// again with what is wrong.
func (s *Server) ballotTyped(w http.ResponseWriter, r *http.Request) {
	typed := r.PostFormValue("code")
	v, err := s.Service.OpenBallot(r.Context(), typed, s.clientAddress(r))
	if code := gs.ErrorCode(err); code == gs.EINVALID || code == gs.ENOTFOUND || code == gs.ETOOMANY {
		s.answer(w, r, s.renderBallot(w, statusOf(err), &BallotPage{Typed: typed, CodeError: gs.ErrorMessage(err)}))
		return
	}
	s.showBallot(w, r, v, err)
}

// ballotForm is GET /v/{code}: the ballot of a code scanned.
func (s *Server) ballotForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.Service.OpenBallot(r.Context(), r.PathValue("code"), s.clientAddress(r))
	s.showBallot(w, r, v, err)
}

// showBallot shows ballot v to answer, or its refusal err.
func (s *Server) showBallot(w http.ResponseWriter, r *http.Request, v *app.BallotView, err error) {
	if err != nil {
		s.answer(w, r, s.refuseBallot(w, err))
		return
	}
	s.answer(w, r, s.renderBallot(w, http.StatusOK, ballotPage(v, "", "")))
}

// ballotCast is POST /v/{code}: the answer, confirmed, or refused.
func (s *Server) ballotCast(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	rating, comment := gs.Rating(r.PostFormValue("rating")), r.PostFormValue("comment")
	v, err := s.Service.CastBallot(r.Context(), code, s.clientAddress(r), rating, comment)
	var fields gs.FieldErrors
	switch {
	case errors.As(err, &fields):
		// The answer as typed, with what is wrong beside it.
		v, err := s.Service.OpenBallot(r.Context(), code, s.clientAddress(r))
		if err != nil {
			s.answer(w, r, s.refuseBallot(w, err))
			return
		}
		page := ballotPage(v, rating, comment)
		for _, f := range fields {
			if f.Field == "rating" {
				page.RatingError = f.Message
			} else {
				page.CommentError = f.Message
			}
		}
		s.answer(w, r, s.renderBallot(w, http.StatusBadRequest, page))
	case err != nil:
		s.answer(w, r, s.refuseBallot(w, err))
	default:
		page := ballotPage(v, rating, "")
		page.Done, page.RatingName = true, gs.RatingName[rating]
		s.answer(w, r, s.renderBallot(w, http.StatusOK, page))
	}
}

// refuseBallot writes the page refusing a code for err: its Chinese
// message for a refusal, a generic one (logged) for a failure.
func (s *Server) refuseBallot(w http.ResponseWriter, err error) error {
	if statusOf(err) == http.StatusInternalServerError {
		return err
	}
	return s.renderBallot(w, statusOf(err), &BallotPage{Refusal: gs.ErrorMessage(err)})
}

// answer logs a failure to write the ballot page and answers with the
// generic refusal; the code is never logged.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.renderError(w, r, nil, err)
	}
}

func ballotPage(v *app.BallotView, rating gs.Rating, comment string) *BallotPage {
	page := &BallotPage{Ballot: v, GroupName: gs.RaterGroupLongName[v.Group], Comment: comment,
		MaxComment: gs.MaxCommentRunes, Action: ballotPrefix + v.Code}
	for _, r := range gs.Ratings {
		page.Ratings = append(page.Ratings, Option{Value: string(r), Label: gs.RatingName[r], Selected: r == rating})
	}
	return page
}

// logPath is a request's path as the request log writes it: a ballot's
// code left out.
func logPath(path string) string {
	if strings.HasPrefix(path, ballotPrefix) {
		return ballotPrefix + "…"
	}
	return path
}
