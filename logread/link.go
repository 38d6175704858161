package logread

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A log link carries a log's sign-in ladder, redacted, in the link's
// fragment ("#l=…", on the log page), the way a snapshot link carries a
// check's report (check/snapshot): the JSON of a Ladder, gzip-compressed
// (RFC 1952) and base64url-encoded without padding. Nothing of it is
// sent to a server: a browser does not send a fragment.
const (
	// LinkPrefix starts a log link's fragment.
	LinkPrefix = "#l="
	// MaxLink bounds a log link's fragment, in bytes: the encoder leaves
	// out the first attempts until the link fits (Ladder.Omitted), the
	// decoder refuses a longer one.
	MaxLink = 64 << 10
	// MaxLinkJSON bounds what a link's data may expand to.
	MaxLinkJSON = 1 << 20
	// maxLinkString bounds each text in a link; the reader keeps none
	// longer (clip).
	maxLinkString = 2048
	// LinkVersion is the format log links are written in.
	LinkVersion = 1
)

// Ladder is what a log link carries: the log's format, the client's
// User-Agent, the sign-in with its attempts as ladders (each step its
// time, direction, remote address, start line, Call-ID and CSeq; no
// headers, no local address, no body) and the ms-diagnostics headers as
// the log had them, redacted. Nothing else of the log: not its other
// messages, its evidence lines or its problems.
type Ladder struct {
	V           int            `json:"v"`
	Format      Format         `json:"format"`
	Client      string         `json:"client,omitempty"`
	SignIn      *SignIn        `json:"signIn"`
	Diagnostics []LinkDiag     `json:"diagnostics"`
	Folded      map[string]int `json:"folded,omitempty"`
	// Omitted counts the first attempts left out to keep the link
	// within MaxLink.
	Omitted int `json:"omitted,omitempty"`
}

// LinkDiag is an ms-diagnostics header as a link carries it: the decoder
// reads its code, reason and meaning again from the value (Diagnostic).
type LinkDiag struct {
	Header string `json:"header"`
	Raw    string `json:"raw"`
	Status int    `json:"status,omitempty"`
	Line   int    `json:"line"`
	Count  int    `json:"count"`
}

// LadderOf returns the part of l a link carries (Ladder), or nil when l
// has no sign-in to share.
func LadderOf(l *Log) *Ladder {
	if l.SignIn == nil {
		return nil
	}
	si := *l.SignIn
	si.Offered = slices.Clone(si.Offered)
	si.Redirects = slices.Clone(si.Redirects)
	si.Attempts = make([]Attempt, len(l.SignIn.Attempts))
	for i, a := range l.SignIn.Attempts {
		a.Offered = slices.Clone(a.Offered)
		a.Steps = slices.Clone(a.Steps)
		for j := range a.Steps {
			a.Steps[j].Headers, a.Steps[j].Local = nil, ""
		}
		si.Attempts[i] = a
	}
	lad := &Ladder{V: LinkVersion, Format: l.Format, Client: l.Client, SignIn: &si, Diagnostics: []LinkDiag{}, Folded: l.Folded}
	for _, d := range l.Diagnostics {
		lad.Diagnostics = append(lad.Diagnostics, LinkDiag{Header: d.Header, Raw: d.Raw, Status: d.Status, Line: d.Line, Count: d.Count})
	}
	return lad
}

// EncodeLink returns the fragment of a link to l's ladder (LadderOf),
// "#l=…". When the whole ladder makes a link longer than MaxLink, the
// first attempts are left out (the sign-in is the last one's) and
// counted in Ladder.Omitted; a ladder whose last attempt alone is too
// long, or a log without a sign-in, is an error.
func EncodeLink(l *Log) (string, error) {
	lad := LadderOf(l)
	if lad == nil {
		return "", errors.New("the log has no sign-in to link to")
	}
	all := lad.SignIn.Attempts
	for keep := len(all); keep > 0; {
		lad.SignIn.Attempts = all[len(all)-keep:]
		lad.Omitted = len(all) - keep
		frag, err := encodeLadder(lad)
		if err != nil {
			return "", err
		}
		if len(frag) <= MaxLink {
			return frag, nil
		}
		next := keep * MaxLink / len(frag)
		if next >= keep {
			next = keep - 1
		}
		if next < 1 && keep > 1 {
			next = 1
		}
		keep = next
	}
	return "", errors.New("the last sign-in attempt alone makes a link longer than " + strconv.Itoa(MaxLink) + " bytes")
}

func encodeLadder(lad *Ladder) (string, error) {
	var js bytes.Buffer
	enc := json.NewEncoder(&js)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(lad); err != nil {
		return "", err
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(bytes.TrimSuffix(js.Bytes(), []byte("\n")))
	if err := w.Close(); err != nil {
		return "", err
	}
	return LinkPrefix + base64.RawURLEncoding.EncodeToString(gz.Bytes()), nil
}

// IsLink reports whether a fragment is meant as a log link.
func IsLink(fragment string) bool {
	return strings.HasPrefix(fragment, LinkPrefix) || strings.HasPrefix(fragment, LinkPrefix[1:])
}

// ErrLinkDamaged is a link whose data was cut short or altered.
var ErrLinkDamaged = errors.New("the log link is damaged (cut short or altered): ask for the link again")

// DecodeLink reads a log link's fragment ("#l=…" or "l=…") and checks
// all of it before anything may show it: its length, its compressed data
// and checksum, nothing after the data, every field known, each list and
// text within the reader's limits, and every value one the reader
// writes. It returns the ladder as a Log (no messages, evidence or
// problems), its texts redacted again (Redact) and its diagnostics'
// meanings read again from [MS-OCER]'s table, so that a link made by
// hand shows no more than one sipdisco wrote. The error says whether
// the link is no log link, was cut short or altered, or holds something
// sipdisco does not write.
func DecodeLink(fragment string) (*Log, *Ladder, error) {
	if !IsLink(fragment) {
		return nil, nil, errors.New("not a log link: its fragment does not start with " + LinkPrefix)
	}
	data := fragment[strings.Index(fragment, "=")+1:]
	if len(data)+len(LinkPrefix) > MaxLink {
		return nil, nil, errors.New("the log link is " + strconv.Itoa(len(data)+len(LinkPrefix)) + " bytes long, more than the " + strconv.Itoa(MaxLink) + " a sipdisco log link can be")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(data)
	if err != nil {
		return nil, nil, errors.New("the log link is damaged: " + err.Error())
	}
	br := bytes.NewReader(raw)
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, nil, ErrLinkDamaged
	}
	zr.Multistream(false)
	js, err := io.ReadAll(io.LimitReader(zr, MaxLinkJSON+1))
	switch {
	case err != nil:
		return nil, nil, ErrLinkDamaged
	case len(js) > MaxLinkJSON:
		return nil, nil, errors.New("the log link expands to more than " + strconv.Itoa(MaxLinkJSON) + " bytes; it is not a sipdisco log link")
	case br.Len() > 0:
		return nil, nil, ErrLinkDamaged
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	var lad Ladder
	if err := dec.Decode(&lad); err != nil {
		return nil, nil, errors.New("the log link holds no sipdisco ladder: " + err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, errors.New("the log link holds more than one ladder")
	}
	if err := lad.check(); err != nil {
		return nil, nil, errors.New("the log link holds no sipdisco ladder: " + err.Error())
	}
	return lad.log(), &lad, nil
}

var (
	linkFormats   = []Format{FormatUccApi, FormatServer, FormatPlainSIP}
	linkOutcomes  = []Outcome{SignedIn, Failed, Challenged, Redirected, Unknown}
	linkDirection = []Direction{"", Sent, Received}
)

// check holds a decoded ladder to what the reader writes.
func (lad *Ladder) check() error {
	d := DefaultLimits()
	si := lad.SignIn
	switch {
	case lad.V != LinkVersion:
		return errors.New("format version " + strconv.Itoa(lad.V) + " is not one this page reads (" + strconv.Itoa(LinkVersion) + ")")
	case !slices.Contains(linkFormats, lad.Format):
		return errors.New("no log format sipdisco reads a ladder from: " + strconv.Quote(clip(string(lad.Format), 40)))
	case si == nil:
		return errors.New("it has no sign-in")
	case len(si.Attempts) == 0 || len(si.Attempts) > d.Calls:
		return errors.New(strconv.Itoa(len(si.Attempts)) + " attempts; a ladder has 1 to " + strconv.Itoa(d.Calls))
	case len(lad.Diagnostics) > d.Evidence || len(lad.Folded) > 16 || len(si.Offered) > 8 || len(si.Redirects) > d.Calls:
		return errors.New("a list in it is longer than the reader writes")
	case lad.Omitted < 0 || lad.Omitted > 1<<20:
		return errors.New("a count in it is out of range")
	case !slices.Contains(linkOutcomes, si.Outcome):
		return errors.New("an outcome sipdisco does not write")
	}
	texts := []string{lad.Client, si.Address, si.Server, si.Peer, si.Chosen, si.FinalReason}
	texts = append(append(texts, si.Offered...), si.Redirects...)
	for k, n := range lad.Folded {
		if n < 0 {
			return errors.New("a count in it is out of range")
		}
		texts = append(texts, k)
	}
	for _, g := range lad.Diagnostics {
		if g.Header != "ms-diagnostics" && g.Header != "ms-diagnostics-public" {
			return errors.New("a diagnostic header that is no ms-diagnostics")
		}
		if g.Count < 0 || g.Line < 0 || g.Status < 0 {
			return errors.New("a count in it is out of range")
		}
		texts = append(texts, g.Raw)
	}
	for _, a := range si.Attempts {
		if len(a.Steps) > d.PerCall || len(a.Offered) > 8 || !slices.Contains(linkOutcomes, a.Outcome) || a.Dropped < 0 {
			return errors.New("an attempt in it is not one the reader writes")
		}
		texts = append(texts, a.CallID, a.Address, a.Server, a.Peer, a.Chosen, a.FinalReason, a.Redirect)
		texts = append(texts, a.Offered...)
		for _, s := range a.Steps {
			if !slices.Contains(linkDirection, s.Direction) || s.Status < 0 || s.Line < 0 || s.BodyBytes < 0 {
				return errors.New("a step in it is not one the reader writes")
			}
			texts = append(texts, s.Time, s.Remote, s.StartLine, s.CallID, s.CSeq, s.Method)
		}
	}
	for _, t := range texts {
		if len(t) > maxLinkString {
			return errors.New("a text in it is " + strconv.Itoa(len(t)) + " bytes long, more than " + strconv.Itoa(maxLinkString))
		}
	}
	return nil
}

// log turns a checked ladder into the Log the renderers show, its texts
// redacted again and its diagnostics read again.
func (lad *Ladder) log() *Log {
	si := lad.SignIn
	if si.Offered == nil {
		si.Offered = []string{}
	}
	if si.Redirects == nil {
		si.Redirects = []string{}
	}
	si.Address, si.Server, si.Peer, si.FinalReason = Redact(si.Address), Redact(si.Server), Redact(si.Peer), Redact(si.FinalReason)
	for i := range si.Redirects {
		si.Redirects[i] = Redact(si.Redirects[i])
	}
	for i := range si.Attempts {
		a := &si.Attempts[i]
		if a.Steps == nil {
			a.Steps = []Message{}
		}
		if a.Offered == nil {
			a.Offered = []string{}
		}
		a.Address, a.Server, a.Peer, a.FinalReason, a.Redirect = Redact(a.Address), Redact(a.Server), Redact(a.Peer), Redact(a.FinalReason), Redact(a.Redirect)
		for j := range a.Steps {
			s := &a.Steps[j]
			s.Headers, s.Local = nil, ""
			s.StartLine, s.Remote = Redact(s.StartLine), Redact(s.Remote)
		}
	}
	folded := map[string]int{}
	for k, n := range lad.Folded {
		folded[k] = n
	}
	l := &Log{Format: lad.Format, Why: "a redacted copy of a log's sign-in ladder, carried in a link", Client: Redact(lad.Client),
		Messages: []Message{}, SignIn: si, Diagnostics: []Diagnostic{}, Folded: folded,
		Discovery: Discovery{Servers: []string{}, Evidence: []Evidence{}}, Problems: []Problem{}}
	if lad.Format == FormatServer {
		l.Perspective = "server"
	} else if lad.Format == FormatUccApi {
		l.Perspective = "client"
	}
	for _, g := range lad.Diagnostics {
		d := parseDiagnostic(g.Header, g.Raw)
		d.Status, d.Line, d.Count = g.Status, g.Line, g.Count
		l.Diagnostics = append(l.Diagnostics, d)
	}
	return l
}
