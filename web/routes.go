package web

import (
	"net/http"

	"github.com/gridscore/gridscore/app"
)

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
	mux.Handle("GET /towns/{town}/warnings", s.signedIn(s.townWarnings, 0)) // warnings.go
	mux.Handle("GET /workers", s.signedIn(s.workerList, 0))
	mux.Handle("GET /workers/{id}", s.signedIn(s.workerQuarter, 0))
	mux.Handle("GET /workers/{id}/history", s.signedIn(s.workerHistory, 0))    // history.go
	mux.Handle("GET /workers/{id}/notice", s.signedIn(s.workerNotice, 0))      // notice.go
	mux.Handle("GET /towns/{town}/notices", s.signedIn(s.townNotices, 0))      // notice.go
	mux.Handle("GET /towns/{town}/export/{file}", s.signedIn(s.townExport, 0)) // export.go

	// The signed filing with a district that keeps its own server
	// (filing.go): the town's package and key, the district's page.
	mux.Handle("GET /towns/{town}/filing.zip", s.signedIn(s.townFilingPackage, 0))
	mux.Handle("GET /towns/{town}/filing-key.txt", s.signedIn(s.townFilingKey, 0))
	mux.Handle("GET /filings", s.signedIn(s.filings, 0))
	mux.Handle("POST /filings", s.signedIn(s.importFilings, 0))
	mux.Handle("POST /filings/keys", s.signedIn(s.registerFilingKey, 0))
	mux.Handle("GET /filings/{town}/{quarter}/filing.xlsx", s.signedIn(s.filingWorkbook, 0))

	// The downloads of the lists, with the filters and order of the page
	// (export_lists.go).
	mux.Handle("GET /export/records/{kind}", s.signedIn(s.recordExport, 0))
	mux.Handle("GET /export/workers", s.signedIn(s.workerExport, 0))
	mux.Handle("GET /export/audit", s.signedIn(s.auditExport, 0))

	// The quarter's life (RULES.md §8); the service checks the role again.
	mux.Handle("POST /towns/{town}/quarter/{step}", s.signedIn(s.quarterStep, 0))
	mux.Handle("POST /workers/{id}/appeals", s.signedIn(s.appeal, 0))
	mux.Handle("POST /workers/{id}/void", s.signedIn(s.voidDeduction, 0))
	mux.Handle("GET /appeals", s.signedIn(s.appealList, 0))
	mux.Handle("POST /appeals/{appeal}", s.signedIn(s.decideAppeal, 0))
	mux.Handle("GET /audit", s.signedIn(s.auditLog, 0))

	// Records of every kind of DATA.md §1 (records.go) and the hand-entry
	// forms (records_*.go), with the files attached to findings
	// (evidence.go).
	mux.Handle("GET /records", s.signedIn(s.recordList, 0))
	mux.Handle("GET /records/{kind}", s.signedIn(s.recordList, 0))
	mux.Handle("GET /records/{kind}/new", s.signedIn(s.recordNew, 0))
	mux.Handle("POST /records/{kind}", s.signedIn(s.recordCreate, 0))
	mux.Handle("GET /records/{kind}/{key}", s.signedIn(s.recordShow, 0))
	mux.Handle("POST /records/{kind}/{key}", s.signedIn(s.recordUpdate, 0))
	mux.Handle("POST /records/{kind}/{key}/delete", s.signedIn(s.recordDelete, 0))
	mux.Handle("GET /evidence/{id}", s.signedIn(s.evidence, 0))

	// The import of DATA.md files through the browser (upload.go): upload,
	// a report of every file and problem, then commit or cancel.
	mux.Handle("GET /import", s.signedIn(s.importForm, 0))
	mux.Handle("POST /import", s.signedIn(s.importUpload, 0))
	mux.Handle("GET /import/{id}", s.signedIn(s.importReport, 0))
	mux.Handle("GET /import/{id}/problems.xlsx", s.signedIn(s.importProblems, 0))
	mux.Handle("GET /templates/import.xlsx", s.signedIn(s.importTemplate, 0))
	mux.Handle("GET /templates/{file}", s.signedIn(s.importTemplate, 0))
	mux.Handle("POST /import/{id}/commit", s.signedIn(s.importCommit, 0))
	mux.Handle("POST /import/{id}/cancel", s.signedIn(s.importCancel, 0))
	mux.HandleFunc("GET /import/{id}/commit", s.importBack)
	mux.HandleFunc("GET /import/{id}/cancel", s.importBack)

	// Other systems' export files, mapped once (mapping.go, mappings.go):
	// a file of an upload mapped and the mapping saved; the saved
	// mappings, downloaded and imported as files, deleted.
	mux.Handle("GET /import/{id}/mapping", s.signedIn(s.mappingForm, 0))
	mux.Handle("POST /import/{id}/mapping", s.signedIn(s.mappingPost, 0))
	mux.Handle("GET /mappings", s.signedIn(s.mappings, 0))
	mux.Handle("POST /mappings", s.signedIn(s.importMapping, 0))
	mux.Handle("GET /mappings/file", s.signedIn(s.mappingFile, 0))
	mux.Handle("POST /mappings/delete", s.signedIn(s.deleteMapping, 0))

	// The accounts of a town, for its administrator (accounts.go).
	mux.Handle("GET /accounts", s.signedIn(s.accountList, 0))
	mux.Handle("POST /accounts", s.signedIn(s.createAccount, 0))
	mux.Handle("POST /accounts/{username}/{action}", s.signedIn(s.accountAction, 0))
	mux.Handle("POST /accounts/workers", s.signedIn(s.workerAccounts, 0))
	// The tokens of the JSON API, for the same administrator
	// (integrations.go); the API itself is api*.go, outside this table.
	mux.Handle("GET /integrations", s.signedIn(s.integrationList, 0))
	mux.Handle("POST /integrations", s.signedIn(s.createIntegration, 0))
	mux.Handle("POST /integrations/{id}/revoke", s.signedIn(s.revokeIntegration, 0))

	// The satisfaction survey (issue 15): the centers' pages (survey.go,
	// survey_sheets.go, survey_results.go) and the voters' ballot page,
	// open to everyone (ballot.go).
	mux.Handle("GET /survey", s.signedIn(s.surveyList, 0))
	mux.Handle("POST /survey", s.signedIn(s.surveyOpen, 0))
	mux.Handle("GET /survey/results", s.signedIn(s.surveyResults, 0))
	mux.Handle("GET /survey/{id}", s.signedIn(s.campaignShow, 0))
	mux.Handle("POST /survey/{id}/print", s.signedIn(s.campaignPrint, 0))
	mux.Handle("POST /survey/{id}/tallies", s.signedIn(s.tallyEnter, 0))
	mux.Handle("POST /survey/{id}/tallies/{tally}/delete", s.signedIn(s.tallyDelete, 0))
	mux.Handle("GET /survey/{id}/close", s.signedIn(s.campaignClose, 0))
	mux.Handle("POST /survey/{id}/close", s.signedIn(s.campaignClose, 0))
	mux.Handle("GET /survey/{id}/report.xlsx", s.signedIn(s.campaignReport, 0))
	mux.HandleFunc("GET /v", s.ballotEntry)
	mux.HandleFunc("POST /v", s.ballotTyped)
	mux.HandleFunc("GET /v/{code}", s.ballotForm)
	mux.HandleFunc("POST /v/{code}", s.ballotCast)

	// The confirmation of a quarter's step that cannot simply be undone
	// (confirm.go).
	mux.Handle("GET /towns/{town}/quarter/{step}", s.signedIn(s.quarterConfirm, 0))

	// Everything else: a Chinese 404 page rather than the mux's plain text.
	mux.HandleFunc("/", s.notFound)
	s.mux = mux
	return mux
}

// uploadLimits bounds, by the start of the path a form is posted to, the
// body of a form that uploads files (multipart/form-data), which may be
// larger than maxFormBytes (see limitBodies): the largest files the
// service accepts, plus a little for the other fields and the framing.
var uploadLimits = []struct {
	prefix string
	limit  int64
}{
	{"/import", app.MaxUploadBytes + 1<<20},
	{"/filings", maxFilingUpload + 1<<20},
	{"/mappings", maxMappingUpload + 1<<16},
	{"/records/findings", app.MaxEvidenceFiles*app.MaxEvidenceBytes + 1<<20},
}

// pageNames lists every page template (templates/<name>.html), parsed
// once when the handler is made (pages), so that a broken one stops the
// start-up. The samples of the records, import and account pages are in
// records_render_test.go, upload_render_test.go and
// accounts_pages_test.go; those of the others in render_test.go.
var pageNames = []string{
	"login", "password", "error", "dashboard", "district", "workers", "worker", "appeals", "audit",
	"records", "record_form", // records.go, records_*.go
	"import", "import_report", "import_checking", // upload.go
	"accounts", "history", // accounts.go, history.go
	"integrations",        // integrations.go
	"account_slips",       // accounts.go
	"warnings",            // warnings.go
	"confirm",             // confirm.go
	"notice",              // notice.go
	"filings",             // filing.go
	"mapping", "mappings", // mapping.go, mappings.go

	"survey", "survey_campaign", "survey_sheets", "survey_results", // survey*.go
}

// healthz tells a load balancer or a monitor that the process serves.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok"))
}
