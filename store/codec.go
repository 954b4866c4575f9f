package store

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/gridscore/gridscore"
)

// How values are stored, the same on every engine:
//
//   - a Date is TEXT 'YYYY-MM-DD' (it sorts and compares as text), NULL for
//     the zero Date;
//   - an instant is BIGINT unix seconds, NULL for the zero time; it is read
//     back in CST;
//   - money is BIGINT fen, NULL when the worker has no own amount;
//   - a flag is SMALLINT 0 or 1 (BOOLEAN does not travel between engines);
//   - optional text is NULL when empty, since some engines turn '' into NULL
//     anyway; it reads back as "".

// dateLayout is how a Date is written in a TEXT column.
const dateLayout = "2006-01-02"

// dateValue returns the column value of a Date.
func dateValue(d gridscore.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// timeValue returns the column value of an instant (sub-second parts are
// dropped: every source of records is precise to the second).
func timeValue(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

// fenValue returns the column value of an optional amount.
func fenValue(f *gridscore.Fen) any {
	if f == nil {
		return nil
	}
	return int64(*f)
}

// flagValue returns the column value of a flag.
func flagValue(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// textValue returns the column value of optional text.
func textValue[T ~string](s T) any {
	if s == "" {
		return nil
	}
	return string(s)
}

// dateDest scans a date column into a Date.
type dateDest struct{ p *gridscore.Date }

// Scan implements sql.Scanner.
func (d dateDest) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*d.p = 0
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case time.Time: // a driver that recognised the text as a date
		*d.p = gridscore.NewDate(v.Year(), v.Month(), v.Day())
		return nil
	default:
		return fmt.Errorf("date column holds %T", src)
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return fmt.Errorf("date column holds %q", s)
	}
	*d.p = gridscore.NewDate(t.Year(), t.Month(), t.Day())
	return nil
}

// timeDest scans an instant column into a time in CST.
type timeDest struct{ p *time.Time }

// Scan implements sql.Scanner.
func (d timeDest) Scan(src any) error {
	if v, ok := src.(int64); ok { // the common case, without conversions
		*d.p = time.Unix(v, 0).In(gridscore.CST)
		return nil
	}
	if src == nil {
		*d.p = time.Time{}
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("time column: %w", err)
	}
	*d.p = time.Unix(n.Int64, 0).In(gridscore.CST)
	return nil
}

// fenDest scans a money column into an optional amount.
type fenDest struct{ p **gridscore.Fen }

// Scan implements sql.Scanner.
func (d fenDest) Scan(src any) error {
	if src == nil {
		*d.p = nil
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("money column: %w", err)
	}
	f := gridscore.Fen(n.Int64)
	*d.p = &f
	return nil
}

// flagDest scans a 0/1 column into a flag.
type flagDest struct{ p *bool }

// Scan implements sql.Scanner.
func (d flagDest) Scan(src any) error {
	switch v := src.(type) {
	case bool:
		*d.p = v
		return nil
	case int64:
		*d.p = v != 0
		return nil
	}
	var n sql.NullInt64
	if err := n.Scan(src); err != nil {
		return fmt.Errorf("flag column: %w", err)
	}
	*d.p = n.Int64 != 0
	return nil
}

// textDest scans an optional text column into a string or a string type.
type textDest[T ~string] struct{ p *T }

// Scan implements sql.Scanner.
func (d textDest[T]) Scan(src any) error {
	if v, ok := src.(string); ok { // the common case, without conversions
		*d.p = T(v)
		return nil
	}
	var s sql.NullString
	if err := s.Scan(src); err != nil {
		return fmt.Errorf("text column: %w", err)
	}
	*d.p = T(s.String)
	return nil
}

// text returns a scanner into *p that reads NULL as "".
func text[T ~string](p *T) textDest[T] { return textDest[T]{p} }
