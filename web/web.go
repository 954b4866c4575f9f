// Package web serves gridscore's web application: server-rendered Chinese
// pages for the district center, the town centers and the grid workers.
//
// The package is an adapter: it turns HTTP requests into calls of the
// application service (app.Service) and the account service
// (gridscore.AuthService) and renders their answers with html/template.
// Everything it needs is a field of Server, filled in by cmd; there is no
// global configuration. The route table is in routes.go; the security that
// wraps every request (sessions, cross-origin protection, headers, role
// checks) in middleware.go and session.go.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/app"
)

// Server is the web application. Fill in the fields, then call Handler once
// and serve what it returns.
type Server struct {
	// Service computes the quarter's results from the stored records.
	Service *app.Service
	// Auth checks passwords and keeps the sessions.
	Auth gs.AuthService
	// Logger receives one line per request and every internal error.
	Logger *slog.Logger
	// Secure marks the session cookie Secure and makes every response ask
	// browsers to use HTTPS only (Strict-Transport-Security): set it when
	// the site is reached over HTTPS, served with TLS or behind a proxy
	// that is. A request that came over TLS, or through a trusted proxy
	// with X-Forwarded-Proto: https, gets both anyway (overHTTPS).
	Secure bool
	// TrustedProxies are the addresses of the reverse proxies whose
	// X-Forwarded-For names the client (clientAddress) and whose
	// X-Forwarded-Proto and X-Forwarded-Host say how the browser reached
	// the site (requestOrigin); none by default, so that nobody can claim
	// another address or HTTPS.
	TrustedProxies []netip.Prefix
	// PublicURL is the address people reach the site at
	// (https://grid.example.gov.cn), printed in the ballots' QR codes and
	// on the workers' password slips; empty: the address of the request
	// printing them (siteURL).
	PublicURL string
	// Quarter and AsOf, when set, are the quarter shown and the moment it is
	// computed at when the URL names neither: the demo sets them to its
	// data's quarter. Zero means the current quarter, as of now.
	Quarter gs.Quarter
	AsOf    time.Time

	// CheckWait is how long a view of an upload waits for the check of the
	// files before showing that it is going on (default 3 s).
	CheckWait time.Duration

	// PageSize is how many rows a list shows per page (default 50).
	PageSize int

	// APIRate bounds the requests of each token of the JSON API
	// (DefaultAPIRate when zero).
	APIRate APIRate

	// assessSlot lets one assessment run at a time, which bounds the memory
	// and the processor time that live computing takes from other pages.
	assessSlot chan struct{}
	// pagesWaiting counts the pages waiting for assessSlot, which the
	// computations in the background let go first.
	pagesWaiting atomic.Int64
	// mux is the route table, which notFound asks whether a path is known
	// for another method.
	mux *http.ServeMux
	// apiLimits holds the token buckets of the API's tokens.
	apiLimits *apiLimiter
	// warming counts the live results being computed in the background
	// (see warmLive); warms holds, by town, quarter and moment, the one
	// being computed or waiting to be, and whether records changed again
	// meanwhile.
	warming sync.WaitGroup
	warmMu  sync.Mutex
	warms   map[string]*warm
	// viewed holds the towns' quarters whose live results pages showed,
	// with when, for computing their next moment ahead (ahead.go).
	// checks are the uploads' checks running in the background, by
	// upload id (upload.go).
	checksMu sync.Mutex
	checks   map[int64]*check
	viewedMu sync.Mutex
	viewed   map[townQuarter]time.Time
}

// warm is one town's live result being computed in the background.
type warm struct{ again bool }

// warmLive computes, in the background, town's live result of the quarter
// and moment the pages show by default, after a request changed the town's
// records: the dashboard opened next finds it kept instead of computing it.
// Nothing is done for a quarter whose results are stored. Changes made
// while one is computed or waiting lead to one more computation, not one
// each.
func (s *Server) warmLive(r *http.Request, town string) {
	p, err := s.period(r)
	if err != nil || town == "" {
		return
	}
	key := town + "\x00" + p.Quarter.String() + "\x00" + p.AsOf.String()
	s.warmMu.Lock()
	if w := s.warms[key]; w != nil {
		// One is already on its way: it computes once more when done, from
		// the records as they are then, however many changes came meanwhile.
		w.again = true
		s.warmMu.Unlock()
		return
	}
	if s.warms == nil {
		s.warms = map[string]*warm{}
	}
	w := &warm{}
	s.warms[key] = w
	s.warmMu.Unlock()
	s.warming.Go(func() {
		for {
			s.warmTown(p, town)
			s.warmMu.Lock()
			again := w.again
			w.again = false
			if !again {
				delete(s.warms, key)
			}
			s.warmMu.Unlock()
			if !again {
				return
			}
		}
	})
}

// warmTown computes town's live result of p unless the quarter's results
// are stored.
func (s *Server) warmTown(p Period, town string) {
	ctx, cancel := context.WithTimeout(background(context.Background()), 2*time.Minute)
	defer cancel()
	s.computeAt(ctx, townQuarter{town, p.Quarter}, p.AsOf)
}

// now is the moment it is by the service's clock (app.Service.Clock), which
// cmd sets once for the whole program.
func (s *Server) now() time.Time { return s.Service.Clock() }

// Wait waits for the live results being computed or kept in the background;
// call it after the HTTP server has shut down, before closing the store.
func (s *Server) Wait() {
	s.warming.Wait()
	s.Service.Wait()
}

// Handler returns the application's handler: the route table wrapped in
// request logging, panic recovery, security headers and cross-origin
// protection.
func (s *Server) Handler() http.Handler {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	if s.PageSize <= 0 {
		s.PageSize = 50
	}
	pages() // parse the templates now: a broken one stops the start-up
	s.assessSlot = make(chan struct{}, 1)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, gs.Errorf(gs.EFORBIDDEN, "请求来自其他网站，已被拒绝。请回到本系统的页面重新操作。"))
	}))
	s.apiLimits = newAPILimiter(s.APIRate)
	pages, api := cop.Handler(limitBodies(s.routes())), s.apiMux()
	// The JSON API takes a token, never the session's cookie, so no other
	// site's page can act with it: it is not behind the cross-origin
	// protection of the pages, and bounds its bodies itself.
	return s.logRequests(s.recoverPanics(s.securityHeaders(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r) {
			api.ServeHTTP(w, r)
			return
		}
		pages.ServeHTTP(w, r)
	}))))
}

// assessTown returns town's quarter p computed live from the town's stored
// records: the live result kept in the store when the records are unchanged
// since it was computed for the same moment, else computed now, one
// computation at a time (a request that waited finds the result the one
// before it computed). A page goes before the computations done in the
// background (warmLive, computing ahead): it waits at most for the one
// running.
func (s *Server) assessTown(ctx context.Context, p Period, town string) (*gs.Result, error) {
	if p.Live && !inBackground(ctx) {
		s.viewedLive(town, p.Quarter)
	}
	if res, err := s.Service.CachedTown(ctx, town, p.Quarter, p.AsOf); err != nil || res != nil {
		return res, err
	}
	if err := s.takeSlot(ctx); err != nil {
		return nil, err
	}
	defer func() { <-s.assessSlot }()
	return s.Service.LiveTown(ctx, town, p.Quarter, p.AsOf)
}

// takeSlot waits for the turn to compute (assessSlot). A page waits in
// line; a computation in the background takes the turn only while no page
// is waiting for it.
func (s *Server) takeSlot(ctx context.Context) error {
	if !inBackground(ctx) {
		s.pagesWaiting.Add(1)
		defer s.pagesWaiting.Add(-1)
		select {
		case s.assessSlot <- struct{}{}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	for {
		if s.pagesWaiting.Load() == 0 {
			select {
			case s.assessSlot <- struct{}{}:
				return nil
			default:
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backgroundPoll):
		}
	}
}

// backgroundPoll is how often a computation in the background looks again
// whether the turn is free.
const backgroundPoll = 5 * time.Millisecond

// backgroundKey marks a context of work done in the background.
type backgroundKey struct{}

// background returns ctx marked as the context of work in the background,
// which gives pages the first turn to compute (takeSlot).
func background(ctx context.Context) context.Context {
	return context.WithValue(ctx, backgroundKey{}, true)
}

func inBackground(ctx context.Context) bool { return ctx.Value(backgroundKey{}) != nil }
