package web

import "net/http"

// routes is the route table: every path the application answers, with who
// may call it. Pages for signed-in people go through signedIn, which loads
// the session's user and hands it to the handler; each handler then checks
// the user's role for the data it shows (User.CanSeeTown, CanSeeWorker).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	// Open to everyone.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /static/{file}", serveAsset)
	mux.HandleFunc("GET /login", s.loginForm)
	mux.HandleFunc("POST /login", s.login)
	mux.HandleFunc("POST /logout", s.logout)

	// Any signed-in account, even one that must first change its password.
	mux.Handle("GET /password", s.signedIn(s.passwordForm, allowMustChange))
	mux.Handle("POST /password", s.signedIn(s.changePassword, allowMustChange))

	// Signed-in pages; the handlers check the role.
	mux.Handle("GET /{$}", s.signedIn(s.dashboard, 0))
	mux.Handle("GET /towns/{town}", s.signedIn(s.townDashboard, 0))
	mux.Handle("GET /workers", s.signedIn(s.workerList, 0))
	mux.Handle("GET /workers/{id}", s.signedIn(s.workerQuarter, 0))

	// The quarter's life (RULES.md §8); the service checks the role again.
	mux.Handle("POST /towns/{town}/quarter/{step}", s.signedIn(s.quarterStep, 0))
	mux.Handle("POST /workers/{id}/appeals", s.signedIn(s.appeal, 0))
	mux.Handle("POST /workers/{id}/void", s.signedIn(s.voidDeduction, 0))
	mux.Handle("GET /appeals", s.signedIn(s.appealList, 0))
	mux.Handle("POST /appeals/{appeal}", s.signedIn(s.decideAppeal, 0))
	mux.Handle("GET /audit", s.signedIn(s.auditLog, 0))

	// Records of every kind and the hand-entry forms (records.go), the
	// import of files through the browser (upload.go), and the accounts
	// (accounts.go).
	s.recordRoutes(mux)
	s.importRoutes(mux)
	s.accountRoutes(mux)

	// Everything else: a Chinese 404 page rather than the mux's plain text.
	mux.HandleFunc("/", s.notFound)
	s.mux = mux
	return mux
}

// healthz tells a load balancer or a monitor that the process serves.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok"))
}
