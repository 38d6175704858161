package zone

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// ParseError is zone text that could not be loaded: the file, the line
// where known, and what was wrong, in words. (miekg/dns also reports a
// column, but not consistently at the start or the end of the token, so it
// is left out.)
type ParseError struct {
	File string
	// Line is 1-based; 0 when the error concerns the whole text (a
	// limit, the origin).
	Line int
	Msg  string
}

// Error returns "file:line: message", or "file: message" when the line is
// unknown: "demo.zone:7: bad SRV Port: \"x\"".
func (e *ParseError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	return s + ": " + e.Msg
}

// errNoOrigin is the error of a text with neither an origin given nor an
// SOA record: the one error about the whole text that an invisible
// character can cause (a U+FEFF before the SOA's owner).
const errNoOrigin = "no zone origin was given and there is no SOA record to take it from"

// defaultTTL is the TTL of records that have none and follow no $TTL, as
// BIND's default for $TTL-less files would be an hour for most zones.
const defaultTTL = 3600

// directive is one ";! servfail NAME [TYPE]" line.
type directive struct {
	line int
	rc   engine.RCode
	name string // as written until load resolves it, then canonical
	t    engine.Type
}

// load parses one zone's text and builds its data, checking every limit
// and rule the package documents. Directive names come back canonical;
// notes say what was passed over.
func load(origin, text, file string) (*zoneData, []directive, []string, error) {
	if len(text) > MaxZoneBytes {
		return nil, nil, nil, &ParseError{File: file, Msg: fmt.Sprintf(
			"the zone text is %d bytes; the limit is %d (%d MiB)", len(text), MaxZoneBytes, MaxZoneBytes>>20)}
	}
	p, err := prepare(text, file)
	if err != nil {
		return nil, nil, nil, err
	}
	text = p.text
	parseOrigin := "."
	if origin != "" {
		c, err := canonical(origin)
		if err != nil {
			return nil, nil, nil, &ParseError{File: file, Msg: fmt.Sprintf("bad zone origin %q: %v", origin, err)}
		}
		parseOrigin = c
	}
	dirs, err := scanDirectives(text, file)
	if err != nil {
		return nil, nil, nil, err
	}
	rrs, err := parseRecords(text, parseOrigin, file, p.recordLines)
	if err != nil {
		return nil, nil, nil, err
	}
	lines := p.recordLines
	if len(lines) != len(rrs) {
		lines = nil // $GENERATE, or an entry miekg/dns read otherwise
	}
	lineErr := func(i int, format string, args ...any) error {
		line := 0
		if lines != nil {
			line = int(lines[i])
		} else {
			line = locate(text, parseOrigin, i)
		}
		return &ParseError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}

	zorigin := parseOrigin
	if origin == "" {
		i := slices.IndexFunc(rrs, func(rr dns.RR) bool { return rr.Header().Rrtype == dns.TypeSOA })
		if i < 0 {
			return nil, nil, nil, &ParseError{File: file, Msg: errNoOrigin}
		}
		c, err := canonical(rrs[i].Header().Name)
		if err != nil {
			return nil, nil, nil, lineErr(i, "bad SOA owner name: %v", err)
		}
		zorigin = c
	}

	// Check each record in file order, canonicalizing its names.
	for i, rr := range rrs {
		h := rr.Header()
		owner, err := canonical(h.Name)
		if err != nil {
			return nil, nil, nil, lineErr(i, "bad owner name %s: %v", h.Name, err)
		}
		if !isSub(owner, zorigin) {
			return nil, nil, nil, lineErr(i, "%s is outside the zone %s", owner, zorigin)
		}
		if h.Class != dns.ClassINET {
			return nil, nil, nil, lineErr(i, "class %s is not supported; records must be class IN", dns.Class(h.Class))
		}
		h.Name = owner
		switch v := rr.(type) {
		case *dns.CNAME:
			if v.Target, err = canonical(v.Target); err != nil {
				return nil, nil, nil, lineErr(i, "bad CNAME target: %v", err)
			}
		case *dns.SRV:
			if v.Target, err = canonical(v.Target); err != nil {
				return nil, nil, nil, lineErr(i, "bad SRV target: %v", err)
			}
		}
	}
	z, bad, why := build(zorigin, file, rrs)
	if bad >= 0 {
		return nil, nil, nil, lineErr(bad, "%s", why)
	}

	for i, d := range dirs {
		name, err := directiveName(d.name, zorigin)
		if err != nil {
			return nil, nil, nil, &ParseError{File: file, Line: d.line, Msg: fmt.Sprintf("bad name %q in ;! %s: %v", d.name, strings.ToLower(d.rc.String()), err)}
		}
		if !isSub(name, zorigin) {
			return nil, nil, nil, &ParseError{File: file, Line: d.line, Msg: fmt.Sprintf("%s in ;! %s is outside the zone %s", name, strings.ToLower(d.rc.String()), zorigin)}
		}
		dirs[i].name = name
	}
	return z, dirs, p.notes, nil
}

// build files the checked records of a zone by name, each name's grouped
// by type in file order, dropping duplicates (RFC 2181 §5). It returns the
// index of the first record that breaks the CNAME rules and why, or -1: a
// second CNAME at a name (RFC 2181 §10.1), or a CNAME beside other data
// (RFC 1034 §3.6.2), reported at the record that made the conflict, as a
// reader going through the file in order meets it.
//
// All records share one backing array, and each name's are a slice of it,
// so that a large zone costs little more than its records: records are
// sorted by name and type (stably, keeping file order) rather than
// appended to per-name lists.
func build(origin, file string, rrs []dns.RR) (z *zoneData, bad int, why string) {
	idx := sortedByOwner(rrs)
	owners := 0
	for i := range idx {
		if i == 0 || rrs[idx[i]].Header().Name != rrs[idx[i-1]].Header().Name {
			owners++
		}
	}
	// Room for the owners and some empty non-terminals, so the map is
	// not grown (and left half empty) on the way.
	z = &zoneData{origin: origin, file: file, names: make(map[string]span, owners+owners/8+1)}
	z.names[origin] = span{}
	all := make([]dns.RR, 0, len(rrs))
	bad = -1
	for a := 0; a < len(idx); {
		owner := rrs[idx[a]].Header().Name
		b := a
		for b < len(idx) && rrs[idx[b]].Header().Name == owner {
			b++
		}
		start := len(all)
		var i int
		var w string
		all, i, w = appendOwner(all, rrs, idx[a:b], owner)
		if i >= 0 && (bad < 0 || i < bad) {
			bad, why = i, w
		}
		z.names[owner] = span{int32(start), int32(len(all))}
		z.count += len(all) - start
		for n := parent(owner); ; n = parent(n) {
			if _, ok := z.names[n]; ok || !isSub(n, origin) {
				break
			}
			z.names[n] = span{} // an empty non-terminal (RFC 8020 §2)
		}
		a = b
	}
	z.records = all
	return z, bad, why
}

// sortedByOwner returns the indices of rrs sorted by owner name and type,
// stably, so that each RRset keeps file order.
func sortedByOwner(rrs []dns.RR) []int32 {
	idx := make([]int32, len(rrs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortStableFunc(idx, func(a, b int32) int {
		ha, hb := rrs[a].Header(), rrs[b].Header()
		if c := strings.Compare(ha.Name, hb.Name); c != 0 {
			return c
		}
		return cmp.Compare(ha.Rrtype, hb.Rrtype)
	})
	return idx
}

// appendOwner appends to all the records of one owner (set, its records'
// indices sorted by type), each RRset without duplicates. It returns the
// index of the record that breaks the CNAME rules at this owner and why,
// or -1.
func appendOwner(all []dns.RR, rrs []dns.RR, set []int32, owner string) ([]dns.RR, int, string) {
	firstCNAME, secondCNAME, firstData := -1, -1, -1
	for c := 0; c < len(set); {
		t := rrs[set[c]].Header().Rrtype
		d := c
		for d < len(set) && rrs[set[d]].Header().Rrtype == t {
			d++
		}
		for _, i := range dedupe(rrs, set[c:d]) {
			switch {
			case t == dns.TypeCNAME && firstCNAME < 0:
				firstCNAME = int(i)
			case t == dns.TypeCNAME && secondCNAME < 0:
				secondCNAME = int(i)
			case conflictsWithCNAME(t) && (firstData < 0 || int(i) < firstData):
				firstData = int(i)
			}
			all = append(all, rrs[i])
		}
		c = d
	}
	bad, why := -1, ""
	if secondCNAME >= 0 {
		bad, why = secondCNAME, fmt.Sprintf("%s has a second CNAME record; a name is an alias of one name only (RFC 2181 §10.1)", owner)
	}
	if firstCNAME >= 0 && firstData >= 0 {
		if i := max(firstCNAME, firstData); bad < 0 || i < bad {
			bad, why = i, fmt.Sprintf("%s has a CNAME record and other records; an alias can have no other data (RFC 1034 §3.6.2)", owner)
		}
	}
	return all, bad, why
}

// linearDedupe is the RRset size up to which dedupe compares records pair
// by pair; larger sets are deduplicated through a map, so that a hostile
// zone of many records at one name cannot make loading quadratic.
const linearDedupe = 16

// dedupe returns the indices of the records of one RRset (in file order)
// that duplicate no earlier one (RFC 2181 §5; the TTL does not count).
func dedupe(rrs []dns.RR, set []int32) []int32 {
	if len(set) <= linearDedupe {
		kept := set[:0:0]
		for _, i := range set {
			if !slices.ContainsFunc(kept, func(k int32) bool { return dns.IsDuplicate(rrs[k], rrs[i]) }) {
				kept = append(kept, i)
			}
		}
		return kept
	}
	seen := make(map[string]bool, len(set))
	kept := make([]int32, 0, len(set))
	for _, i := range set {
		rr := dns.Copy(rrs[i])
		rr.Header().Ttl = 0
		k := rr.String()
		if !seen[k] {
			seen[k] = true
			kept = append(kept, i)
		}
	}
	return kept
}

// conflictsWithCNAME reports whether records of type t may not share a name
// with a CNAME: every type but the CNAME itself and the RRSIG and NSEC
// records RFC 4035 §2.5 allows at an alias.
func conflictsWithCNAME(t uint16) bool {
	return t != dns.TypeCNAME && t != dns.TypeRRSIG && t != dns.TypeNSEC
}

// newParser returns the zone parser every parse uses: $INCLUDE refused, a
// default TTL, errors without a file name (ParseError adds it).
func newParser(text, origin string) *dns.ZoneParser {
	zp := dns.NewZoneParser(strings.NewReader(text), origin, "")
	zp.SetIncludeAllowed(false)
	zp.SetDefaultTTL(defaultTTL)
	return zp
}

// parseRecords returns every record of text, at most MaxRecords.
// recordLines, when not nil, holds the line each record starts on.
func parseRecords(text, origin, file string, recordLines []int32) ([]dns.RR, error) {
	zp := newParser(text, origin)
	var rrs []dns.RR
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		if len(rrs) == MaxRecords {
			line := 0
			if len(recordLines) > MaxRecords {
				line = int(recordLines[MaxRecords])
			} else {
				line = locate(text, origin, MaxRecords)
			}
			return nil, &ParseError{File: file, Line: line,
				Msg: fmt.Sprintf("too many records; the limit is %d per zone", MaxRecords)}
		}
		rrs = append(rrs, rr)
	}
	if err := zp.Err(); err != nil {
		return nil, plainError(err, file)
	}
	return rrs, nil
}

// dnsErr matches miekg/dns's ParseError text when no file name is set:
// `dns: bad SRV Port: "x" at line: 7:20`.
var dnsErr = regexp.MustCompile(`^dns: (.*): ("(?:[^"\\]|\\.)*") at line: (\d+):(\d+)$`)

// plainError rewrites a miekg/dns parse error as a ParseError:
// "demo.zone:7: bad SRV Port: \"x\"".
func plainError(err error, file string) *ParseError {
	msg := err.Error()
	m := dnsErr.FindStringSubmatch(msg)
	if m == nil {
		return &ParseError{File: file, Msg: strings.TrimPrefix(msg, "dns: ")}
	}
	pe := &ParseError{File: file, Msg: m[1]}
	pe.Line, _ = strconv.Atoi(m[3])
	switch {
	case strings.HasPrefix(m[1], "$INCLUDE"):
		pe.Msg = "$INCLUDE is not supported; put the included records in the zone text itself"
	case m[2] != `""`:
		pe.Msg += ": " + m[2]
	}
	return pe
}

// locate returns the line on which record i (0-based, in parse order) of
// text starts, or 0 if it cannot tell. miekg/dns reports lines only for
// errors, so locate parses ever longer prefixes of whole lines: a prefix
// that ends inside record i yields exactly i records and an error, one
// that ends after it more than i records. Binary search keeps this to a
// dozen parses; it runs only to report an error. A record that spans
// lines in parentheses can mislead it: a prefix cut inside them may hold
// the whole record and fail on the open parenthesis, so the next record
// is placed a line or two early.
func locate(text, origin string, i int) int {
	lines := strings.SplitAfter(text, "\n")
	reached := func(k int) bool {
		zp := newParser(strings.Join(lines[:k], "")+"\n", origin)
		n := 0
		for _, ok := zp.Next(); ok; _, ok = zp.Next() {
			if n++; n > i {
				return true
			}
		}
		return n == i && zp.Err() != nil
	}
	k := sort.Search(len(lines)+1, reached)
	if k > len(lines) {
		return 0
	}
	return max(k, 1)
}

// scanDirectives finds the ";!" directive comments of text: a ";!" at the
// start of a line (after blanks), outside a quoted string.
func scanDirectives(text, file string) ([]directive, error) {
	var dirs []directive
	line, atStart, inQuote := 1, true, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '\n':
			line++
			atStart = !inQuote
			continue
		case inQuote:
			if c == '\\' && i+1 < len(text) && text[i+1] != '\n' {
				i++
			} else if c == '"' {
				inQuote = false
			}
		case atStart && (c == ' ' || c == '\t' || c == '\r'):
			continue
		case c == ';':
			end := strings.IndexByte(text[i:], '\n')
			if end < 0 {
				end = len(text) - i
			}
			if atStart && strings.HasPrefix(text[i:], ";!") {
				d, err := parseDirective(text[i+2:i+end], line, file)
				if err != nil {
					return nil, err
				}
				dirs = append(dirs, d)
			}
			i += end - 1 // the newline, if any, comes next
		case c == '"':
			inQuote = true
		case c == '\\' && i+1 < len(text) && text[i+1] != '\n':
			i++
		}
		atStart = false
	}
	return dirs, nil
}

// parseDirective parses the text after ";!" on line.
func parseDirective(s string, line int, file string) (directive, error) {
	const usage = `";! servfail NAME [TYPE]" or ";! refused NAME [TYPE]"`
	f := strings.Fields(s)
	d := directive{line: line}
	if len(f) == 0 {
		return d, &ParseError{File: file, Line: line, Msg: "empty ;! directive; want " + usage}
	}
	switch strings.ToLower(f[0]) {
	case "servfail":
		d.rc = engine.RCodeServerFailure
	case "refused":
		d.rc = engine.RCodeRefused
	default:
		return d, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("unknown directive \";! %s\"; want %s", f[0], usage)}
	}
	if len(f) < 2 || len(f) > 3 {
		return d, &ParseError{File: file, Line: line, Msg: "want " + usage}
	}
	d.name = f[1]
	if len(f) == 3 {
		t, ok := dns.StringToType[strings.ToUpper(f[2])]
		if ok {
			d.t = engine.Type(t)
		} else if d.t, ok = parseTypeN(f[2]); !ok {
			return d, &ParseError{File: file, Line: line, Msg: fmt.Sprintf("unknown record type %q in ;! %s", f[2], strings.ToLower(f[0]))}
		}
	}
	return d, nil
}

// parseTypeN parses the generic "TYPE123" form (RFC 3597 §5).
func parseTypeN(s string) (engine.Type, bool) {
	t, err := engine.ParseType(s)
	return t, err == nil && t != 0
}

// directiveName resolves a directive's NAME against the zone origin: "@" is
// the origin; a name ending in a dot, or already at or below the origin,
// is taken as written; anything else is relative to the origin.
func directiveName(name, origin string) (string, error) {
	if name == "@" {
		return origin, nil
	}
	c, err := canonical(name)
	if err != nil || strings.HasSuffix(name, ".") || isSub(c, origin) {
		return c, err
	}
	if origin == "." {
		return c, nil
	}
	return canonical(name + "." + origin)
}
