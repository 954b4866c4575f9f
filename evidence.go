package gridscore

import "time"

// Evidence is a file attached to a finding (佐证): a photo or a PDF kept
// with the records.
type Evidence struct {
	ID          int64
	FindingID   string
	Name        string
	ContentType string
	Size        int64
	// Content is the file; a listing of a finding's files leaves it empty.
	Content    []byte
	UploadedBy string
	UploadedAt time.Time
}
