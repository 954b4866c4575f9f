package gridscore

import (
	"io"
	"time"
)

// Upload is a staged import: who sent which files for which town, and when.
// The files wait in the store until the person who sent them commits or
// cancels the import.
type Upload struct {
	ID        int64
	Town      string
	Username  string
	CreatedAt time.Time
	// Size is the total of the files' sizes in bytes.
	Size  int64
	Files []UploadFile
	// CommittedAt and CommittedBy (a username) are set once the upload was
	// imported; its files are then gone and its report is kept.
	CommittedAt time.Time
	CommittedBy string
}

// Committed reports whether the upload was imported.
func (u *Upload) Committed() bool { return !u.CommittedAt.IsZero() }

// UploadFile is one staged file: its name (which tells its kind, as for the
// command line) and size. Body is what the store reads when the upload is
// staged; it is nil in what the store returns.
type UploadFile struct {
	Name string
	Size int64
	Body io.Reader
}
