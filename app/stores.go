package app

import (
	"context"
	"io"
	"time"

	gs "github.com/gridscore/gridscore"
	"github.com/gridscore/gridscore/store"
)

// The store as the services use it. Each interface below is one concern of
// the services, with the methods of the store that concern needs and no
// more; *store.DB implements all of them, and cmd hands it to the services.
// A newcomer reading a service sees from its store's type which of these it
// touches; a method the services start to need is added to the interface
// of its concern.

// ImportStore writes records: the streamed import of files and uploads,
// and what an import needs to know beforehand.
type ImportStore interface {
	// BeginImport starts the one transaction of a streamed import.
	BeginImport(ctx context.Context, opts ...store.ImportOption) (*store.ImportTx, error)
	// Import writes a whole batch of records in one transaction, after
	// check has seen what the store holds.
	Import(ctx context.Context, recs *gs.Records, check func(stored *store.Known) error) (store.ImportStats, error)
	// Counts returns how many rows each record table holds.
	Counts(ctx context.Context) (map[string]int64, error)
	// DataVersion changes whenever records change (live results and
	// upload reports kept for one version are stale after it).
	DataVersion(ctx context.Context) (int64, error)
	// TownVersion changes whenever records a town's results rest on
	// change (its live results are kept by it).
	TownVersion(ctx context.Context, town string) (int64, error)
	// TownVersions is TownVersion of several towns, read at once.
	TownVersions(ctx context.Context, towns []string) (map[string]int64, error)
}

// RecordStore lists, shows and changes single records, for the records
// pages and the hand-entry forms.
type RecordStore interface {
	// Records returns one page of records of a kind.
	Records(ctx context.Context, f store.RecordFilter) (*store.RecordPage, error)
	// AnyRecord reports whether any of the filters keeps a record.
	AnyRecord(ctx context.Context, fs ...store.RecordFilter) (bool, error)
	// EachRecords reads every record of a list, a batch at a time, for
	// its download.
	EachRecords(ctx context.Context, f store.RecordFilter, batch int, fn func(*gs.Records) error) error
	// Record returns the record of a kind named by its key.
	Record(ctx context.Context, kind string, key ...string) (*gs.Records, error)
	// ChangeRecords creates, changes or deletes records by hand, with
	// their audit entries, in one transaction.
	ChangeRecords(ctx context.Context, ch store.RecordChange, audit ...gs.AuditEntry) error
	// LastNumber returns the largest number a record of kind is named by
	// after prefix (0: none), for the next free number of a hand-entry form.
	LastNumber(ctx context.Context, kind, prefix string) (int, error)
	// Attendance returns a meeting's attendance.
	Attendance(ctx context.Context, meetingID string) ([]gs.Attendance, error)
	// MeetingTowns returns the towns whose workers a meeting's attendance
	// names.
	MeetingTowns(ctx context.Context, meetingID string) ([]string, error)
	// CalendarDays returns the calendar days that hold for town: the
	// district's and the town's own (the district's alone for "").
	CalendarDays(ctx context.Context, town string) ([]gs.CalendarDay, error)
	// Persons returns the special-population persons with these ids.
	Persons(ctx context.Context, ids []string) ([]gs.Person, error)
	// EvidenceOf lists the evidence files of findings (without content).
	EvidenceOf(ctx context.Context, findingIDs []string) ([]gs.Evidence, error)
	// EvidenceFile returns one evidence file with its content.
	EvidenceFile(ctx context.Context, id int64) (*gs.Evidence, error)
}

// TownStore answers who works where: towns, their grids and workers.
type TownStore interface {
	// Towns lists the towns.
	Towns(ctx context.Context) ([]string, error)
	// TownWorkers lists every worker with the town of their grid.
	TownWorkers(ctx context.Context) ([]gs.TownWorker, error)
	// GridWorkers lists a town's workers.
	GridWorkers(ctx context.Context, town string) ([]gs.TownWorker, error)
	// WorkersByID returns the workers with these ids, with their towns.
	WorkersByID(ctx context.Context, ids []string) ([]gs.TownWorker, error)
	// TownGrids lists a town's grids.
	TownGrids(ctx context.Context, town string) ([]gs.Grid, error)
}

// AssessStore reads what the engine needs and keeps live results.
type AssessStore interface {
	// LoadTown reads the records of one town's assessment window.
	LoadTown(ctx context.Context, town string, from, to time.Time) (*gs.Records, error)
	// LoadChunked reads the assessment window a range of workers at a
	// time (see store/doc.go for the read paths).
	LoadChunked(ctx context.Context, from, to time.Time, whole, size int,
		shared func(*gs.Records) error, each func(*gs.Records) error) error
	// LoadTownSince reads what computing a town's result again since an
	// older version of the records takes: the workers whose records
	// changed since, and their records (and the town's grids, workers,
	// meetings and calendar days, unless unchanged since the version refs).
	LoadTownSince(ctx context.Context, town string, since, refs int64, from, to time.Time) (*store.TownDelta, error)
	// LiveResult returns a live result kept for a key.
	LiveResult(ctx context.Context, k store.LiveKey) (*gs.Result, error)
	// LiveBase returns the live result kept for a key's moment computed
	// from the newest records up to the key's version, with that version.
	LiveBase(ctx context.Context, k store.LiveKey) (*gs.Result, int64, error)
	// SaveLiveResult keeps a live result, unless a newer one is kept.
	SaveLiveResult(ctx context.Context, k store.LiveKey, res *gs.Result, now time.Time) error
	// KeptTowns returns the towns and every town's kept live result of a
	// quarter and moment by some rules, read in one snapshot; the results
	// are nil unless every town has one for its records as they are.
	KeptTowns(ctx context.Context, quarter string, asOf time.Time, scheme string) ([]string, []*gs.Result, error)
}

// QuarterStore runs a town's quarter: its state, snapshot, appeals and
// voided deductions, changed under the quarter's lock.
type QuarterStore interface {
	// InQuarter runs fn in one transaction holding the lock of a town's
	// quarter.
	InQuarter(ctx context.Context, town, q string, fn func(*store.QuarterTx) error) error
	// QuarterRecord returns a town's quarter (state, moment, who changed it).
	QuarterRecord(ctx context.Context, town, q string) (*store.QuarterRecord, error)
	// QuarterState returns a town's quarter state.
	QuarterState(ctx context.Context, town, q string) (gs.QuarterState, error)
	// QuarterStates returns every town's state of a quarter.
	QuarterStates(ctx context.Context, q string) ([]gs.QuarterState, error)
	// Snapshot returns the results kept when a town's quarter was computed.
	Snapshot(ctx context.Context, town, q string) ([]store.SnapshotRow, error)
	// Appeals lists appeals.
	Appeals(ctx context.Context, f gs.AppealFilter) ([]gs.Appeal, error)
	// Voided lists a town's voided deductions of a quarter.
	Voided(ctx context.Context, town, q string) ([]gs.Voided, error)
	// WorkerQuarters lists a worker's stored quarters.
	WorkerQuarters(ctx context.Context, id string) ([]gs.WorkerQuarter, error)
}

// UploadStore stages uploaded files until they are imported or cancelled.
type UploadStore interface {
	// CreateUpload stages an upload and its files.
	CreateUpload(ctx context.Context, up *gs.Upload) error
	// Upload returns a staged upload.
	Upload(ctx context.Context, id int64) (*gs.Upload, error)
	// Uploads lists a town's staged uploads since a moment.
	Uploads(ctx context.Context, town string, since time.Time) ([]gs.Upload, error)
	// DeleteUpload removes a staged upload.
	DeleteUpload(ctx context.Context, id int64) error
	// DeleteUploadsBefore removes uploads staged before t.
	DeleteUploadsBefore(ctx context.Context, t time.Time) (int64, error)
	// ReadUploadFiles hands each staged file of an upload to each, to be
	// read as a stream.
	ReadUploadFiles(ctx context.Context, id int64, each func(name string, content io.Reader) error) error
	// SaveUploadReport keeps an upload's report for a data version and
	// ends the claim of its check.
	SaveUploadReport(ctx context.Context, id, version int64, report []byte) error
	// ClaimUploadCheck claims the check of an upload unless another holds
	// it; RenewUploadCheck extends the claim, ReleaseUploadCheck ends it.
	ClaimUploadCheck(ctx context.Context, id int64, now, until time.Time) (bool, error)
	RenewUploadCheck(ctx context.Context, id int64, until time.Time) error
	ReleaseUploadCheck(ctx context.Context, id int64) error
	// UploadReport returns the report kept for a data version.
	UploadReport(ctx context.Context, id, version int64) ([]byte, error)
	// CommittedUploadReport returns the report kept at an upload's commit.
	CommittedUploadReport(ctx context.Context, id int64) ([]byte, error)
}

// AuditStore appends to and reads the audit log.
type AuditStore interface {
	// AppendAuditEntries appends entries to the audit log.
	AppendAuditEntries(ctx context.Context, e ...gs.AuditEntry) error
	// Audit reads the audit log, newest first.
	Audit(ctx context.Context, f gs.AuditFilter) ([]gs.AuditEntry, error)
	// EachAudit reads the whole log f chooses, in f's order, an entry at a
	// time.
	EachAudit(ctx context.Context, f gs.AuditFilter, fn func(gs.AuditEntry) error) error
	// Users lists the accounts, to tell which town an entry belongs to.
	Users(ctx context.Context) ([]gs.User, error)
	// UserByUsername returns an account, to name the person who did
	// something (PersonName).
	UserByUsername(ctx context.Context, username string) (*gs.User, error)
}

// UserStore keeps accounts and the throttling of logins.
type UserStore interface {
	// BeginLogin reads the account of a username for a login attempt from
	// a client address and counts the attempt as a failure, or refuses it
	// while the username is locked or the address must wait.
	BeginLogin(ctx context.Context, username, client string, now time.Time, limits store.LoginLimits) (*store.LoginAttempt, error)
	// LoginSucceeded takes back the failure of a login whose password was
	// right.
	LoginSucceeded(ctx context.Context, userID int64, username, client string, audit ...gs.AuditEntry) error
	// DeleteStaleLoginFailures forgets the failed logins that make nobody
	// wait and are older than before.
	DeleteStaleLoginFailures(ctx context.Context, before, now time.Time) (int64, error)
	// CreateFirstUser creates the first account, if there is none.
	CreateFirstUser(ctx context.Context, u *gs.User, passwordHash string, audit ...gs.AuditEntry) (bool, error)
	// CreateUser creates an account.
	CreateUser(ctx context.Context, u *gs.User, passwordHash string, audit ...gs.AuditEntry) error
	// CreateUsers stores new accounts at once, all or none.
	CreateUsers(ctx context.Context, us []*gs.User, hashes []string, audit ...gs.AuditEntry) error
	// UserByUsername returns an account.
	UserByUsername(ctx context.Context, username string) (*gs.User, error)
	// Users lists the accounts.
	Users(ctx context.Context) ([]gs.User, error)
	// SetPasswordHash replaces an account's password hash.
	SetPasswordHash(ctx context.Context, username, passwordHash string, mustChange bool, audit ...gs.AuditEntry) error
	// SetUserDisabled disables or enables an account.
	SetUserDisabled(ctx context.Context, username string, disabled bool, audit ...gs.AuditEntry) error
	// TownAccounts lists a town's accounts with their last login.
	TownAccounts(ctx context.Context, town, loginAction string) ([]store.Account, error)
	// ChangeTownAccount changes an account of a town, keeping the town an
	// administrator.
	ChangeTownAccount(ctx context.Context, town, username string, c store.AccountChange, audit ...gs.AuditEntry) error
	// GridWorkers lists a town's workers, to link accounts to them.
	GridWorkers(ctx context.Context, town string) ([]gs.TownWorker, error)
}

// SessionStore keeps the sessions of logged-in users.
type SessionStore interface {
	// CreateSession stores a new session.
	CreateSession(ctx context.Context, s store.Session) error
	// SessionByTokenHash returns a session and its user.
	SessionByTokenHash(ctx context.Context, tokenHash string) (*store.Session, *gs.User, error)
	// TouchSession extends a session.
	TouchSession(ctx context.Context, tokenHash string, now, expiresAt time.Time) error
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, tokenHash string) error
	// DeleteExpiredSessions removes sessions expired at now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int64, error)
}

// Store is what Service needs of the store.
type Store interface {
	ImportStore
	RecordStore
	TownStore
	AssessStore
	QuarterStore
	UploadStore
	AuditStore
	FilingStore
	SurveyStore // survey.go
	APIStore
	MappingStore
}

// FilingStore keeps the towns' signing keys, the public keys the district
// registered and the filing packages it imported (filing_signed.go).
type FilingStore interface {
	TownKey(ctx context.Context, town string, create func() (pub, priv string, err error), audit gs.AuditEntry) (pub, priv string, err error)
	RegisterFilingKey(ctx context.Context, town, pub string, replace bool, audit gs.AuditEntry) error
	FilingKey(ctx context.Context, town string) (string, bool, error)
	FilingKeys(ctx context.Context) (map[string]string, error)
	SaveFiling(ctx context.Context, f gs.ImportedFiling, pkg []byte, audit gs.AuditEntry) error
	ImportedFilings(ctx context.Context, quarter string) ([]gs.ImportedFiling, error)
	FilingPackage(ctx context.Context, town, quarter string) (pkg []byte, pub string, found bool, err error)
}

// AuthStore is what Auth needs of the store.
type AuthStore interface {
	UserStore
	SessionStore
	AuditStore
}

// *store.DB is the store of both services.
var (
	_ Store     = (*store.DB)(nil)
	_ AuthStore = (*store.DB)(nil)
)
