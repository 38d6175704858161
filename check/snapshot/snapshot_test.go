package snapshot

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/demo"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/zone"
)

func demoEnv(t *testing.T) check.Env {
	t.Helper()
	set, err := zone.Demo()
	if err != nil {
		t.Fatal(err)
	}
	return check.Env{Resolver: set, Now: func() time.Time { return time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC) }}
}

func sample() *engine.Report {
	return &engine.Report{URI: "sip:bob@contoso.com", Domain: "contoso.com", Profile: engine.DefaultProfile,
		Policy: engine.DefaultPolicy(), Outcome: engine.OutcomeConnect,
		Target: &engine.Target{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com"},
		Steps:  []engine.Step{{Question: "_sip._tls.contoso.com", Type: engine.TypeSRV, RCode: engine.RCodeSuccess, Answers: []string{"0 0 5061 sip.contoso.com."}, Round: 1}}}
}

func TestSnapshotRoundTrip(t *testing.T) {
	s := check.Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), DoH: "local", Report: sample()}
	frag, err := Encode(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(frag, "#s=") {
		t.Fatalf("EncodeSnapshot = %q; want #s=…", frag)
	}
	got, err := Decode(context.Background(), frag)
	if err != nil {
		t.Fatalf("DecodeSnapshot: %v", err)
	}
	s.V = check.SnapshotVersion
	if diff := cmp.Diff(got, s); diff != "" {
		t.Errorf("Decode(Encode(s)) (-got +want):\n%s", diff)
	}
}

// sampleProbe is what a server answered, as the prober records it: one
// TLS attempt answered with a 401.
func sampleProbe() *engine.Probe {
	return &engine.Probe{Address: "sip:bob@contoso.com", Client: engine.DefaultProfile, Started: "2026-11-25T14:00:00Z",
		Attempts: []engine.ProbeAttempt{{Host: "sip.contoso.com", Port: 5061, Transport: engine.TLS, Source: "_sip._tls.contoso.com",
			Reason: engine.ConnectionDiscovered, Remote: "192.0.2.10:5061", Outcome: engine.ProbeAnswered,
			Response: &engine.SIPResponse{StartLine: "SIP/2.0 401 Unauthorized", Status: 401, Reason: "Unauthorized",
				Headers: []engine.Header{{Name: "WWW-Authenticate", Value: `NTLM realm="SIP Communications Service", targetname="sip.contoso.com", version=3`}},
				Challenges: []engine.SIPChallenge{{Header: "WWW-Authenticate", Scheme: "NTLM", Protocol: "NTLM", Realm: "SIP Communications Service",
					TargetName: "sip.contoso.com", Version: 3}}},
			Findings: []engine.Finding{{Kind: engine.KindProbeChallenge, Severity: engine.SeverityInfo, Subject: "sip.contoso.com:5061",
				Message: "The server challenges <b>the REGISTER</b>.", Fix: "Nothing to fix."}}}},
		Findings: []engine.Finding{}}
}

// TestSnapshotCarriesTheProbe: a report's probe travels in the snapshot
// as it is, and a probe whose shape is wrong makes the link invalid.
func TestSnapshotCarriesTheProbe(t *testing.T) {
	r := sample()
	r.Probe = sampleProbe()
	frag, err := Encode(context.Background(), check.Snapshot{Report: r})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(context.Background(), frag)
	if err != nil {
		t.Fatalf("DecodeSnapshot: %v", err)
	}
	if diff := cmp.Diff(got.Report, r); diff != "" {
		t.Errorf("the snapshot's report (-got +want):\n%s", diff)
	}
	bad := encodeRaw(t, 2, sampleJSON(t, 2, func(r *engine.Report) {
		r.Probe = sampleProbe()
		r.Probe.Attempts[0].Outcome = "teleported"
	}))
	if _, err := Decode(context.Background(), bad); err == nil || !strings.Contains(err.Error(), `probe: attempts[0].outcome: "teleported" is not answered, failed or skipped`) {
		t.Errorf("a snapshot with a bad probe: %v; want the outcome named", err)
	}
}

// encodeRaw builds a fragment from JSON text, in the format of version
// (1: raw DEFLATE, 2: gzip), followed by trailing bytes.
func encodeRaw(t testing.TB, version int, js string, trailing ...byte) string {
	t.Helper()
	var buf bytes.Buffer
	if version == 1 {
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		w.Write([]byte(js))
		w.Close()
	} else {
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write([]byte(js))
		w.Close()
	}
	buf.Write(trailing)
	return "#s=" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

func sampleJSON(t testing.TB, version int, edit func(r *engine.Report)) string {
	t.Helper()
	r := sample()
	if edit != nil {
		edit(r)
	}
	b, err := json.Marshal(check.Snapshot{V: version, Report: r})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSnapshotVersion1 keeps links made before the checksum opening.
func TestSnapshotVersion1(t *testing.T) {
	s, err := Decode(context.Background(), encodeRaw(t, 1, sampleJSON(t, 1, nil)))
	if err != nil {
		t.Fatalf("a version 1 link: %v", err)
	}
	if s.V != 1 || s.Report.Target.Host != "sip.contoso.com" {
		t.Errorf("a version 1 link decodes to V %d, target %+v", s.V, s.Report.Target)
	}
}

// afterEnd is the words of the refusal of a link with data after its end:
// compress/gzip says where the data ends; the browser's DEFLATE reader
// does not, so in WebAssembly the bytes taken for the trailer do not
// match and the link is refused as changed.
func afterEnd(native string) string {
	if runtime.GOOS == "js" {
		return "damaged"
	}
	return native
}

func TestDecodeSnapshotTampered(t *testing.T) {
	frag, _ := Encode(context.Background(), check.Snapshot{Report: sample()})
	good := sampleJSON(t, 2, nil)
	tests := []struct{ name, in, want string }{
		{"not a snapshot", "#x=1", "no snapshot"},
		{"empty", "#s=", "cut short"},
		{"no equals sign", "#s", "ends after #s"},
		{"capital S", "#S=" + frag[3:], "lower-case s"},
		{"colon", "#s:" + frag[3:], "#s: instead of #s="},
		{"truncated", frag[:len(frag)/2], "truncated or altered"},
		{"bad character", frag[:10] + "!" + frag[11:], "character 8"},
		{"trailing bytes", encodeRaw(t, 2, good, 'x', 'y'), afterEnd("2 bytes of data after its end")},
		{"two reports", encodeRaw(t, 2, good+good), "more than one report"},
		{"trailing garbage in the JSON", encodeRaw(t, 2, good+"garbage"), "does not hold a sipdisco report"},
		{"a second gzip member", encodeRaw(t, 2, good) + strings.TrimPrefix(encodeRaw(t, 2, good), "#s="), afterEnd("after its end")},
		{"unknown field", encodeRaw(t, 2, strings.Replace(good, `"v":2`, `"v":2,"admin":true`, 1)), "does not know"},
		{"version 2 data in the version 1 format", encodeRaw(t, 1, good), "says it is format version 2, but its data is version 1"},
		{"version 1 data in the version 2 format", encodeRaw(t, 2, sampleJSON(t, 1, nil)), "says it is format version 1, but its data is version 2"},
		{"version 3", encodeRaw(t, 2, strings.Replace(good, `"v":2`, `"v":3`, 1)), "says it is format version 3"},
		{"not JSON", encodeRaw(t, 2, "<html>"), "does not hold a sipdisco report"},
	}
	for _, tt := range tests {
		_, err := Decode(context.Background(), tt.in)
		if err == nil {
			t.Errorf("%s: DecodeSnapshot succeeded; want an error", tt.name)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q; want it to contain %q", tt.name, err, tt.want)
		}
	}
}

// TestSnapshotChecksum: a change inside the compressed data that still
// inflates is caught by the checksum.
func TestSnapshotChecksum(t *testing.T) {
	js := sampleJSON(t, 2, nil)
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.NoCompression) // stored: the JSON's bytes appear as they are
	w.Write([]byte(js))
	w.Close()
	b := buf.Bytes()
	i := bytes.Index(b, []byte("healthy"))
	if i < 0 {
		i = bytes.Index(b, []byte("contoso"))
	}
	b[i+2] ^= 0x01 // "contoso" → "cootoso": still JSON, still a report
	_, err := Decode(context.Background(), "#s="+base64.RawURLEncoding.EncodeToString(b))
	if err == nil || !strings.Contains(err.Error(), "checksum") {
		t.Errorf("a stored block with one byte changed: %v; want the checksum to catch it", err)
	}
}

// TestSnapshotFlips changes every character of real snapshot links, one
// at a time, to four others (each of the sextet's bits 0, 1, 4 and 5
// flipped): no change may decode to a report that differs from the
// original. The few that decode at all change bits no reader uses: the
// unused low bits of the last character, the header's FTEXT flag and its
// extra-flags byte (RFC 1952 §2.3.1).
//
// Compiled to WebAssembly, where every decode goes through Node's
// Compression Streams and the whole walk took 72–132 s of make test, it
// changes every seventh character: the JavaScript inflater still meets
// damage in the header, the compressed body and the checksum, and the
// native run covers every character.
func TestSnapshotFlips(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	step := 1
	if runtime.GOOS == "js" {
		step = 7
	}
	env := demoEnv(t)
	for _, addr := range []string{"bob@healthy.example", "bob@strict.example"} {
		o := check.PageDefaults()
		o.URI = addr
		res, err := check.Run(context.Background(), o, env)
		if err != nil {
			t.Fatal(err)
		}
		frag, err := Encode(context.Background(), res.Snapshot())
		if err != nil {
			t.Fatal(err)
		}
		orig, err := Decode(context.Background(), frag)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(orig)
		accepted, tried := 0, 0
		for i := len("#s="); i < len(frag); i += step {
			v := strings.IndexByte(alphabet, frag[i])
			for _, bit := range []int{1, 2, 16, 32} {
				c := alphabet[v^bit]
				tried++
				s, err := Decode(context.Background(), frag[:i]+string(c)+frag[i+1:])
				if err != nil {
					continue
				}
				accepted++
				if got, _ := json.Marshal(s); !bytes.Equal(got, want) {
					t.Fatalf("%s: changing character %d to %q decodes to another report", addr, i, c)
				}
			}
		}
		if accepted*200 > tried {
			t.Errorf("%s: %d of %d one-character changes accepted; want only those to unused bits", addr, accepted, tried)
		}
		t.Logf("%s: %d of %d one-character changes accepted (the same report)", addr, accepted, tried)
	}
}

// hostileSnapshots are links that must each be refused with a clear
// message: too deep, too long, too many entries, and reports that break
// an invariant at the top or at the nested level.
func hostileSnapshots(t testing.TB) map[string]string {
	t.Helper()
	deep := func(n int) string {
		return sampleJSON(t, 2, nil)[:0] + `{"v":2,"report":` + strings.Repeat(`{"uri":"sip:a@b.c","domain":"b.c","outcome":"fail","discovery":`, n) +
			`{}` + strings.Repeat("}", n) + "}"
	}
	edits := map[string]func(r *engine.Report){
		"connect without target": func(r *engine.Report) { r.Target = nil },
		"fail with target":       func(r *engine.Report) { r.Outcome = engine.OutcomeFail },
		"unknown outcome":        func(r *engine.Report) { r.Outcome = "maybe" },
		"unknown state":          func(r *engine.Report) { r.State = "green" },
		"port 0 target":          func(r *engine.Report) { r.Target.Port = 0 },
		"unknown transport":      func(r *engine.Report) { r.Target.Transport = "UDP" },
		"unknown profile":        func(r *engine.Report) { r.Profile = "lync-3000" },
		"no address":             func(r *engine.Report) { r.URI = "" },
		"unknown severity": func(r *engine.Report) {
			r.Findings = []engine.Finding{{Kind: "x", Severity: "fatal"}}
		},
		"kind with markup": func(r *engine.Report) {
			r.Findings = []engine.Finding{{Kind: "<b>", Severity: engine.SeverityInfo}}
		},
		"nested connect without target": func(r *engine.Report) {
			r.Discovery = &engine.Report{URI: r.URI, Domain: r.Domain, Profile: r.Profile, Outcome: engine.OutcomeConnect}
		},
		"nested discovery": func(r *engine.Report) {
			n := &engine.Report{URI: r.URI, Domain: r.Domain, Profile: r.Profile, Outcome: engine.OutcomeFail}
			n.Discovery = &engine.Report{URI: r.URI, Domain: r.Domain, Profile: r.Profile, Outcome: engine.OutcomeFail}
			r.Discovery = n
		},
		"client row connect without target": func(r *engine.Report) {
			r.Clients = []engine.ClientRow{{Profile: "lync-2013", Outcome: engine.OutcomeConnect}}
		},
		"client row unknown profile": func(r *engine.Report) {
			r.Clients = []engine.ClientRow{{Profile: "lync-3000", Outcome: engine.OutcomeFail}}
		},
		"client row fail with target": func(r *engine.Report) {
			r.Clients = []engine.ClientRow{{Profile: "lync-2013", Outcome: engine.OutcomeFail, Target: "h:5061 TLS"}}
		},
		"too many client rows": func(r *engine.Report) {
			r.Clients = make([]engine.ClientRow, 17)
		},
		"nested client rows": func(r *engine.Report) {
			r.Discovery = &engine.Report{URI: r.URI, Domain: r.Domain, Profile: r.Profile, Outcome: engine.OutcomeFail,
				Clients: []engine.ClientRow{{Profile: "lync-2013", Outcome: engine.OutcomeFail}}}
		},
		"exchange outcome": func(r *engine.Report) { r.Register = &engine.Exchange{Outcome: "won"} },
		"exchange connection port": func(r *engine.Report) {
			r.Register = &engine.Exchange{Outcome: engine.SignInRegistered, Connections: []engine.Connection{{Host: "h", Port: 70000, Transport: "tls"}}}
		},
		"exchange message index": func(r *engine.Report) {
			r.Register = &engine.Exchange{Outcome: engine.SignInRegistered, Connections: []engine.Connection{{Host: "h", Port: 5061, Transport: "tls", FirstMessage: 3}}}
		},
		"exchange direction": func(r *engine.Report) {
			r.Register = &engine.Exchange{Outcome: engine.SignInRegistered, Messages: []engine.Message{{Direction: "sideways"}}}
		},
	}
	out := map[string]string{
		"nesting 2500 levels":  encodeRaw(t, 2, deep(2500)),
		"nesting 20 levels":    encodeRaw(t, 2, deep(20)),
		"a string of 100 KiB":  encodeRaw(t, 2, strings.Replace(sampleJSON(t, 2, nil), "sip:bob@contoso.com", "sip:bob@"+strings.Repeat("a", 100<<10)+".com", 1)),
		"3,000 steps":          encodeRaw(t, 2, sampleJSON(t, 2, func(r *engine.Report) { r.Steps = make([]engine.Step, 3000) })),
		"expands to 2 MiB":     encodeRaw(t, 2, `{"v":2,"report":{"uri":"`+strings.Repeat(" ", 2<<20)+`"}}`),
		"200,000 tiny values":  encodeRaw(t, 2, `{"v":2,"report":{"steps":[`+strings.Repeat(`{"answers":[1,2,3,4,5,6,7,8,9]},`, 199)+`{}],"candidates":[`+strings.Repeat("[1,2,3,4,5,6,7,8,9,0],", 1500)+`0]}}`),
		"a 100 KiB value list": encodeRaw(t, 2, `{"v":2,"report":{"steps":[`+strings.Repeat("0,", 50000)+`0]}}`),
	}
	for name, edit := range edits {
		out[name] = encodeRaw(t, 2, sampleJSON(t, 2, edit))
	}
	return out
}

func TestDecodeSnapshotHostile(t *testing.T) {
	for name, frag := range hostileSnapshots(t) {
		_, err := Decode(context.Background(), frag)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "the snapshot") || len(msg) > 400 {
			t.Errorf("%s: error %q; want a short message about the snapshot link", name, msg)
		}
	}
}

// TestEveryDemoSnapshotOpens: the limits admit every report the engine
// makes of the demo scenarios, for every profile, with the sign-in.
func TestEveryDemoSnapshotOpens(t *testing.T) {
	env := demoEnv(t)
	for _, sc := range demo.Scenarios() {
		for _, p := range engine.Profiles() {
			o := check.PageDefaults()
			o.URI, o.Profile = sc.Try, p.Name
			res, err := check.Run(context.Background(), o, env)
			if err != nil {
				t.Fatalf("%s %s: %v", sc.Try, p.Name, err)
			}
			frag, err := Encode(context.Background(), res.Snapshot())
			if err != nil {
				t.Fatalf("%s %s: Snapshot: %v", sc.Try, p.Name, err)
			}
			if _, err := Decode(context.Background(), frag); err != nil {
				t.Errorf("%s %s: the snapshot does not open: %v", sc.Try, p.Name, err)
			}
		}
	}
}

func TestIsSnapshotFragment(t *testing.T) {
	for in, want := range map[string]bool{"#s=abc": true, "#s": true, "#S=x": true, "s:x": true, "#S": true,
		"": false, "#": false, "#main": false, "#step-1": false, "#summary": false, "#snapshot": false} {
		if got := check.IsSnapshotFragment(in); got != want {
			t.Errorf("check.IsSnapshotFragment(%q) = %v; want %v", in, got, want)
		}
	}
}

func ExampleDecode() {
	frag, _ := Encode(context.Background(), check.Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), Report: sample()})
	s, err := Decode(context.Background(), frag)
	fmt.Println(s.V, s.Report.Target.Endpoint(), err)
	_, err = Decode(context.Background(), frag[:len(frag)-20])
	fmt.Println(err)
	// Output:
	// 2 sip.contoso.com:5061 TLS <nil>
	// the snapshot link is truncated or altered: its compressed data does not decode
}

// TestSnapshotBomb: a link whose data inflates without end is stopped at
// the limit.
func TestSnapshotBomb(t *testing.T) {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zeros := make([]byte, 1<<20)
	for range 20 {
		w.Write(zeros)
	}
	w.Close()
	frag := "#s=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
	start := time.Now()
	_, err := Decode(context.Background(), frag)
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Errorf("a link inflating to 20 MiB: %v; want the size limit", err)
	}
	t.Logf("%d-byte link refused in %v", len(frag), time.Since(start))
}

// browserLink is the link Encode wrote for compressors' sample under
// Node's CompressionStream (GOOS=js), as the browser writes it.
const browserLink = "#s=H4sIAAAAAAAAA3WRW0sDMRCF_0o5z2nJLl4gT4r4IIhKLT4oIjGb1mB2Zk0mXij73yWtohZ8nMOcM-dj1niFaRXEPns6Fhi0uj2YNs203V80e0Zro_UtFDp-gkFkZyMUkh84CcwaJQUY5DCYR348ckzCmWeO-42nt4Fg8FceEi9D9Bu97wsFZ4XTtNX6cJrausAxuI-aniUFJxe2D7SCWdqYvYKNkd8WJ1cwkopX6C0VG89IfCIbYYBv7fT9RxsVuIjjfnuYyDtBBU8rvyF54ixblNlO3w3qvj5oFCRZylsBi_NrKNiuSz5nn2GoxKiQuSRXjzzUqAeJ-U_eqOAsdaGz8ssjfsgwd2u8FJ8lMP3rV5CPocZfz2_qJxx3dbq4PJ3PL-e1EOU3n2oa9ERPau_JDtQM9wp9htEKiQt1MM14r7AM1AVafdUax0_-rRzEHgIAAA"

// TestReadsEitherCompressor: the link the browser's CompressionStream
// wrote (browserLink), one compress/gzip writes and the one this build's
// Encode writes all decode to the same snapshot, natively and in
// WebAssembly, so links move between the command line and the page.
func TestReadsEitherCompressor(t *testing.T) {
	s := check.Snapshot{TakenAt: time.Date(2026, 11, 25, 14, 0, 0, 0, time.UTC), DoH: "local", Report: sample()}
	js, err := check.SnapshotJSON(s)
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(js)
	w.Close()
	native, err := check.SnapshotFragment(gz.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	mine, err := Encode(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	s.V = check.SnapshotVersion
	for name, frag := range map[string]string{"browser": browserLink, "compress/gzip": native, "Encode": mine} {
		got, err := Decode(context.Background(), frag)
		if err != nil {
			t.Errorf("the %s link: %v", name, err)
			continue
		}
		if diff := cmp.Diff(got, s); diff != "" {
			t.Errorf("the %s link decodes to (-got +want):\n%s", name, diff)
		}
	}
}
