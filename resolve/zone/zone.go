package zone

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// The limits on what a Set loads. They bound memory and time for zone text
// that comes from a user or a share link.
const (
	// MaxZoneBytes is the most zone text one zone may have: 16 MiB,
	// room for the exports of large Active Directory zones.
	MaxZoneBytes = 16 << 20
	// MaxRecords is the most records one zone may have.
	MaxRecords = 500_000
	// MaxZones is the most zones one Set may hold.
	MaxZones = 32
	// MaxSetRecords is the most records one Set may hold in all its
	// zones, which bounds its memory: about 40 bytes per record plus the
	// record itself (BenchmarkLargeZone measures it per MiB of text).
	MaxSetRecords = 1_000_000
	// MaxCNAMEChain is the most aliases Resolve follows for one question
	// before answering SERVFAIL.
	MaxCNAMEChain = 8
)

// Set is a group of zones answering as one authoritative server that
// recurses only into them. The zero value is an empty Set ready to use.
// Resolve may be called concurrently with itself and with Add and Fail.
type Set struct {
	mu    sync.RWMutex
	zones []*zoneData // most labels first, so the most specific zone matches first
	fails map[failKey]engine.RCode
	notes []string
	// additional: SRV answers carry their targets' addresses
	// (SetAdditional).
	additional bool
}

// SetAdditional makes SRV answers carry, as an authoritative server such
// as nsd does (RFC 2782, "Implicit additional processing"), the A and
// AAAA records of their targets that the answer's zone holds, in
// engine.Answer.Additional. Off by default: a recursive resolver with
// minimal responses (unbound's default) sends none, and the reports of
// the demo zones and the scenarios are those of discovery without them.
func (s *Set) SetAdditional(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.additional = on
}

// zoneData is one loaded zone. Names are in canonical form: presentation
// format as miekg/dns unpacks it, lower case, with the trailing dot.
type zoneData struct {
	origin string
	file   string
	// names maps every name that exists in the zone to its records:
	// owners of records, their ancestors up to the origin (empty
	// non-terminals, RFC 8020 §2, with no records) and the origin itself.
	names map[string]span
	// records holds every record of the zone, grouped by name.
	records []dns.RR
	count   int
}

// span locates the records of one name in zoneData.records.
type span struct{ start, end int32 }

// at returns the records s locates.
func (z *zoneData) at(s span) node { return node(z.records[s.start:s.end:s.end]) }

// node holds the records of one name grouped by type, each type's in
// file order.
type node []dns.RR

// get returns the records of type t.
func (n node) get(t uint16) []dns.RR {
	for i, rr := range n {
		if rr.Header().Rrtype == t {
			j := i + 1
			for j < len(n) && n[j].Header().Rrtype == t {
				j++
			}
			return n[i:j:j]
		}
	}
	return nil
}

type failKey struct {
	name string
	t    engine.Type
}

// Parse returns a Set holding the single zone text for origin; see Add.
func Parse(origin, text, file string) (*Set, error) {
	s := new(Set)
	if err := s.Add(origin, text, file); err != nil {
		return nil, err
	}
	return s, nil
}

// Add parses the zone-file text (RFC 1035 §5) of the zone origin
// ("contoso.com", the trailing dot optional) and adds it to s. file names
// the text in error messages ("contoso.zone"). An empty origin takes the
// zone's origin from the owner of its first SOA record, for zone files
// that set their own with $ORIGIN.
//
// Every record must be at or below origin. A failed Add leaves s as it
// was. The error, when the text is at fault, is a *ParseError naming the
// line.
func (s *Set) Add(origin, text, file string) error {
	if file == "" {
		file = "zone"
		if origin != "" {
			file = wire.EngineName(origin) + ".zone"
		}
	}
	z, dirs, notes, err := load(origin, text, file)
	if err != nil {
		return nameInvisible(err, text)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.zones) >= MaxZones {
		return &ParseError{File: file, Msg: fmt.Sprintf("cannot load more than %d zones", MaxZones)}
	}
	total := z.count
	for _, o := range s.zones {
		total += o.count
	}
	if total > MaxSetRecords {
		return &ParseError{File: file, Msg: fmt.Sprintf("cannot load more than %d records in all zones together", MaxSetRecords)}
	}
	for _, o := range s.zones {
		if o.origin == z.origin {
			return &ParseError{File: file, Msg: fmt.Sprintf("zone %s is already loaded from %s", z.origin, o.file)}
		}
	}
	s.zones = append(s.zones, z)
	slices.SortStableFunc(s.zones, func(a, b *zoneData) int {
		return cmp.Compare(dns.CountLabel(b.origin), dns.CountLabel(a.origin))
	})
	for _, d := range dirs {
		s.failLocked(d.name, d.t, d.rc)
	}
	s.notes = append(s.notes, notes...)
	return nil
}

// Notes returns what loading passed over, one line each with file and
// line ("contoso.com.dns:12: WINS record skipped: ..."), for the caller to
// show beside the report.
func (s *Set) Notes() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.notes)
}

// Fail makes every question for name and type t answer rc with no records,
// whether or not the name is in a loaded zone; t == 0 means every type.
// It is meant for SERVFAIL and REFUSED (RFC 1035 §4.1.1), to show what a
// failed lookup does; the ";! servfail" zone-file directive does the same.
// Within a CNAME chain it applies to each name followed, so the answer
// carries the aliases before the failing name. A name that is not a valid
// domain name is ignored, since no question can name it.
func (s *Set) Fail(name string, t engine.Type, rc engine.RCode) {
	c, err := canonical(name)
	if err != nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failLocked(c, t, rc)
}

func (s *Set) failLocked(name string, t engine.Type, rc engine.RCode) {
	if s.fails == nil {
		s.fails = make(map[failKey]engine.RCode)
	}
	s.fails[failKey{name, t}] = rc
}

// Zones returns the origins of the loaded zones in name order, spelled as
// engine spells names ("contoso.com").
func (s *Set) Zones() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]string, len(s.zones))
	for i, z := range s.zones {
		out[i] = wire.EngineName(z.origin)
	}
	slices.Sort(out)
	return out
}

// Resolve answers q from the loaded zones as the package documentation
// describes (RFC 1034 §4.3.2): REFUSED outside every zone, NXDOMAIN for a
// name that does not exist, NODATA for a name without records of q's type,
// CNAME chains followed within the zones. The error is non-nil only when
// ctx is done or q.Name is not a valid domain name (RFC 1035 §2.3.4: a
// label over 63 octets, a name over 255, an empty label), which no server
// could be asked, or when the answer would not fit in one DNS message
// (wire.CheckMessageSize): a server would send it truncated, and the
// answer must be the same whether it is read here or fetched over DoH.
func (s *Set) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	a, err := s.resolve(ctx, q)
	if err != nil {
		return engine.Answer{}, err
	}
	if err := wire.CheckMessageSize(q, a); err != nil {
		return engine.Answer{}, err
	}
	return a, nil
}

func (s *Set) resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	if err := ctx.Err(); err != nil {
		return engine.Answer{}, err
	}
	name, err := canonical(q.Name)
	if err != nil {
		return engine.Answer{}, fmt.Errorf("zone: cannot look up %q: %v", q.Name, err)
	}
	s.mu.RLock()
	defer s.mu.RUnlock()

	var a engine.Answer
	seen := make(map[string]bool)
	for aliases := 0; ; aliases++ {
		if rc, ok := s.failure(name, q.Type); ok {
			a.RCode = rc
			return a, nil
		}
		z := s.zoneFor(name)
		if z == nil {
			// Outside every zone: REFUSED for the question itself; for
			// the target of an alias, the aliases found so far, as an
			// authoritative server would leave the rest to the client.
			if aliases == 0 {
				a.RCode = engine.RCodeRefused
			}
			return a, nil
		}
		recs, exists := z.lookup(name)
		if !exists {
			a.RCode = engine.RCodeNameError
			return a, nil
		}
		if rrs := recs.get(uint16(q.Type)); len(rrs) > 0 {
			a.Records = appendRecords(a.Records, rrs, name)
			if s.additional && q.Type == engine.TypeSRV {
				a.Additional = z.targetAddresses(rrs)
			}
			return a, nil
		}
		cname := recs.get(dns.TypeCNAME)
		if len(cname) == 0 {
			return a, nil // NODATA
		}
		if aliases == MaxCNAMEChain {
			a.RCode = engine.RCodeServerFailure
			return a, nil
		}
		a.Records = appendRecords(a.Records, cname[:1], name)
		seen[name] = true
		name = cname[0].(*dns.CNAME).Target
		if seen[name] {
			a.RCode = engine.RCodeServerFailure // a loop
			return a, nil
		}
	}
}

// failure reports the RCode Fail set for name and t, if any.
func (s *Set) failure(name string, t engine.Type) (engine.RCode, bool) {
	if rc, ok := s.fails[failKey{name, t}]; ok {
		return rc, true
	}
	rc, ok := s.fails[failKey{name, 0}]
	return rc, ok
}

// zoneFor returns the most specific zone holding name, or nil.
func (s *Set) zoneFor(name string) *zoneData {
	for _, z := range s.zones {
		if isSub(name, z.origin) {
			return z
		}
	}
	return nil
}

// lookup returns the records at name and whether name exists in z. A
// name that does not exist takes the records of the wildcard at its
// closest encloser, if there is one (RFC 4592 §3.3.1).
func (z *zoneData) lookup(name string) (node, bool) {
	if n, ok := z.names[name]; ok {
		return z.at(n), true
	}
	ce := parent(name)
	for ce != "." {
		if _, ok := z.names[ce]; ok {
			break
		}
		ce = parent(ce)
	}
	wild := "*." + ce
	if ce == "." {
		wild = "*."
	}
	n, ok := z.names[wild]
	return z.at(n), ok
}

// appendRecords appends the records of rrs that engine models, with owner
// as their name (a wildcard's records take the name asked, RFC 1034
// §4.3.3).
// targetAddresses returns the A and AAAA records z holds at the targets
// of the SRV records srv, each target once, in record order.
func (z *zoneData) targetAddresses(srv []dns.RR) []engine.Record {
	var out []engine.Record
	var done []string
	for _, rr := range srv {
		v, ok := rr.(*dns.SRV)
		if !ok {
			continue
		}
		t, err := canonical(v.Target)
		if err != nil || slices.Contains(done, t) {
			continue
		}
		done = append(done, t)
		sp, ok := z.names[t]
		if !ok {
			continue
		}
		n := z.at(sp)
		out = appendRecords(out, n.get(dns.TypeA), t)
		out = appendRecords(out, n.get(dns.TypeAAAA), t)
	}
	return out
}

func appendRecords(dst []engine.Record, rrs []dns.RR, owner string) []engine.Record {
	for _, rr := range rrs {
		if r, ok := wire.ToRecord(rr); ok {
			r.Name = wire.EngineName(owner)
			dst = append(dst, r)
		}
	}
	return dst
}

// canonical returns name in the form the zones are keyed by: presentation
// format as miekg/dns writes it after a round trip through wire format (so
// that "\060b\062" and "<b>" are one name), lower case (RFC 4343 §2: only
// ASCII letters fold; other octets are \DDD escapes by then), with the
// trailing dot. It fails for a name that cannot be sent on the wire.
func canonical(name string) (string, error) {
	if name == "" || name == "." {
		return ".", nil
	}
	var buf [256]byte
	off, err := dns.PackDomainName(dns.Fqdn(name), buf[:], 0, nil, false)
	if err != nil {
		return "", err
	}
	s, _, err := dns.UnpackDomainName(buf[:off], 0)
	if err != nil {
		return "", err
	}
	return toLowerASCII(s), nil
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// isSub reports whether the canonical name is origin or below it, on a
// label boundary ("a\.contoso.com." is not below "contoso.com.").
func isSub(name, origin string) bool {
	if origin == "." {
		return true
	}
	for off, end := 0, false; !end; off, end = dns.NextLabel(name, off) {
		if name[off:] == origin {
			return true
		}
	}
	return false
}

// parent returns the canonical name with its first label removed; the
// parent of the root is the root.
func parent(name string) string {
	off, end := dns.NextLabel(name, 0)
	if end || off >= len(name) {
		return "."
	}
	return name[off:]
}
