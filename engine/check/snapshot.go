package check

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
)

// Snapshot is what a snapshot link carries: a whole report, when it was
// taken and through which resolver.
type Snapshot struct {
	// V is the format version, 1.
	V       int            `json:"v"`
	TakenAt time.Time      `json:"takenAt"`
	DoH     string         `json:"doh,omitempty"`
	Report  *engine.Report `json:"report"`
}

// Limits on snapshot links: the encoded fragment and the JSON it inflates
// to.
const (
	MaxSnapshotLink = 256 << 10
	MaxSnapshotJSON = 1 << 20
)

// snapshotPrefix starts a snapshot fragment.
const snapshotPrefix = "s="

// EncodeSnapshot returns the fragment of a snapshot link, "#s=…": the JSON
// of s, deflated (RFC 1951) and base64url-encoded without padding.
func EncodeSnapshot(s Snapshot) (string, error) {
	if s.Report == nil {
		return "", errors.New("share: snapshot without a report")
	}
	s.V = 1
	js, err := json.Marshal(s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(js)
	if err := w.Close(); err != nil {
		return "", err
	}
	return "#" + snapshotPrefix + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// DecodeSnapshot reads a snapshot fragment ("#s=…", "s=…"). The error says
// in plain words whether the link is not a snapshot, was cut short or
// altered, or holds something that is not a sipdisco report.
func DecodeSnapshot(fragment string) (Snapshot, error) {
	f := strings.TrimPrefix(fragment, "#")
	data, ok := strings.CutPrefix(f, snapshotPrefix)
	if !ok {
		return Snapshot{}, errors.New("this link has no snapshot: a snapshot link ends in #s= followed by the report")
	}
	if data == "" {
		return Snapshot{}, errors.New("the snapshot link is empty after #s=; it was probably cut short when copied")
	}
	if len(data) > MaxSnapshotLink {
		return Snapshot{}, fmt.Errorf("the snapshot link is %d bytes long, more than the %d a sipdisco snapshot can be", len(data), MaxSnapshotLink)
	}
	raw, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		var ce base64.CorruptInputError
		if errors.As(err, &ce) && int(ce) >= len(data)-len(data)%4 {
			return Snapshot{}, errors.New("the snapshot link is truncated or altered: it ends in the middle of its data; it was probably cut short when copied")
		}
		if errors.As(err, &ce) {
			return Snapshot{}, fmt.Errorf("the snapshot link is damaged: character %d after #s= cannot be part of a snapshot", int64(ce)+1)
		}
		return Snapshot{}, fmt.Errorf("the snapshot link is damaged: %v", err)
	}
	js, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(raw)), MaxSnapshotJSON+1))
	if err != nil {
		return Snapshot{}, errors.New("the snapshot link is truncated or altered: its compressed data does not decode")
	}
	if len(js) > MaxSnapshotJSON {
		return Snapshot{}, fmt.Errorf("the snapshot expands to more than %d bytes; it is not a sipdisco snapshot", MaxSnapshotJSON)
	}
	var s Snapshot
	dec := json.NewDecoder(bytes.NewReader(js))
	if err := dec.Decode(&s); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link does not hold a sipdisco report: %v", err)
	}
	if err := s.check(); err != nil {
		return Snapshot{}, fmt.Errorf("the snapshot link holds an invalid report: %v", err)
	}
	return s, nil
}

func (s Snapshot) check() error {
	switch {
	case s.V != 1:
		return fmt.Errorf("format version %d is not one this page reads (1)", s.V)
	case s.Report == nil:
		return errors.New("no report")
	case s.Report.URI == "" || s.Report.Domain == "":
		return errors.New("no sign-in address")
	}
	switch s.Report.Outcome {
	case engine.OutcomeConnect:
		if s.Report.Target == nil {
			return errors.New(`outcome "connect" without a target`)
		}
	case engine.OutcomeFail, engine.OutcomeIndeterminate:
		if s.Report.Target != nil {
			return fmt.Errorf("outcome %q with a target", s.Report.Outcome)
		}
	default:
		return fmt.Errorf("unknown outcome %q", s.Report.Outcome)
	}
	if p := s.Report.Probe; p != nil {
		// What the servers answered is shown as it came, escaped; only its
		// shape is checked (bounds, known enumerations).
		if err := p.Validate(); err != nil {
			return fmt.Errorf("probe: %v", err)
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
	o.URI, o.Profile, o.Resolver = r.URI, r.Profile, resolver
	o.Strict, o.AllowTCP = StrictOf(r.Policy.StrictNaming), r.Policy.AllowTCP
	o.ManualInternal, o.ManualExternal = r.Policy.ManualInternal, r.Policy.ManualExternal
	o.Trusted = r.Policy.TrustedDomains
	o.SignIn = r.Register != nil
	return o
}
