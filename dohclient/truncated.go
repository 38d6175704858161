package dohclient

import (
	"errors"
	"fmt"

	"github.com/sipdisco/sipdisco/engine"
)

// ErrTruncated is the error, wrapped, when an answer does not fit in one
// DNS message: a reply with the TC bit set (RFC 1035 §4.1.1) from an
// endpoint, or an in-memory answer checked with resolve/wire's
// CheckMessageSize. The error wrapping it is a *TruncatedError.
//
// Over UDP, a client that gets TC asks again over TCP; DoH already carries
// the largest message DNS has (65,535 octets, RFC 1035 §4.2.2, RFC 8484
// §6), so there is nothing to retry over. RFC 2181 §9 says a client
// should ignore a truncated response, and discovery does: the lookup is
// failed, not answered with a partial record set that would make the
// client's choice look different from what it is.
var ErrTruncated = errors.New("truncated DNS response (TC bit set): the answer does not fit in one DNS message of 65,535 bytes, and a truncated answer is not used (RFC 2181 §9)")

// TruncatedError is the error for an answer that does not fit in one DNS
// message. It unwraps to ErrTruncated.
type TruncatedError struct {
	// Answer is the answer: every record when CheckMessageSize found it
	// too large, the records the reply held when a client received it.
	// dohclient/server's handler answers a Resolver's TruncatedError
	// with these records, cut to what fits, and TC.
	Answer engine.Answer
	// Sent is the number of answer records the truncated reply holds.
	Sent int
}

// Error returns ErrTruncated's text and the number of records sent.
func (e *TruncatedError) Error() string {
	if e.Sent == 1 {
		return ErrTruncated.Error() + "; the reply holds 1 answer record"
	}
	return fmt.Sprintf("%s; the reply holds %d answer records", ErrTruncated, e.Sent)
}

// Unwrap returns ErrTruncated.
func (e *TruncatedError) Unwrap() error { return ErrTruncated }
