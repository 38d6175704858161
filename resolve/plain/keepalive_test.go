//go:build !js

package plain

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"sync/atomic"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/engine"
)

// tcpServer answers every A question with 192.0.2.1 over TCP on
// loopback, counting the connections it accepts; with once, it closes
// each connection after one reply, as a server that does not keep them
// open does.
func tcpServer(t *testing.T, once bool) (netip.AddrPort, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	var accepted atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			go func() {
				defer c.Close()
				for {
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
					r := new(dns.Msg).SetReply(q)
					r.Answer = []dns.RR{&dns.A{Hdr: dns.RR_Header{Name: q.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.IPv4(192, 0, 2, 1)}}
					out, _ := r.Pack()
					c.Write(binary.BigEndian.AppendUint16(nil, uint16(len(out))))
					c.Write(out)
					if once {
						return
					}
				}
			}()
		}
	}()
	return netip.MustParseAddrPort(ln.Addr().String()), &accepted
}

// TestTCPConnectionKept: lookups one after another over TCP share one
// connection (RFC 7766 §6.2.1); a server that closes the connection
// after each reply is still answered, on a new connection each time.
func TestTCPConnectionKept(t *testing.T) {
	for _, once := range []bool{false, true} {
		srv, accepted := tcpServer(t, once)
		c := &Client{Servers: []netip.AddrPort{srv}, TCP: true}
		for i := range 5 {
			a, err := c.Resolve(context.Background(), engine.Question{Name: "sip.contoso.com", Type: engine.TypeA})
			if err != nil || len(a.Records) != 1 {
				t.Fatalf("once=%v, lookup %d: %v, %v", once, i+1, a, err)
			}
		}
		want := int32(1)
		if once {
			want = 5
		}
		if got := accepted.Load(); got != want {
			t.Errorf("once=%v: %d connections for 5 lookups; want %d", once, got, want)
		}
	}
	CloseIdle()
}
