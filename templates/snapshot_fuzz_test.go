package templates

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
	"github.com/sipdisco/sipdisco/check/snapshot"
	"github.com/sipdisco/sipdisco/engine"
)

// snapshotSeeds are snapshot links for the fuzz corpus: real ones, and
// the hostile shapes an attack on the page used (deep nesting, a
// nested report breaking its invariants, long strings, many entries,
// two values, trailing bytes).
func snapshotSeeds(t testing.TB) []string {
	t.Helper()
	gz := func(js string, trailing ...byte) string {
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
		w.Write([]byte(js))
		w.Close()
		b.Write(trailing)
		return "#s=" + base64.RawURLEncoding.EncodeToString(b.Bytes())
	}
	var out []string
	for _, r := range []*engine.Report{healthyReport(), hostileReport()} {
		f, err := snapshot.Encode(context.Background(), check.Snapshot{Report: r, DoH: "https://dns.example/dns-query"})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	const head = `{"v":2,"report":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013",`
	out = append(out,
		gz(`{"v":2,"report":`+strings.Repeat(`{"uri":"sip:a@b.c","domain":"b.c","outcome":"fail","discovery":`, 300)+`{}`+strings.Repeat("}", 300)+"}"),
		gz(head+`"outcome":"fail","discovery":{"uri":"sip:a@b.c","domain":"b.c","profile":"lync-2013","outcome":"connect"}}}`),
		gz(head+`"outcome":"connect","target":{"host":"h","port":0,"transport":"TLS"}}}`),
		gz(head+`"outcome":"fail","findings":[{"kind":"x","severity":"error","subject":"`+strings.Repeat("<b>", 6000)+`"}]}}`),
		gz(head+`"outcome":"fail","steps":[`+strings.Repeat(`{"question":"q","type":"A"},`, 2500)+`{}]}}`),
		gz(head+`"outcome":"fail"}}`+head+`"outcome":"fail"}}`),
		gz(head+`"outcome":"fail"}}`, 0, 1, 2),
		"#s", "#S=abc", "#s=", "#s:abc",
	)
	return out
}

// renderSnapshot decodes a snapshot link and, when it is accepted,
// renders it as the page does (HTML) and as the exports do (Markdown,
// text). Whatever is accepted must render within the limit, and every
// report rendered must be valid.
func renderSnapshot(t *testing.T, frag string) {
	s, err := snapshot.Decode(context.Background(), frag)
	if err != nil {
		if !strings.HasPrefix(err.Error(), "the snapshot") && !strings.HasPrefix(err.Error(), "this link") {
			t.Fatalf("Decode(%.60q): error %q does not say it is about the snapshot link", frag, err)
		}
		return
	}
	if err := check.ValidateReport(s.Report); err != nil {
		t.Fatalf("Decode accepted an invalid report: %v", err)
	}
	var b strings.Builder
	if err := Report(NewReportView(s.Report, ReportOptions{TakenAt: "now", Unchecked: s.V < check.SnapshotVersion, SnapshotLink: frag, Resolver: s.DoH})).Render(context.Background(), &b); err != nil {
		t.Fatalf("rendering an accepted snapshot: %v", err)
	}
	if b.Len() > check.MaxSnapshotHTML {
		t.Fatalf("an accepted snapshot of %d bytes renders to %d bytes of HTML, over %d", len(frag), b.Len(), check.MaxSnapshotHTML)
	}
	if err := WriteMarkdown(io.Discard, s.Report); err != nil {
		t.Fatalf("Markdown of an accepted snapshot: %v", err)
	}
	if err := WriteText(io.Discard, s.Report); err != nil {
		t.Fatalf("text of an accepted snapshot: %v", err)
	}
}

// FuzzSnapshot decodes and renders arbitrary snapshot links: nothing may
// panic, and what is accepted renders, bounded, as HTML, Markdown and
// text. make fuzz runs it natively; under Node (make test-wasm, and make
// fuzz's WebAssembly smoke run) its seeds run with
// TestSnapshotMutations.
func FuzzSnapshot(f *testing.F) {
	for _, s := range snapshotSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(renderSnapshot)
}

// TestSnapshotMutations runs renderSnapshot over mutations of the seeds,
// a fixed pseudo-random sequence (the same every run): characters
// changed, cut, doubled and appended. It is the fuzz target's brief run
// where go test cannot fuzz, compiled to WebAssembly under Node.
func TestSnapshotMutations(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rng := rand.New(rand.NewPCG(1, 2))
	n := 2000
	if testing.Short() {
		n = 200
	}
	seeds := snapshotSeeds(t)
	for i := 0; i < n; i++ {
		s := []byte(seeds[rng.IntN(len(seeds))])
		for k := rng.IntN(3) + 1; k > 0 && len(s) > 3; k-- {
			j := 3 + rng.IntN(len(s)-3)
			switch rng.IntN(4) {
			case 0:
				s[j] = alphabet[rng.IntN(len(alphabet))]
			case 1:
				s = s[:j]
			case 2:
				s = append(s[:j:j], s[j-1:]...)
			default:
				s = append(s, alphabet[rng.IntN(len(alphabet))])
			}
		}
		renderSnapshot(t, string(s))
	}
}
