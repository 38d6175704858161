package check

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Snapshot is what a snapshot link carries: a whole report, when it was
// taken and through which resolver. A snapshot proves nothing about who
// made it: anyone can write one, so a page shows its answers as recorded
// by whoever made the link.
type Snapshot struct {
	// V is the format version: 2, or 1 for a link made before snapshots
	// carried a checksum.
	V       int            `json:"v"`
	TakenAt time.Time      `json:"takenAt"`
	DoH     string         `json:"doh,omitempty"`
	Report  *engine.Report `json:"report"`
}

// SnapshotVersion is the format snapshot links are written in: the JSON of a
// Snapshot compressed in the gzip format (RFC 1952), whose CRC-32 and
// length of the JSON catch a link damaged in copying. (zlib's Adler-32
// was tried first and let a one-character change through: a change of
// the Huffman codes that turned "xam" into "wcl" throughout keeps both of
// its sums.) Version 1 links, raw DEFLATE (RFC 1951) without a checksum,
// still open; their first byte can never be gzip's 0x1f, whose low bits
// name the DEFLATE block type that RFC 1951 §3.2.3 reserves.
const SnapshotVersion = 2

// Limits on snapshot links: the encoded fragment and the JSON it inflates
// to, the JSON's nesting depth, the entries of one array or object, the
// values in all, and the length of one string. A real report nests about
// nine levels deep, has at most a few hundred entries in a list (the
// engine asks at most 64 questions) and strings of a few hundred bytes
// (names are at most 255 octets). MaxSnapshotHTML bounds the rendered
// report, which the front end checks after rendering.
const (
	MaxSnapshotLink    = 256 << 10
	MaxSnapshotJSON    = 1 << 20
	MaxSnapshotDepth   = 16
	MaxSnapshotEntries = 2000
	MaxSnapshotValues  = 100000
	MaxSnapshotString  = 16 << 10
	MaxSnapshotHTML    = 4 << 20
)

// snapshotPrefix starts a snapshot fragment.
const snapshotPrefix = "s="

// SnapshotJSON returns the JSON a snapshot link of s carries, in format
// SnapshotVersion, after checking that a decoder would accept it: its
// report is valid (ValidateReport) and within the limits, so that every
// link written opens.
//
// A snapshot link is "#s=" and the base64url text (RFC 4648 §5, no
// padding) of this JSON compressed in the gzip format (RFC 1952). This
// package reads and writes everything but the compression, which is
// check/snapshot's, the one codec: compress/gzip natively, the browser's
// Compression Streams in WebAssembly (keeping DEFLATE's code out of the
// first module).
// Decoding is SnapshotData, the decompression, CheckGzipTrailer (for a
// decompressor that does not check it) and SnapshotFromJSON.
func SnapshotJSON(s Snapshot) ([]byte, error) {
	if s.Report == nil {
		return nil, errors.New("share: snapshot without a report")
	}
	s.V = SnapshotVersion
	s.Report = boundForSnapshot(s.Report)
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("share: the report cannot be a snapshot: %v", err)
	}
	js, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	// The engine's reports keep within the other limits (nesting, list
	// lengths, text lengths; TestEveryDemoSnapshotOpens), and walking the
	// JSON costs the page's first check more than the rest of this.
	if len(js) > MaxSnapshotJSON {
		return nil, fmt.Errorf("share: the report is too large for a snapshot link (%d bytes of JSON)", len(js))
	}
	return js, nil
}

// SnapshotFragment returns the fragment "#s=…" carrying gz, a snapshot's
// JSON gzip-compressed by any compressor.
func SnapshotFragment(gz []byte) (string, error) {
	if err := gzipHeader(gz); err != nil {
		return "", fmt.Errorf("share: %v", err)
	}
	frag := "#" + snapshotPrefix + base64.RawURLEncoding.EncodeToString(gz)
	if len(frag) > MaxSnapshotLink {
		return "", fmt.Errorf("share: the report is too large for a snapshot link (%d bytes)", len(frag))
	}
	return frag, nil
}

// IsSnapshotFragment reports whether a link's fragment ("#…" or without
// the "#") is meant as a snapshot, well formed or not: "s=…", and the
// near misses "s", "S=…" and "s:…", which snapshot.Decode explains. Any
// other fragment is an anchor in the page.
func IsSnapshotFragment(fragment string) bool {
	f := strings.TrimPrefix(fragment, "#")
	if f == "" || f[0] != 's' && f[0] != 'S' {
		return false
	}
	return len(f) == 1 || f[1] == '=' || f[1] == ':'
}

// SnapshotData reads a snapshot fragment ("#s=…", "s=…") up to its
// compressed data: the "s=" prefix, the base64url text and the data's
// format, 2 for gzip (whose header must carry no name, comment or extra
// field) and 1 for raw DEFLATE. Its errors say in plain words whether the
// link is not a snapshot, was cut short or altered.
func SnapshotData(fragment string) (raw []byte, version int, err error) {
	f := strings.TrimPrefix(fragment, "#")
	data, ok := strings.CutPrefix(f, snapshotPrefix)
	switch {
	case !ok && (f == "s" || f == "S"):
		return nil, 0, errors.New("the snapshot link ends after #s: the report that follows #s= is missing; it was probably cut short when copied")
	case !ok && strings.HasPrefix(f, "S="):
		return nil, 0, errors.New("the snapshot link starts with #S=; snapshot links start with #s= (a lower-case s), so it was probably altered")
	case !ok && (strings.HasPrefix(f, "s:") || strings.HasPrefix(f, "S:")):
		return nil, 0, errors.New("the snapshot link starts with #s: instead of #s=, so it was probably altered")
	case !ok:
		return nil, 0, errors.New("this link has no snapshot: a snapshot link ends in #s= followed by the report")
	case data == "":
		return nil, 0, errors.New("the snapshot link is empty after #s=; it was probably cut short when copied")
	case len(data) > MaxSnapshotLink:
		return nil, 0, fmt.Errorf("the snapshot link is %d bytes long, more than the %d a sipdisco snapshot can be", len(data), MaxSnapshotLink)
	}
	raw, err = base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(data)-len(data)%4 {
			return nil, 0, errors.New("the snapshot link is truncated or altered: it ends in the middle of its data; it was probably cut short when copied")
		}
		if errors.As(err, &ce) {
			return nil, 0, fmt.Errorf("the snapshot link is damaged: character %d after #s= cannot be part of a snapshot", int64(ce)+1)
		}
		return nil, 0, fmt.Errorf("the snapshot link is damaged: %v", err)
	}
	if len(raw) == 0 {
		return nil, 0, errors.New("the snapshot link is empty after #s=; it was probably cut short when copied")
	}
	if raw[0] != 0x1f {
		return raw, 1, nil
	}
	if err := gzipHeader(raw); err != nil {
		return nil, 0, errors.New("the snapshot link is damaged: " + err.Error())
	}
	return raw, 2, nil
}

// gzipHeader checks the fixed part of the gzip header of b (RFC 1952
// §2.3): the magic, DEFLATE, and no optional field (a snapshot needs no
// file name, comment, extra field or header CRC). The time, extra flags
// and operating system are whatever the compressor wrote.
func gzipHeader(b []byte) error {
	switch {
	case len(b) < 18:
		return errors.New("its data is too short to be a snapshot")
	case b[0] != 0x1f || b[1] != 0x8b || b[2] != 8:
		return errors.New("its data does not start as a sipdisco snapshot does")
	case b[3] != 0:
		return errors.New("its data has header fields a sipdisco snapshot never has")
	}
	return nil
}

// The errors of a snapshot's compressed data, whichever decompressor
// reads it.
var (
	ErrSnapshotChecksum = errors.New("the snapshot link is damaged: its checksum does not match its data, so part of it was changed after it was made")
	ErrSnapshotData     = errors.New("the snapshot link is truncated or altered: its compressed data does not decode")
	ErrSnapshotSize     = fmt.Errorf("the snapshot expands to more than %d bytes; it is not a sipdisco snapshot", MaxSnapshotJSON)
)

// CheckGzipTrailer checks the JSON a front end decompressed from raw, a
// version 2 snapshot's data, against the CRC-32 and length that end raw
// (RFC 1952 §2.3.1). Bytes appended to a link change those eight bytes,
// so this also refuses a link with data after its end.
func CheckGzipTrailer(raw, js []byte) error {
	if len(raw) < 18 {
		return ErrSnapshotData
	}
	t := raw[len(raw)-8:]
	sum := uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24
	size := uint32(t[4]) | uint32(t[5])<<8 | uint32(t[6])<<16 | uint32(t[7])<<24
	if sum != crc32.ChecksumIEEE(js) || size != uint32(len(js)) {
		return ErrSnapshotChecksum
	}
	return nil
}

// SnapshotFromJSON reads a snapshot's JSON, decompressed from data of
// the given format version, and checks it: the limits, no unknown field,
// nothing after the value, the version it says matching its format, and
// a valid report.
func SnapshotFromJSON(js []byte, version int) (Snapshot, error) {
	if len(js) > MaxSnapshotJSON {
		return Snapshot{}, ErrSnapshotSize
	}
	if err := scanJSON(js); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link does not hold a sipdisco report: %v", err)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		if strings.Contains(err.Error(), "unknown field") {
			return Snapshot{}, fmt.Errorf("the snapshot link holds a report this version of sipdisco does not know (%v); it may come from a newer version", err)
		}
		return Snapshot{}, fmt.Errorf("the snapshot link does not hold a sipdisco report: %v", err)
	}
	if dec.More() {
		return Snapshot{}, errors.New("the snapshot link holds more than one report; it was altered")
	}
	if s.V != version {
		return Snapshot{}, fmt.Errorf("the snapshot link says it is format version %d, but its data is version %d; it was altered", s.V, version)
	}
	if err := s.check(); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link holds an invalid report: %v", err)
	}
	return s, nil
}

// scanJSON checks the shape of a snapshot's JSON before it is decoded:
// its nesting depth, the entries of each array and object, the values in
// all and the length of each string are within the limits. It walks the
// tokens without recursion, so no input can exhaust a stack.
func scanJSON(js []byte) error {
	dec := json.NewDecoder(bytes.NewReader(js))
	type open struct {
		object bool
		tokens int // values of an array; keys and values of an object
	}
	var stack []open
	values := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); ok && (d == ']' || d == '}') {
			stack = stack[:len(stack)-1]
			continue
		}
		if values++; values > MaxSnapshotValues {
			return fmt.Errorf("it holds more than %d values", MaxSnapshotValues)
		}
		if n := len(stack); n > 0 {
			top := &stack[n-1]
			top.tokens++
			if top.object && top.tokens > 2*MaxSnapshotEntries || !top.object && top.tokens > MaxSnapshotEntries {
				return fmt.Errorf("a list in it has more than %d entries", MaxSnapshotEntries)
			}
		}
		switch t := tok.(type) {
		case json.Delim:
			if len(stack) >= MaxSnapshotDepth {
				return fmt.Errorf("it nests more than %d levels deep; a report nests about nine", MaxSnapshotDepth)
			}
			stack = append(stack, open{object: t == '{'})
		case string:
			if len(t) > MaxSnapshotString {
				return fmt.Errorf("a text in it is %d bytes long, more than %d", len(t), MaxSnapshotString)
			}
		}
	}
}

func (s Snapshot) check() error {
	switch {
	case s.V != 1 && s.V != SnapshotVersion:
		return fmt.Errorf("format version %d is not one this page reads (1 or %d)", s.V, SnapshotVersion)
	case s.Report == nil:
		return errors.New("no report")
	case len(s.DoH) > MaxField:
		return fmt.Errorf("the resolver's name is longer than %d bytes", MaxField)
	}
	return ValidateReport(s.Report)
}

// ValidateReport checks the invariants of a report that did not come
// from this process's engine (a snapshot, a report a page hands back):
// an address and domain; a known profile and outcome; a target exactly
// when the outcome is "connect", with a host, a port from 1 to 65535 and
// a known transport; known transports, severities and sign-in outcomes
// and directions; connection ports in range and message indexes within
// the exchange; and at most one level of discovery comparison (a report
// with manual servers carries what automatic discovery would do, which
// carries nothing more). Renderings may then rely on them.
func ValidateReport(r *engine.Report) error {
	if err := validateReport(r, false); err != nil {
		return err
	}
	if r.Discovery != nil {
		if err := validateReport(r.Discovery, true); err != nil {
			return fmt.Errorf("its discovery comparison: %v", err)
		}
	}
	return nil
}

func validateReport(r *engine.Report, nested bool) error {
	switch {
	case r.URI == "" || r.Domain == "":
		return errors.New("no sign-in address")
	case nested && r.Discovery != nil:
		return errors.New("a discovery comparison inside a discovery comparison")
	case nested && r.Register != nil:
		return errors.New("a sign-in exchange inside the discovery comparison")
	}
	if _, err := engine.LookupProfile(r.Profile); err != nil {
		return err
	}
	switch r.Outcome {
	case engine.OutcomeConnect:
		if r.Target == nil {
			return errors.New(`outcome "connect" without a target`)
		}
		if err := validateEndpoint(r.Target.Host, int(r.Target.Port), r.Target.Transport); err != nil {
			return fmt.Errorf("target: %v", err)
		}
	case engine.OutcomeFail, engine.OutcomeIndeterminate:
		if r.Target != nil {
			return fmt.Errorf("outcome %q with a target", r.Outcome)
		}
	default:
		return fmt.Errorf("unknown outcome %q", r.Outcome)
	}
	if r.State != "" && !r.State.Known() {
		return fmt.Errorf("unknown state %q", r.State)
	}
	if nested && len(r.Clients) > 0 {
		return errors.New("client rows inside the discovery comparison")
	}
	if len(r.Clients) > maxClientRows {
		return fmt.Errorf("%d client rows; at most %d", len(r.Clients), maxClientRows)
	}
	for i, c := range r.Clients {
		if err := validateClientRow(c); err != nil {
			return fmt.Errorf("client row %d: %v", i+1, err)
		}
	}
	for i, c := range r.Candidates {
		if !knownTransport(c.Transport) {
			return fmt.Errorf("candidate %d: unknown transport %q", i+1, c.Transport)
		}
	}
	for i, s := range r.Steps {
		if s.Round < 0 || s.MS < 0 {
			return fmt.Errorf("DNS step %d: negative round or time", i+1)
		}
	}
	for i, f := range r.Findings {
		if err := validateFinding(f); err != nil {
			return fmt.Errorf("finding %d: %v", i+1, err)
		}
	}
	if r.Register != nil {
		if err := validateExchange(r.Register); err != nil {
			return fmt.Errorf("sign-in exchange: %v", err)
		}
	}
	if p := r.Probe; p != nil {
		// What the servers answered is shown as it came, escaped; only its
		// shape is checked (bounds, known enumerations).
		if err := validateProbe(p); err != nil {
			return fmt.Errorf("probe: %v", err)
		}
	}
	return nil
}

// maxClientRows bounds a report's at-a-glance rows: one per profile
// today, with room for clients added later.
const maxClientRows = 16

// validateClientRow checks an at-a-glance row's shape: a known client, a
// known outcome, a target exactly when it connects, and short texts.
func validateClientRow(c engine.ClientRow) error {
	if _, err := engine.LookupProfile(c.Profile); err != nil {
		return err
	}
	switch c.Outcome {
	case engine.OutcomeConnect:
		if c.Target == "" {
			return errors.New(`outcome "connect" without a target`)
		}
	case engine.OutcomeFail, engine.OutcomeIndeterminate:
		if c.Target != "" {
			return fmt.Errorf("outcome %q with a target", c.Outcome)
		}
	default:
		return fmt.Errorf("unknown outcome %q", c.Outcome)
	}
	// A target is "host:port TRANSPORT": a name of at most 253
	// characters and a few more.
	if len(c.Target) > 270 || len(c.Title) > 100 || len(c.Naming) > 100 {
		return errors.New("a text longer than a row holds")
	}
	return nil
}

func validateEndpoint(host string, port int, t engine.Transport) error {
	switch {
	case host == "":
		return errors.New("no host")
	case port < 1 || port > 65535:
		return fmt.Errorf("port %d is not from 1 to 65535", port)
	case !knownTransport(t):
		return fmt.Errorf("unknown transport %q", t)
	}
	return nil
}

func knownTransport(t engine.Transport) bool { return t == engine.TLS || t == engine.TCP }

func validateFinding(f engine.Finding) error {
	switch f.Severity {
	case engine.SeverityError, engine.SeverityWarning, engine.SeverityInfo:
	default:
		return fmt.Errorf("unknown severity %q", f.Severity)
	}
	return validateKind(f.Kind)
}

// validateKind accepts a finding kind's spelling (lower-case letters,
// digits and dashes) rather than only today's kinds, so that a snapshot
// naming a kind since renamed still opens; the page renders it as text.
func validateKind(k engine.Kind) error {
	if k == "" || len(k) > 64 {
		return fmt.Errorf("finding kind %q is empty or too long", k)
	}
	for _, c := range k {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return fmt.Errorf("finding kind %q is not a kind's name", k)
		}
	}
	return nil
}

func validateExchange(x *engine.Exchange) error {
	switch x.Outcome {
	case engine.SignInRegistered, engine.SignInFailed, engine.SignInNotSent:
	default:
		return fmt.Errorf("unknown outcome %q", x.Outcome)
	}
	if x.Failure != "" {
		if err := validateKind(x.Failure); err != nil {
			return err
		}
	}
	for i, m := range x.Messages {
		if m.Direction != engine.ClientToServer && m.Direction != engine.ServerToClient {
			return fmt.Errorf("message %d: unknown direction %q", i+1, m.Direction)
		}
	}
	for i, c := range x.Connections {
		// A connection's transport is written in lower case ("tls").
		if err := validateEndpoint(c.Host, c.Port, engine.Transport(strings.ToUpper(c.Transport))); err != nil {
			return fmt.Errorf("connection %d: %v", i+1, err)
		}
		if c.FirstMessage < 0 || c.FirstMessage > len(x.Messages) {
			return fmt.Errorf("connection %d: its first message %d is not in the exchange", i+1, c.FirstMessage)
		}
		if c.TLS != nil {
			switch c.TLS.Status {
			case engine.CertAssumed, engine.CertValid, engine.CertNameMismatch, engine.CertExpired:
			default:
				return fmt.Errorf("connection %d: unknown certificate status %q", i+1, c.TLS.Status)
			}
		}
		for j, s := range c.Steps {
			switch s.Status {
			case engine.StepOK, engine.StepAssumed, engine.StepFailed, engine.StepSkipped:
			default:
				return fmt.Errorf("connection %d, step %d: unknown status %q", i+1, j+1, s.Status)
			}
		}
	}
	return nil
}

// ReportOptions returns the inputs a report records: its address, client
// and policy, the resolver that answered (given separately, as a snapshot
// carries it), and whether the sign-in was simulated. The sign-in's own
// inputs are not in a report; they keep their defaults.
func ReportOptions(r *engine.Report, resolver string) Options {
	o := Defaults()
	o.URI, o.Profile, o.Resolver = r.URI, r.Profile, ParseSource(resolver)
	o.Strict, o.AllowTCP = StrictOf(r.Policy.StrictNaming), r.Policy.AllowTCP
	o.ManualInternal, o.ManualExternal = r.Policy.ManualInternal, r.Policy.ManualExternal
	o.Trusted = r.Policy.TrustedDomains
	o.SignIn = r.Register != nil
	return o
}

// What a snapshot link keeps of an observation: a server may legally
// send more (the prober reads a chain and a header of any length within
// its byte limits), and a link must stay within MaxSnapshotEntries and
// MaxSnapshotLink to open.
const (
	snapshotChain      = 8
	snapshotNames      = 64
	snapshotChallenges = 16
	snapshotHeaders    = 64
)

// boundForSnapshot returns r, or a copy whose observation keeps the first
// certificates, names, challenges and header fields of each attempt
// within the snapshot's bounds, with a finding saying what it left out.
// r itself is not changed.
func boundForSnapshot(r *engine.Report) *engine.Report {
	if r == nil || r.Probe == nil {
		return r
	}
	var cut []string
	note := func(kept, had int, what, where string) {
		cut = append(cut, fmt.Sprintf("the first %d of %s %s (%s)", kept, thousands(had), what, where))
	}
	p := *r.Probe
	p.Attempts = append([]engine.ProbeAttempt(nil), p.Attempts...)
	for i := range p.Attempts {
		a := &p.Attempts[i]
		where := engine.Endpoint(a.Host, a.Port, a.Transport)
		if a.TLS != nil {
			t := *a.TLS
			if len(t.Chain) > snapshotChain {
				note(snapshotChain, len(t.Chain), "certificates", where)
				t.Chain = t.Chain[:snapshotChain]
			}
			t.Chain = append([]engine.CertSummary(nil), t.Chain...)
			for j := range t.Chain {
				if n := len(t.Chain[j].DNSNames); n > snapshotNames {
					note(snapshotNames, n, "names", fmt.Sprintf("certificate %d, %s", j+1, where))
					t.Chain[j].DNSNames = t.Chain[j].DNSNames[:snapshotNames]
				}
			}
			a.TLS = &t
		}
		if a.Response != nil {
			resp := *a.Response
			if n := len(resp.Challenges); n > snapshotChallenges {
				note(snapshotChallenges, n, "challenges", where)
				resp.Challenges = resp.Challenges[:snapshotChallenges]
			}
			if n := len(resp.Headers); n > snapshotHeaders {
				note(snapshotHeaders, n, "header fields", where)
				resp.Headers = resp.Headers[:snapshotHeaders]
			}
			a.Response = &resp
		}
	}
	if len(cut) == 0 {
		return r
	}
	p.Findings = append([]engine.Finding(nil), p.Findings...)
	if len(p.Findings) >= engine.MaxProbeFindings {
		p.Findings = p.Findings[:engine.MaxProbeFindings-1]
	}
	p.Findings = append(p.Findings, engine.Finding{Kind: engine.KindProbeShortened, Severity: engine.SeverityInfo,
		Subject: "snapshot", Message: "This snapshot link keeps part of what the servers sent: " + strings.Join(cut, "; ") + ". The command's report has it all.",
		Fix: "Nothing to fix; for the whole observation, run the check with --connect and --json."})
	out := *r
	out.Probe = &p
	return &out
}

// thousands writes n with a comma every three digits: 10,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
