package prober

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
)

// readResponse reads the final response to req from conn, whose deadline
// is set: the head up to probe.MaxHeadBytes, then Content-Length bytes of
// body up to probe.MaxBodyBytes, skipping (and returning the start lines
// of) provisional 1xx responses. The response is returned whenever its
// head was read, with the failure if any.
func readResponse(conn net.Conn, req engine.Message, timeout time.Duration) (*probe.Response, []string, *probe.Failure) {
	var buf []byte
	tmp := make([]byte, 4096)
	var prov []string
	var readErr error
	fill := func(limit int) {
		n := min(len(tmp), limit)
		if n <= 0 {
			n = 1
		}
		m, err := conn.Read(tmp[:n])
		buf = append(buf, tmp[:m]...)
		if err != nil {
			readErr = err
		}
	}
	for {
		// The head.
		var n int
		for {
			hl, err := probe.HeadLength(buf)
			if err != nil {
				return nil, prov, parseFailure(err)
			}
			if hl > 0 {
				n = hl
				break
			}
			if readErr != nil {
				return nil, prov, incomplete(buf, readErr, timeout, true)
			}
			fill(probe.MaxHeadBytes + 1 - len(buf))
		}
		r, err := probe.ParseResponse(buf[:n])
		if err != nil {
			return nil, prov, parseFailure(err)
		}
		resp := &r

		// The body.
		cl := r.ContentLength
		if cl > probe.MaxBodyBytes {
			return resp, prov, &probe.Failure{Stage: probe.StageResponse, Kind: probe.FailBodyTooLarge,
				Message: fmt.Sprintf("the %d response announces a body of %d bytes; the limit is %d (%d KiB), so it was not read", r.Status, cl, probe.MaxBodyBytes, probe.MaxBodyBytes>>10)}
		}
		if cl < 0 {
			cl = 0
		}
		for len(buf)-n < cl {
			if readErr != nil {
				f := incomplete(buf[n:], readErr, timeout, false)
				f.Message = fmt.Sprintf("the body ended after %d of the %d bytes its Content-Length announced: %s", len(buf)-n, cl, f.Message)
				return resp, prov, f
			}
			fill(n + cl - len(buf))
		}
		r.Body = string(buf[n : n+cl])
		buf = buf[n+cl:]

		if f := mismatch(r, req); f != nil {
			return resp, prov, f
		}
		if r.Status >= 200 {
			return resp, prov, nil
		}
		prov = append(prov, r.StartLine)
		if len(prov) > maxProvisional {
			return resp, prov, &probe.Failure{Stage: probe.StageResponse, Kind: probe.FailTimeout,
				Message: fmt.Sprintf("more than %d provisional responses and no final one", maxProvisional)}
		}
	}
}

// mismatch checks that r answers req (RFC 3261 §17.1.3: the same
// Call-ID and CSeq).
func mismatch(r probe.Response, req engine.Message) *probe.Failure {
	want := func(name string) string {
		if v := req.Get(name); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	got := func(name string) string {
		if v := r.Get(name); len(v) > 0 {
			return v[0]
		}
		return ""
	}
	if g, w := got("Call-ID"), want("Call-ID"); g != w {
		return &probe.Failure{Stage: probe.StageResponse, Kind: probe.FailMismatch,
			Message: fmt.Sprintf("the %d response has Call-ID %s; the request sent has %s", r.Status, strconv.Quote(g), strconv.Quote(w))}
	}
	if g, w := strings.Join(strings.Fields(got("CSeq")), " "), want("CSeq"); !strings.EqualFold(g, w) {
		return &probe.Failure{Stage: probe.StageResponse, Kind: probe.FailMismatch,
			Message: fmt.Sprintf("the %d response has CSeq %s; the request sent has %s", r.Status, strconv.Quote(g), strconv.Quote(w))}
	}
	return nil
}

// parseFailure turns a probe.ParseError into a failure.
func parseFailure(err error) *probe.Failure {
	var pe *probe.ParseError
	if errors.As(err, &pe) {
		return &probe.Failure{Stage: probe.StageResponse, Kind: pe.Kind, Message: pe.Error()}
	}
	return &probe.Failure{Stage: probe.StageResponse, Kind: probe.FailOther, Message: err.Error()}
}

// incomplete describes a response that stopped before its end: the read
// error, and what had arrived. head says whether got is the start of a
// head, whose first line may show that the server does not speak SIP
// (HTTP, a TLS record, a request, anything else); a body's bytes say
// nothing of the kind, and neither does the start of a status line cut
// short ("SI" of a 401 sent one byte at a time): the time running out
// is then the failure.
func incomplete(got []byte, err error, timeout time.Duration, head bool) *probe.Failure {
	if head && len(got) > 0 && !sipStart(got) {
		// Name what arrived if it is recognisably not SIP.
		if _, perr := probe.ParseResponse(append(got[:len(got):len(got)], "\r\n\r\n"...)); perr != nil {
			var pe *probe.ParseError
			if errors.As(perr, &pe) && (pe.Kind == probe.ErrHTTP || pe.Kind == probe.ErrNotSIP || pe.Kind == probe.ErrRequest || pe.Kind == probe.ErrTLSRecord) {
				return &probe.Failure{Stage: probe.StageResponse, Kind: pe.Kind, Message: pe.Error()}
			}
		}
	}
	kind := kindOf(err)
	msg := describe(err, timeout)
	switch {
	case len(got) > 0:
		first, _, _ := strings.Cut(string(got), "\n")
		what := fmt.Sprintf("%d bytes arrived, starting %s", len(got), quoteCut(strings.TrimSuffix(first, "\r")))
		switch kind {
		case probe.FailTimeout:
			msg = fmt.Sprintf("the response did not end within %v: %s", timeout, what)
		case probe.FailClosed:
			msg = "the server closed the connection in the middle of its response: " + what
		default:
			msg += ": " + what
		}
	case kind == probe.FailClosed:
		msg = "the server closed the connection without answering"
	}
	return &probe.Failure{Stage: probe.StageResponse, Kind: kind, Message: msg}
}

// sipStart reports whether got, the first bytes of a head, may be a SIP
// status line still arriving: its first line is not complete, and it and
// "SIP/2.0 " agree as far as both go.
func sipStart(got []byte) bool {
	const start = "SIP/2.0 "
	if bytes.IndexByte(got, '\n') >= 0 {
		return false
	}
	n := min(len(got), len(start))
	return string(got[:n]) == start[:n]
}

// handshakeFailure classifies a failed TLS handshake.
func handshakeFailure(err error, timeout time.Duration) *probe.Failure {
	f := &probe.Failure{Stage: probe.StageTLS}
	var rh tls.RecordHeaderError
	var oe *net.OpError
	switch {
	case errors.As(err, &rh):
		f.Kind = probe.FailNotTLS
		h := string(rh.RecordHeader[:])
		switch {
		case strings.HasPrefix(h, "SIP/"):
			f.Message = fmt.Sprintf("it answered the TLS ClientHello in clear-text SIP (%s...): the port serves SIP over TCP", quoteCut(h))
		case strings.HasPrefix(h, "HTTP/"):
			f.Message = fmt.Sprintf("it answered the TLS ClientHello in clear-text HTTP (%s...): the port serves plain HTTP", quoteCut(h))
		default:
			f.Message = fmt.Sprintf("its first bytes (% x) are not a TLS record", rh.RecordHeader[:])
		}
	case errors.As(err, &oe) && oe.Op == "remote error":
		f.Kind = probe.FailTLSAlert
		f.Message = fmt.Sprintf("the server sent the TLS alert %q", strings.TrimPrefix(oe.Err.Error(), "tls: "))
	default:
		f.Kind = kindOf(err)
		switch f.Kind {
		case probe.FailTimeout, probe.FailReset, probe.FailClosed:
			f.Message = describe(err, timeout) + " during the handshake"
		default:
			f.Kind = probe.FailTLS
			f.Message = err.Error()
		}
	}
	return f
}

// kindOf classifies a network error.
func kindOf(err error) probe.FailureKind {
	var ne net.Error
	switch {
	case err == nil:
		return probe.FailOther
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return probe.FailTimeout
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, net.ErrClosed):
		return probe.FailClosed
	}
	if k := errnoKind(err); k != "" {
		return k
	}
	return probe.FailOther
}

// describe says what a network error means, in a few words.
func describe(err error, timeout time.Duration) string {
	switch kindOf(err) {
	case probe.FailTimeout:
		return fmt.Sprintf("no answer within %v", timeout)
	case probe.FailRefused:
		return "connection refused"
	case probe.FailReset:
		return "the server reset the connection"
	case probe.FailClosed:
		return "the server closed the connection"
	case probe.FailUnreachable:
		return "no route to the address"
	}
	return err.Error()
}

func quoteCut(s string) string {
	if len(s) > 60 {
		s = s[:60]
	}
	return strconv.Quote(s)
}
