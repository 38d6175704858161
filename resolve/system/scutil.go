package system

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// ScutilResolver is one resolver in the main section of macOS's
// "scutil --dns" output (scutil(8)).
type ScutilResolver struct {
	// Number is N of "resolver #N".
	Number int
	// Domain is the domain the resolver is for, lower case without the
	// trailing dot; "" for a resolver that answers any name.
	Domain string
	// Servers are its nameservers, each with the resolver's port (53
	// unless a "port" line says otherwise).
	Servers []netip.AddrPort
	// Order is the "order" value; lower is preferred. 0 when absent.
	Order int
	// Timeout is the "timeout" value, 0 when absent.
	Timeout time.Duration
	// MDNS marks a multicast DNS resolver ("options : mdns"), which
	// unicast queries never use.
	MDNS bool
}

// ParseScutil reads the output of "scutil --dns" and returns the
// resolvers of its first section, "DNS configuration"; the section "for
// scoped queries" that follows holds per-interface resolvers used only by
// programs that bind a query to an interface, and is not read. Nameserver
// lines that are not IP addresses are skipped. It fails when the text has
// no resolver at all.
func ParseScutil(text string) ([]ScutilResolver, error) {
	var out []ScutilResolver
	var cur *ScutilResolver
	port := uint16(plain.Port)
	var addrs []netip.Addr
	flush := func() {
		if cur == nil {
			return
		}
		for _, a := range addrs {
			cur.Servers = append(cur.Servers, netip.AddrPortFrom(a, port))
		}
		out = append(out, *cur)
		cur, addrs, port = nil, nil, plain.Port
	}
	for _, line := range strings.Split(normalizeNewlines(text), "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "DNS configuration (for scoped queries)") {
			break
		}
		if n, ok := strings.CutPrefix(t, "resolver #"); ok {
			flush()
			num, _ := strconv.Atoi(n)
			cur = &ScutilResolver{Number: num}
			continue
		}
		key, val, ok := strings.Cut(t, ":")
		if cur == nil || !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		switch {
		case strings.HasPrefix(key, "nameserver["):
			if a, err := netip.ParseAddr(val); err == nil {
				addrs = append(addrs, a)
			}
		case key == "domain":
			cur.Domain = strings.ToLower(strings.TrimSuffix(val, "."))
		case key == "port":
			if p, err := strconv.ParseUint(val, 10, 16); err == nil && p > 0 {
				port = uint16(p)
			}
		case key == "order":
			cur.Order, _ = strconv.Atoi(val)
		case key == "timeout":
			if s, err := strconv.Atoi(val); err == nil && s > 0 {
				cur.Timeout = time.Duration(min(s, 30)) * time.Second
			}
		case key == "options":
			cur.MDNS = slices.Contains(strings.Fields(val), "mdns")
		}
	}
	flush()
	if len(out) == 0 {
		return nil, errors.New("no resolver in the scutil --dns output")
	}
	return out, nil
}

// Routed asks each name the servers the system would: those of the most
// specific Scope whose domain the name is at or below, else Default. It is
// the macOS resolver; on other systems it is built only by tests.
type Routed struct {
	// Default answers names no Scope covers.
	Default *plain.Client
	// Scopes are domain-specific resolvers, most specific first.
	Scopes []Scope
	// Source names where the configuration came from ("scutil --dns").
	Source string
}

// Scope is a resolver for the names at or below Domain.
type Scope struct {
	Domain string
	Client *plain.Client
}

// For returns the client that answers name.
func (r *Routed) For(name string) *plain.Client {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	for _, s := range r.Scopes {
		if name == s.Domain || strings.HasSuffix(name, "."+s.Domain) {
			return s.Client
		}
	}
	return r.Default
}

// Resolve asks q of the client For its name.
func (r *Routed) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	return r.For(q.Name).Resolve(ctx, q)
}

// Lookup asks q of the client For its name.
func (r *Routed) Lookup(ctx context.Context, q engine.Question) (plain.Result, error) {
	return r.For(q.Name).Lookup(ctx, q)
}

// maxScopesShown bounds the scopes String lists.
const maxScopesShown = 8

// String describes the routing: "the resolvers of scutil --dns:
// 192.168.1.1 for every name; 10.0.0.1, 10.0.0.2 for contoso.com".
func (r *Routed) String() string {
	if len(r.Scopes) == 0 && r.Source == "" {
		return r.Default.String()
	}
	var b strings.Builder
	b.WriteString("the resolvers")
	if r.Source != "" {
		b.WriteString(" of " + r.Source)
	}
	b.WriteString(": " + servers(r.Default) + " for every name")
	if r.Default.Source != "" && r.Default.Source != r.Source {
		b.WriteString(" (from " + r.Default.Source + ")")
	}
	for i, s := range r.Scopes {
		if i == maxScopesShown {
			fmt.Fprintf(&b, "; %d more domains", len(r.Scopes)-i)
			break
		}
		b.WriteString("; " + servers(s.Client) + " for " + s.Domain)
	}
	return b.String()
}

func servers(c *plain.Client) string {
	parts := make([]string, len(c.Servers))
	for i, s := range c.Servers {
		parts[i] = plain.FormatServer(s)
	}
	return strings.Join(parts, ", ")
}

// fromScutil builds the macOS resolver from the output of scutil --dns
// and the text of /etc/resolv.conf (either may be empty when unavailable).
func fromScutil(scutil, resolvConf string) *Routed {
	def := fromResolvConf(resolvConf, ResolvConfPath)
	rs, err := ParseScutil(scutil)
	if err != nil {
		return &Routed{Default: def}
	}
	r := &Routed{Source: "scutil --dns"}
	byDomain := map[string]ScutilResolver{}
	for _, x := range rs {
		switch {
		case x.MDNS || len(x.Servers) == 0:
		case x.Domain == "":
			if r.Default == nil {
				r.Default = &plain.Client{Servers: x.Servers, TryTimeout: x.Timeout, Source: r.Source}
			}
		default:
			if o, ok := byDomain[x.Domain]; !ok || preferred(x, o) {
				byDomain[x.Domain] = x
			}
		}
	}
	if r.Default == nil {
		r.Default = def
	}
	for d, x := range byDomain {
		r.Scopes = append(r.Scopes, Scope{Domain: d, Client: &plain.Client{Servers: x.Servers, TryTimeout: x.Timeout, Source: r.Source}})
	}
	slices.SortFunc(r.Scopes, func(a, b Scope) int {
		if c := cmp.Compare(strings.Count(b.Domain, "."), strings.Count(a.Domain, ".")); c != 0 {
			return c
		}
		return strings.Compare(a.Domain, b.Domain)
	})
	return r
}

// preferred reports whether resolver a wins over b for the same domain:
// the lower order, then the earlier listed.
func preferred(a, b ScutilResolver) bool {
	if a.Order != b.Order && a.Order != 0 && b.Order != 0 {
		return a.Order < b.Order
	}
	return a.Number < b.Number
}
