package gridscore

import (
	"errors"
	"fmt"
)

// Error codes shared by every layer; the HTTP layer maps each to a status.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	// ETOOMANY refuses a request that comes too often or while too many
	// others are served (too many logins at once, too many failed ones).
	ETOOMANY = "too_many"
	// ETOOLARGE refuses a request larger than the bound of what it sends
	// (an API request of too many records).
	ETOOLARGE = "too_large"
)

// Error is an application error: a code for programs and a message for people
// (in Chinese, since people reading it are the center's staff).
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an application error, or a generic
// message for any other error (internal details are logged, not shown).
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "内部错误，请联系管理员。"
}
