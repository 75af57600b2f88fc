package xiezuo

import (
	"errors"
	"fmt"
)

// Error codes. They are mapped to exit codes and HTTP statuses in one place each.
const (
	ENOTFOUND  = "not_found"
	EINVALID   = "invalid"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
	ETOOLARGE  = "too_large" // an upload over its limit (HTTP 413)
	// EUNAVAILABLE: the database cannot take the request now (a PostgreSQL failover in
	// progress); the same request later may succeed (HTTP 503).
	EUNAVAILABLE = "unavailable"
)

// Error is a domain failure: a code for programs and a Chinese message for the user.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted Chinese message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user message of the first *Error in err's chain, and a generic
// message for any other error: driver and system messages are never shown to users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请联系管理员"
}
