//go:build !js

package plain

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

func TestParseServer(t *testing.T) {
	tests := []struct {
		in   string
		want string // netip.AddrPort.String(), or "" for an error
		err  string
	}{
		{"10.0.0.1", "10.0.0.1:53", ""},
		{" 10.0.0.1 ", "10.0.0.1:53", ""},
		{"10.0.0.1:5353", "10.0.0.1:5353", ""},
		{"2001:db8::1", "[2001:db8::1]:53", ""},
		{"[2001:db8::1]:5353", "[2001:db8::1]:5353", ""},
		{"[2001:db8::1]", "", "written [2001:db8::1]:53"},
		{"fe80::1%eth0", "[fe80::1%eth0]:53", ""},
		{"127.0.0.53", "127.0.0.53:53", ""},
		{"", "", "empty"},
		{"dns.contoso.com", "", "given by its address"},
		{"dns.contoso.com:53", "", `"dns.contoso.com" is not an IP address`},
		{"10.0.0.1:0", "", "not a number from 1 to 65535"},
		{"10.0.0.1:65536", "", "not a number from 1 to 65535"},
		{"10.0.0.1:dns", "", "not a number"},
		{"2001:db8::1:53:x", "", "[2001:db8::1]:53"},
		{"[10.0.0.1]:53", "", "in brackets"},
	}
	for _, tt := range tests {
		got, err := ParseServer(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseServer(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || got.String() != tt.want):
			t.Errorf("ParseServer(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestString(t *testing.T) {
	a := netip.MustParseAddrPort
	tests := []struct {
		c    Client
		want string
	}{
		{Client{Servers: []netip.AddrPort{a("10.0.0.1:53")}}, "the DNS server 10.0.0.1"},
		{Client{Servers: []netip.AddrPort{a("10.0.0.1:53"), a("[2001:db8::1]:5353")}, TCP: true}, "the DNS servers 10.0.0.1, [2001:db8::1]:5353 over TCP"},
		{Client{Servers: []netip.AddrPort{a("127.0.0.53:53")}, Source: "/etc/resolv.conf"}, "the DNS server 127.0.0.53 (systemd-resolved) from /etc/resolv.conf"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.want {
			t.Errorf("String() = %q; want %q", got, tt.want)
		}
	}
}

func TestTryTimeout(t *testing.T) {
	c := &Client{TryTimeout: 3 * time.Second}
	if got := c.tryTimeout(context.Background(), 2); got != 3*time.Second {
		t.Errorf("without a deadline: %v; want the TryTimeout 3s", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	// A quarter of the time left when tryTimeout looks, which is between
	// before and after, however long a loaded machine takes to get there.
	dl, _ := ctx.Deadline()
	before := time.Now()
	got := c.tryTimeout(ctx, 4)
	after := time.Now()
	if lo, hi := dl.Sub(after)/4, dl.Sub(before)/4; got < lo || got > hi {
		t.Errorf("4s left for 4 servers: %v; want a quarter of the time left, %v to %v", got, lo, hi)
	}
	if got := c.tryTimeout(ctx, 100); got != MinTryTimeout {
		t.Errorf("4s left for 100 servers: %v; want MinTryTimeout", got)
	}
	if got := (&Client{}).tryTimeout(context.Background(), 1); got != DefaultTryTimeout {
		t.Errorf("zero TryTimeout: %v; want DefaultTryTimeout", got)
	}
}

// replyMsg builds a reply to q with edit applied.
func replyMsg(q *dns.Msg, edit func(r *dns.Msg)) *dns.Msg {
	r := new(dns.Msg)
	r.SetReply(q)
	if edit != nil {
		edit(r)
	}
	return r
}

func TestClassify(t *testing.T) {
	q := new(dns.Msg)
	q.SetQuestion("_sip._tls.contoso.example.", dns.TypeSRV)
	srv, _ := dns.NewRR("_sip._tls.contoso.example. 60 IN SRV 0 0 443 sip.contoso.example.")
	ns, _ := dns.NewRR("contoso.example. 60 IN NS ns1.elsewhere.test.")
	soa, _ := dns.NewRR("contoso.example. 60 IN SOA ns1 host 1 2 3 4 5")
	tests := []struct {
		name    string
		edit    func(r *dns.Msg)
		ok      bool
		rcode   engine.RCode
		outcome string
	}{
		{"data", func(r *dns.Msg) { r.Answer = []dns.RR{srv} }, true, 0, "answered NOERROR"},
		{"data without AA or RA", func(r *dns.Msg) { r.Answer, r.RecursionAvailable = []dns.RR{srv}, false }, true, 0, "answered NOERROR"},
		{"NXDOMAIN", func(r *dns.Msg) { r.Rcode = dns.RcodeNameError; r.Ns = []dns.RR{soa} }, true, engine.RCodeNameError, "answered NXDOMAIN"},
		// Issue 26, class 4: an NXDOMAIN with records beyond the CNAME
		// chain (RFC 6604 §2) contradicts itself.
		{"NXDOMAIN with an SRV record", func(r *dns.Msg) { r.Rcode = dns.RcodeNameError; r.Answer = []dns.RR{srv} }, false, 0, "answered NXDOMAIN with SRV records in the answer section, a reply that contradicts itself"},
		{"NXDOMAIN at the end of a CNAME chain", func(r *dns.Msg) {
			cname, _ := dns.NewRR("_sip._tls.contoso.example. 60 IN CNAME _sip._tls.gone.example.")
			r.Rcode, r.Answer, r.Ns = dns.RcodeNameError, []dns.RR{cname}, []dns.RR{soa}
		}, true, engine.RCodeNameError, "answered NXDOMAIN"},
		{"NODATA authoritative", func(r *dns.Msg) { r.Authoritative = true; r.Ns = []dns.RR{soa} }, true, 0, "NODATA"},
		{"NODATA recursive", func(r *dns.Msg) { r.RecursionAvailable = true }, true, 0, "NODATA"},
		{"referral", func(r *dns.Msg) { r.Ns = []dns.RR{ns} }, false, 0, "sent a referral to contoso.example"},
		{"lame", nil, false, 0, "neither AA nor RA"},
		{"lame with SOA", func(r *dns.Msg) { r.Ns = []dns.RR{soa} }, false, 0, "neither AA nor RA"},
		{"SERVFAIL", func(r *dns.Msg) { r.Rcode = dns.RcodeServerFailure }, false, 0, "answered SERVFAIL"},
		{"REFUSED with EDE", func(r *dns.Msg) {
			r.Rcode = dns.RcodeRefused
			r.SetEdns0(1232, false)
			o := r.IsEdns0()
			o.Option = append(o.Option, &dns.EDNS0_EDE{InfoCode: 18, ExtraText: "no\x1b[2J"})
		}, false, 0, `answered REFUSED (EDE 18 Prohibited: no\u001b[2J)`},
		{"NOTIMP", func(r *dns.Msg) { r.Rcode = dns.RcodeNotImplemented }, false, 0, "answered NOTIMP"},
		{"unknown rcode", func(r *dns.Msg) { r.Rcode = 15 }, false, 0, "answered RCODE15"},
	}
	for _, tt := range tests {
		ans, outcome, ok := classify(replyMsg(q, tt.edit), engine.TypeSRV)
		if ok != tt.ok || !strings.Contains(outcome, tt.outcome) || (ok && ans.RCode != tt.rcode) {
			t.Errorf("%s: classify = %v, %q, %v; want ok=%v, %q, rcode %v", tt.name, ans, outcome, ok, tt.ok, tt.outcome, tt.rcode)
		}
	}
}

// responder is a hand-made DNS responder on loopback, for the wire
// behaviours no real server shows on demand (a reply with another ID or
// question, garbage, a server without EDNS). reply gets each query and
// how many have arrived before it, and returns the datagrams to send back
// (none: stay silent).
func responder(t *testing.T, reply func(q *dns.Msg, n int) [][]byte) netip.AddrPort {
	t.Helper()
	var count atomic.Int32
	var u net.PacketConn
	var l net.Listener
	for range 10 {
		var err error
		if l, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if u, err = net.ListenPacket("udp", l.Addr().String()); err == nil {
			break
		}
		l.Close()
	}
	t.Cleanup(func() { u.Close(); l.Close() })
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := u.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			for _, b := range reply(q, int(count.Add(1))-1) {
				u.WriteTo(b, from)
			}
		}
	}()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var n [2]byte
				if _, err := io.ReadFull(c, n[:]); err != nil {
					return
				}
				b := make([]byte, binary.BigEndian.Uint16(n[:]))
				if _, err := io.ReadFull(c, b); err != nil {
					return
				}
				q := new(dns.Msg)
				if q.Unpack(b) != nil {
					return
				}
				for _, r := range reply(q, int(count.Add(1))-1) {
					c.Write(binary.BigEndian.AppendUint16(nil, uint16(len(r))))
					c.Write(r)
				}
			}()
		}
	}()
	return l.Addr().(*net.TCPAddr).AddrPort()
}

func pack(t *testing.T, m *dns.Msg) []byte {
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWire(t *testing.T) {
	a, _ := dns.NewRR("sip.contoso.example. 60 IN A 192.0.2.10")
	good := func(q *dns.Msg) *dns.Msg {
		return replyMsg(q, func(r *dns.Msg) { r.Answer, r.RecursionAvailable = []dns.RR{a}, true })
	}
	tests := []struct {
		name  string
		reply func(t *testing.T, q *dns.Msg, n int) [][]byte
		tcp   bool
		// want is the outcome of the last try, or an error's text.
		want      string
		wantTries int
		wantErr   bool
	}{
		{"another ID first", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			forged := good(q)
			forged.Id = q.Id + 1
			return [][]byte{pack(t, forged), pack(t, good(q))}
		}, false, "answered NOERROR", 1, false},
		{"another question", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			r := good(q)
			r.Question[0].Name = "sip.evil.example."
			return [][]byte{pack(t, r)}
		}, false, `with its ID dropped as not answering it, the last because: DNS response is for "sip.evil.example."`, 1, true},
		{"not a response", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			r := good(q)
			r.Response = false
			return [][]byte{pack(t, r)}
		}, false, "dropped as not answering it, the last because: DNS message is a query, not a response (QR bit clear)", 1, true},
		{"garbage with our ID", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			b := pack(t, good(q))
			return [][]byte{append(b[:12:12], 0xff, 0xff, 0xff)}
		}, false, "dropped as not answering it, the last because: not a DNS message", 1, true},
		{"records cut off", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			one := pack(t, good(q))
			binary.BigEndian.PutUint16(one[6:], 2) // claims two answers, holds one
			return [][]byte{one}
		}, false, "ends before the records its header announces", 1, true},
		{"no EDNS", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			if q.IsEdns0() != nil {
				return [][]byte{pack(t, replyMsg(q, func(r *dns.Msg) { r.Rcode = dns.RcodeFormatError }))}
			}
			return [][]byte{pack(t, good(q))}
		}, false, "answered NOERROR", 2, false},
		{"first datagram lost", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			if n == 0 {
				return nil
			}
			return [][]byte{pack(t, good(q))}
		}, false, "answered NOERROR", 1, false},
		{"truncated even over TCP", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			return [][]byte{pack(t, replyMsg(q, func(r *dns.Msg) { r.Truncated = true }))}
		}, false, "truncated reply (TC) even over TCP", 2, true},
		{"NXDOMAIN with an answer", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			r := good(q)
			r.Rcode = dns.RcodeNameError
			return [][]byte{pack(t, r)}
		}, false, "answered NXDOMAIN with A records in the answer section, a reply that contradicts itself (taken as a server failure)", 1, true},
		{"TCP", func(t *testing.T, q *dns.Msg, n int) [][]byte {
			return [][]byte{pack(t, good(q))}
		}, true, "answered NOERROR", 1, false},
	}
	// A reply with the query's ID that does not answer its question is
	// dropped as a forgery or a stray (RFC 5452 §9.1): the try waits on
	// for the reply and says what it dropped.
	dropped := map[string]bool{"another question": true, "not a response": true, "garbage with our ID": true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := responder(t, func(q *dns.Msg, n int) [][]byte { return tt.reply(t, q, n) })
			// The try resends its query at half its time (first datagram
			// lost): 2s, so that a loaded machine answers the second copy
			// within the try.
			c := &Client{Servers: []netip.AddrPort{srv}, TCP: tt.tcp, TryTimeout: 4 * time.Second}
			if dropped[tt.name] {
				// Only dropped replies come: the try ends at its time.
				c.TryTimeout = time.Second
			}
			r, err := c.Lookup(context.Background(), engine.Question{Name: "sip.contoso.example", Type: engine.TypeA})
			var tries []Try
			var pe *Error
			switch {
			case tt.wantErr && !errors.As(err, &pe):
				t.Fatalf("Lookup = %+v, %v; want a *plain.Error", r, err)
			case tt.wantErr:
				tries = pe.Tries
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q; want it to say %q", err, tt.want)
				}
			case err != nil:
				t.Fatalf("Lookup: %v", err)
			default:
				tries = r.Tries
				if len(r.Answer.Records) != 1 || r.Server != srv {
					t.Errorf("Lookup = %+v; want the A record from %v", r, srv)
				}
			}
			if len(tries) != tt.wantTries || !strings.Contains(tries[len(tries)-1].Outcome, tt.want) {
				t.Errorf("tries %v; want %d, the last %q", tries, tt.wantTries, tt.want)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	srv := responder(t, func(q *dns.Msg, n int) [][]byte { return nil })
	// Ignoring the cancellation would wait out a minute-long try; 10s
	// leaves a loaded machine time to notice it.
	c := &Client{Servers: []netip.AddrPort{srv, srv}, TryTimeout: time.Minute}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.Lookup(ctx, engine.Question{Name: "sip.contoso.example", Type: engine.TypeA})
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("cancelled lookup took %v; want it to stop when cancelled, not after the %v try", took, c.TryTimeout)
	}
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "was not asked") {
		t.Errorf("error %v; want context.Canceled, the second server not asked", err)
	}
}

func TestBadQuestion(t *testing.T) {
	c := &Client{Servers: []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:9")}}
	for _, name := range []string{"", ".", strings.Repeat("a", 64) + ".example", "a..example"} {
		if _, err := c.Lookup(context.Background(), engine.Question{Name: name, Type: engine.TypeA}); err == nil {
			t.Errorf("Lookup(%q) succeeded; want an error", name)
		}
	}
	if _, err := New(); err == nil {
		t.Error("New() with no server succeeded")
	}
	if _, err := New(netip.AddrPortFrom(netip.IPv4Unspecified(), 53)); err == nil {
		t.Error("New(0.0.0.0:53) succeeded")
	}
}

func TestErrorText(t *testing.T) {
	a, b := netip.MustParseAddrPort("10.0.0.1:53"), netip.MustParseAddrPort("10.0.0.2:5353")
	e := &Error{Tries: []Try{
		{Server: a, Transport: UDP, Replied: true, Outcome: "sent a truncated reply (TC)"},
		{Server: a, Transport: TCP, Replied: true, RCode: engine.RCodeServerFailure, Outcome: "answered SERVFAIL"},
		{Server: b, Transport: UDP, Outcome: "sent no reply within 2s"},
	}}
	want := "10.0.0.1 answered SERVFAIL over TCP; 10.0.0.2:5353 sent no reply within 2s"
	if got := e.Error(); got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	var ee wire.ExtendedError = e
	if code, text := ee.EDE(); code != wire.EDENetworkError || text != want {
		t.Errorf("EDE() = %d, %q; want Network Error and the text", code, text)
	}
	silent := &Error{Tries: e.Tries[2:]}
	if code, _ := silent.EDE(); code != wire.EDENoReachableAuthority {
		t.Errorf("no server replied: code %d; want No Reachable Authority", code)
	}
}

// TestNXDOMAINWithAnswersIsNoTarget: a server on loopback that answers
// every SRV question NXDOMAIN with an SRV record in the answer section,
// and the target's address: discovery does not sign in through the
// record, and the step says the server failed and why (issue 26, class 4).
func TestNXDOMAINWithAnswersIsNoTarget(t *testing.T) {
	srv := responder(t, func(q *dns.Msg, n int) [][]byte {
		r := replyMsg(q, func(r *dns.Msg) { r.RecursionAvailable = true })
		switch name := q.Question[0].Name; q.Question[0].Qtype {
		case dns.TypeSRV:
			rr, _ := dns.NewRR(name + " 60 IN SRV 0 0 5061 sip.contoso.example.")
			r.Rcode, r.Answer = dns.RcodeNameError, []dns.RR{rr}
		case dns.TypeA:
			if name != "sip.contoso.example." {
				r.Rcode = dns.RcodeNameError
				break
			}
			rr, _ := dns.NewRR(name + " 60 IN A 192.0.2.10")
			r.Answer = []dns.RR{rr}
		default:
			r.Rcode = dns.RcodeNameError
		}
		b, err := r.Pack()
		if err != nil {
			return nil
		}
		return [][]byte{b}
	})
	c := &Client{Servers: []netip.AddrPort{srv}, TryTimeout: 4 * time.Second}
	u, err := engine.ParseURI("bob@contoso.example")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := engine.Discover(context.Background(), u, engine.Config{Resolver: c, Policy: engine.DefaultPolicy(), Rand: func(int) int { return 0 }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Target != nil && rep.Target.Source != "" && strings.HasPrefix(rep.Target.Source, "_") {
		t.Errorf("discovery signs in to %s:%d through %s, an SRV record of an NXDOMAIN reply", rep.Target.Host, rep.Target.Port, rep.Target.Source)
	}
	for _, s := range rep.Steps {
		if s.Type != engine.TypeSRV {
			continue
		}
		if len(s.Answers) > 0 || !strings.Contains(s.Error, "contradicts itself") {
			t.Errorf("step %s %s: answers %q, error %q; want no answers and an error saying the reply contradicts itself", s.Question, s.Type, s.Answers, s.Error)
		}
	}
}
