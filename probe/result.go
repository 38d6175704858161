package probe

import (
	"github.com/sipdisco/sipdisco/engine"
)

// Result is what the real servers answered: the report's "probe" field,
// engine.Probe (see the package comment for its JSON form). The data
// types live in package engine, so that a report is one type everywhere
// (docs/adr/0010-the-probe-is-part-of-the-report.md); this package gives
// them their names in the probe's vocabulary and the functions that fill
// and judge them.
type Result = engine.Probe

// Outcome is how an attempt ended.
type Outcome = engine.ProbeOutcome

// Attempt outcomes.
const (
	// Answered: a SIP response to the REGISTER was read.
	Answered = engine.ProbeAnswered
	// Failed: the connection, the TLS handshake, the sending or the
	// response failed; Failure says how.
	Failed = engine.ProbeFailed
	// Skipped: the candidate was not contacted; Failure says why (its
	// transport is not allowed, it has no address).
	Skipped = engine.ProbeSkipped
)

// SourceRedirect is the source of an attempt made to follow a redirect.
const SourceRedirect = "redirect"

// Attempt is one connection to one server and what happened on it
// (engine.ProbeAttempt).
type Attempt = engine.ProbeAttempt

// Failure is how an attempt failed: at which stage, what kind of failure,
// and a sentence with the specifics (engine.ProbeFailure).
type Failure = engine.ProbeFailure

// Stage is the part of an attempt a failure happened in.
type Stage = engine.ProbeStage

// Stages of an attempt.
const (
	StageResolve  = engine.ProbeStageResolve
	StageConnect  = engine.ProbeStageConnect
	StageTLS      = engine.ProbeStageTLS
	StageSend     = engine.ProbeStageSend
	StageResponse = engine.ProbeStageResponse
)

// Limits on a Result read from outside (a pasted JSON, a snapshot link),
// which Result.Validate applies.
const (
	// MaxAttempts is the most attempts a result may hold.
	MaxAttempts = engine.MaxProbeAttempts
	// MaxFindings is the most findings of one attempt, or of the whole.
	MaxFindings = engine.MaxProbeFindings
)

// FailureKind says what kind of failure ended an attempt.
type FailureKind = engine.ProbeFailureKind

// Failure kinds, beside the ParseError kinds (ErrHTTP, ErrTLSRecord,
// ErrRequest, ErrNotSIP, ErrMalformed, ErrTooLarge), which a response
// failure carries as they are.
const (
	// FailRefused: the connection was refused (nothing listens).
	FailRefused FailureKind = "refused"
	// FailReset: the server reset the connection.
	FailReset FailureKind = "reset"
	// FailTimeout: no answer within the time limit of the stage.
	FailTimeout FailureKind = "timeout"
	// FailUnreachable: no route to the address.
	FailUnreachable FailureKind = "unreachable"
	// FailNoAddress: the host has no address to connect to.
	FailNoAddress FailureKind = "no-address"
	// FailTLSAlert: the server ended the TLS handshake with an alert.
	FailTLSAlert FailureKind = "tls-alert"
	// FailNotTLS: the server answered the TLS handshake with something
	// else (clear-text SIP, HTTP).
	FailNotTLS FailureKind = "not-tls"
	// FailTLS: the TLS handshake failed otherwise.
	FailTLS FailureKind = "tls"
	// FailClosed: the server closed the connection before a complete
	// response.
	FailClosed FailureKind = "closed"
	// FailBodyTooLarge: the response announced a body over MaxBodyBytes.
	FailBodyTooLarge FailureKind = "body-too-large"
	// FailMismatch: the response is not for the REGISTER sent (another
	// Call-ID or CSeq).
	FailMismatch FailureKind = "mismatch"
	// FailNotAllowed: the candidate's transport is not allowed by the
	// policy, or the redirect's target is not usable.
	FailNotAllowed FailureKind = "not-allowed"
	// FailNotTried: the probe's overall time limit ran out before the
	// candidate's turn (a skipped attempt).
	FailNotTried FailureKind = "not-tried"
	// FailOther: anything else; Message says what.
	FailOther FailureKind = "other"
)

// TLSInfo is what the TLS handshake gave (engine.ProbeTLS): the
// parameters negotiated, the chain the server presented, and how it fares
// against the client's rules and against trusted roots.
type TLSInfo = engine.ProbeTLS
