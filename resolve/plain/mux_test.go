//go:build !js

package plain

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/internal/dnstest"
)

// udpServer answers every A question with 192.0.2.10 over UDP on
// loopback; before each reply to a query from a port it has seen before
// (a reused socket), it sends the forgeries spoof returns. It records the
// source port of every query, in order.
func udpServer(t *testing.T, spoof func(q *dns.Msg) [][]byte) (netip.AddrPort, func() []uint16) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() })
	var mu sync.Mutex
	var ports []uint16
	seen := map[uint16]bool{}
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			q := new(dns.Msg)
			if q.Unpack(buf[:n]) != nil {
				continue
			}
			port := from.(*net.UDPAddr).AddrPort().Port()
			mu.Lock()
			ports = append(ports, port)
			reused := seen[port]
			seen[port] = true
			mu.Unlock()
			if reused && spoof != nil {
				for _, b := range spoof(q) {
					pc.WriteTo(b, from)
				}
			}
			r := new(dns.Msg).SetReply(q)
			r.RecursionAvailable = true
			rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN A 192.0.2.10")
			r.Answer = []dns.RR{rr}
			b, _ := r.Pack()
			pc.WriteTo(b, from)
		}
	}()
	return pc.LocalAddr().(*net.UDPAddr).AddrPort(), func() []uint16 {
		mu.Lock()
		defer mu.Unlock()
		return append([]uint16(nil), ports...)
	}
}

// TestSpoofedReplyOnReusedSocket: lookups one after another share a UDP
// socket; on the reused socket, forged replies arriving before the
// server's real one — another ID, the ID with another question, the ID
// with another type, and the right ID and question from another address —
// are dropped, and the answer is the server's.
func TestSpoofedReplyOnReusedSocket(t *testing.T) {
	forged := func(q *dns.Msg, edit func(r *dns.Msg)) []byte {
		r := new(dns.Msg).SetReply(q)
		r.RecursionAvailable = true
		rr, _ := dns.NewRR(q.Question[0].Name + " 60 IN A 203.0.113.66")
		r.Answer = []dns.RR{rr}
		edit(r)
		b, err := r.Pack()
		if err != nil {
			t.Error(err)
		}
		return b
	}
	// An attacker on another address, who knows the socket's port and the
	// query's ID: the kernel drops its datagrams, as the socket is
	// connected to the server.
	other, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var clientAddr sync.Map // the last query's source, for other to aim at
	srv, ports := udpServer(t, func(q *dns.Msg) [][]byte {
		if to, ok := clientAddr.Load("to"); ok {
			other.WriteTo(forged(q, func(*dns.Msg) {}), to.(net.Addr))
		}
		return [][]byte{
			forged(q, func(r *dns.Msg) { r.Id = q.Id ^ 0x5a5a }),
			forged(q, func(r *dns.Msg) { r.Question[0].Name = "sip.evil.example." }),
			forged(q, func(r *dns.Msg) { r.Question[0].Qtype = dns.TypeAAAA }),
		}
	})
	c := &Client{Servers: []netip.AddrPort{srv}, TryTimeout: 4 * time.Second}
	before := Dropped()
	const lookups = 5
	for i := range lookups {
		r, err := c.Lookup(context.Background(), engine.Question{Name: fmt.Sprintf("sip%d.contoso.example", i), Type: engine.TypeA})
		if err != nil {
			t.Fatalf("lookup %d: %v", i, err)
		}
		if len(r.Answer.Records) != 1 || r.Answer.Records[0].Addr.String() != "192.0.2.10" {
			t.Fatalf("lookup %d: answer %+v; want the server's 192.0.2.10, not a forgery's 203.0.113.66", i, r.Answer.Records)
		}
		if i == 0 {
			p := ports()
			clientAddr.Store("to", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: int(p[0])})
		}
	}
	p := ports()
	if len(p) != lookups || p[lookups-1] != p[0] {
		t.Fatalf("source ports %v; want %d queries on one reused socket", p, lookups)
	}
	// Three forgeries from the server's address for each lookup on the
	// reused socket reach the reader and are dropped; the other address's
	// never reach it. Other tests may drop replies at the same time, so
	// at least.
	if got, want := Dropped()-before, uint64(3*(lookups-1)); got < want {
		t.Errorf("Dropped() rose by %d; want at least %d", got, want)
	}
	CloseIdle()
}

// TestUDPSocketsRetire: sequential lookups share a socket for at most
// udpRetireAfter queries, then move on to a new one on another port.
func TestUDPSocketsRetire(t *testing.T) {
	srv, ports := udpServer(t, nil)
	c := &Client{Servers: []netip.AddrPort{srv}}
	const lookups = 3*udpRetireAfter + 10
	for i := range lookups {
		if _, err := c.Lookup(context.Background(), engine.Question{Name: fmt.Sprintf("h%d.contoso.example", i), Type: engine.TypeA}); err != nil {
			t.Fatal(err)
		}
	}
	count := map[uint16]int{}
	for _, p := range ports() {
		count[p]++
	}
	for p, n := range count {
		if n > udpRetireAfter {
			t.Errorf("port %d carried %d queries; want at most %d", p, n, udpRetireAfter)
		}
	}
	if len(count) < lookups/udpRetireAfter {
		t.Errorf("%d lookups went out on %d ports; want at least %d", lookups, len(count), lookups/udpRetireAfter)
	}
	CloseIdle()
}

// TestConcurrentLookups asks unbound for many names at once, over UDP
// and over TCP (pipelined), more than MaxInFlight at a time: every
// answer is its own question's (run it with -race).
func TestConcurrentLookups(t *testing.T) {
	const names = 300
	var zone strings.Builder
	zone.WriteString("$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A 127.0.0.1\n")
	for i := range names {
		fmt.Fprintf(&zone, "h%d IN A 10.%d.%d.1\n", i, i/256, i%256)
	}
	srv := dnstest.StartUnbound(t, dnstest.Zone{Origin: "contoso.example", Text: zone.String()})
	for _, tcp := range []bool{false, true} {
		c := &Client{Servers: []netip.AddrPort{srv.Addr}, TCP: tcp, TryTimeout: 10 * time.Second}
		var wg sync.WaitGroup
		for i := range names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := c.Lookup(context.Background(), engine.Question{Name: fmt.Sprintf("h%d.contoso.example", i), Type: engine.TypeA})
				want := fmt.Sprintf("10.%d.%d.1", i/256, i%256)
				if err != nil || len(r.Answer.Records) != 1 || r.Answer.Records[0].Addr.String() != want {
					t.Errorf("tcp=%v h%d: %+v, %v; want %s", tcp, i, r.Answer.Records, err, want)
				}
			}()
		}
		wg.Wait()
	}
	CloseIdle()
}

// TestBurstSharesSockets: a burst of lookups at once opens a few sockets
// that the queries share, not one each: TCP connections up to
// MaxInFlight/tcpPerConn, UDP sockets up to MaxInFlight/udpPerSocket and
// the few that replace retired ones.
func TestBurstSharesSockets(t *testing.T) {
	const lookups = 300
	burst := func(c *Client) {
		var wg sync.WaitGroup
		for i := range lookups {
			wg.Go(func() {
				if _, err := c.Lookup(context.Background(), engine.Question{Name: fmt.Sprintf("h%d.contoso.example", i), Type: engine.TypeA}); err != nil {
					t.Errorf("h%d: %v", i, err)
				}
			})
		}
		wg.Wait()
	}
	tsrv, accepted := tcpServer(t, false)
	burst(&Client{Servers: []netip.AddrPort{tsrv}, TCP: true, TryTimeout: 10 * time.Second})
	if got, most := accepted.Load(), int32(MaxInFlight/tcpPerConn); got > most {
		t.Errorf("TCP: %d connections for %d lookups; want at most %d", got, lookups, most)
	}
	usrv, ports := udpServer(t, nil)
	burst(&Client{Servers: []netip.AddrPort{usrv}, TryTimeout: 10 * time.Second})
	distinct := map[uint16]bool{}
	for _, p := range ports() {
		distinct[p] = true
	}
	if most := MaxInFlight/udpPerSocket + lookups/udpRetireAfter + MaxInFlight/udpPerSocket; len(distinct) > most {
		t.Errorf("UDP: %d sockets for %d lookups; want at most %d", len(distinct), lookups, most)
	}
	CloseIdle()
}
