//go:build !js

package dnstest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Zone is one zone a server holds: its origin ("contoso.example") and its
// text in RFC 1035 master-file syntax. For StartNSD, an empty Text
// configures the zone without loading any data, so that nsd answers
// SERVFAIL for every name in it (with Extended DNS Error 14, Not Ready).
type Zone struct {
	Origin string
	Text   string
}

// Server is a DNS server running for a test.
type Server struct {
	// Addr is where it listens, for UDP and TCP.
	Addr netip.AddrPort
	// Program is "unbound" or "nsd".
	Program string
	log     *syncBuffer
	dir     string
}

// Log returns what the server has printed so far, for failure messages.
func (s *Server) Log() string {
	out := s.log.String()
	if b, err := os.ReadFile(filepath.Join(s.dir, "server.log")); err == nil {
		out += string(b)
	}
	return out
}

// NeedBinary returns the path of the external program name, skipping the
// test when it is missing, or failing it when SIPDISCO_CI=1. The
// environment variable env, if set, names the program's path and nothing
// else is searched; otherwise PATH and the paths in also are.
func NeedBinary(t testing.TB, name, aptPackage, env string, also ...string) string {
	t.Helper()
	var where string
	if p := os.Getenv(env); p != "" {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		where = fmt.Sprintf(" at %s=%s", env, p)
	} else {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		for _, p := range also {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	msg := fmt.Sprintf("%s not found%s; install the Debian package %q (apt-get install %s)", name, where, aptPackage, aptPackage)
	if os.Getenv("SIPDISCO_CI") == "1" {
		t.Fatal(msg + "; SIPDISCO_CI=1 requires the tests that use it to run")
	}
	t.Skip(msg + "; skipping the test")
	return ""
}

// StartUnbound starts unbound serving zones as auth-zones
// (for-downstream: it answers them authoritatively, AA set, and marks
// every reply RA as the recursive resolver it is).
func StartUnbound(t testing.TB, zones ...Zone) *Server {
	t.Helper()
	bin := NeedBinary(t, "unbound", "unbound", "SIPDISCO_UNBOUND", "/usr/sbin/unbound")
	return start(t, "unbound", zones, func(dir string, addr netip.AddrPort) []string {
		var b strings.Builder
		fmt.Fprintf(&b, "server:\n\tverbosity: 1\n\tdo-daemonize: no\n\tchroot: \"\"\n\tusername: \"\"\n\tdirectory: %q\n", dir)
		fmt.Fprintf(&b, "\tpidfile: \"\"\n\tuse-syslog: no\n\tlogfile: \"\"\n\tnum-threads: 1\n\tinterface: %s@%d\n", addr.Addr(), addr.Port())
		b.WriteString("\tdo-ip6: no\n\tso-reuseport: no\n\taccess-control: 127.0.0.0/8 allow\n\tmodule-config: \"iterator\"\n")
		b.WriteString("\tharden-referral-path: no\n\tqname-minimisation: no\n")
		for i, z := range zones {
			fmt.Fprintf(&b, "auth-zone:\n\tname: %q\n\tzonefile: %q\n\tfor-downstream: yes\n\tfor-upstream: no\n\tfallback-enabled: no\n",
				fqdn(z.Origin), filepath.Join(dir, fmt.Sprintf("zone%d.zone", i)))
		}
		b.WriteString("remote-control:\n\tcontrol-enable: no\n")
		conf := filepath.Join(dir, "unbound.conf")
		write(t, conf, b.String())
		return []string{bin, "-d", "-c", conf}
	})
}

// StartNSD starts nsd serving zones authoritatively.
func StartNSD(t testing.TB, zones ...Zone) *Server {
	t.Helper()
	bin := NeedBinary(t, "nsd", "nsd", "SIPDISCO_NSD", "/usr/sbin/nsd")
	return start(t, "nsd", zones, func(dir string, addr netip.AddrPort) []string {
		var b strings.Builder
		fmt.Fprintf(&b, "server:\n\tip-address: %s@%d\n\tport: %d\n", addr.Addr(), addr.Port(), addr.Port())
		fmt.Fprintf(&b, "\tusername: \"\"\n\tchroot: \"\"\n\tzonesdir: %q\n\tdatabase: \"\"\n", dir)
		for _, f := range []string{"pidfile:nsd.pid", "xfrdfile:xfrd.state", "zonelistfile:zone.list", "logfile:server.log"} {
			k, v, _ := strings.Cut(f, ":")
			fmt.Fprintf(&b, "\t%s: %q\n", k, filepath.Join(dir, v))
		}
		fmt.Fprintf(&b, "\txfrdir: %q\n\tserver-count: 1\n\tverbosity: 1\n\tdo-ip6: no\n\treuseport: no\n", dir)
		b.WriteString("remote-control:\n\tcontrol-enable: no\n")
		for i, z := range zones {
			file := fmt.Sprintf("zone%d.zone", i)
			if z.Text == "" {
				file = fmt.Sprintf("absent%d.zone", i) // configured, never loaded
			}
			fmt.Fprintf(&b, "zone:\n\tname: %q\n\tzonefile: %q\n", fqdn(z.Origin), file)
		}
		conf := filepath.Join(dir, "nsd.conf")
		write(t, conf, b.String())
		return []string{bin, "-d", "-c", conf}
	})
}

// start writes the zone files, then starts the program on a fresh address
// until it listens, trying a few addresses in case another process takes
// the port between the probe and the program's bind.
func start(t testing.TB, program string, zones []Zone, command func(dir string, addr netip.AddrPort) []string) *Server {
	t.Helper()
	dir := t.TempDir()
	for i, z := range zones {
		if z.Text != "" {
			write(t, filepath.Join(dir, fmt.Sprintf("zone%d.zone", i)), z.Text)
		}
	}
	var lastErr error
	for range 4 {
		addr, err := freeAddr()
		if err != nil {
			t.Fatal(err)
		}
		args := command(dir, addr)
		log := new(syncBuffer)
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", args[0], err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		srv := &Server{Addr: addr, Program: program, log: log, dir: dir}
		if err := waitListening(addr, exited, 15*time.Second); err != nil {
			cmd.Process.Kill()
			<-exited
			lastErr = fmt.Errorf("%v\n%s log:\n%s", err, program, srv.Log())
			continue
		}
		t.Cleanup(func() {
			cmd.Process.Kill()
			<-exited
		})
		return srv
	}
	t.Fatalf("%s did not start: %v", program, lastErr)
	return nil
}

// freeAddr returns a random loopback address with a port that is free for
// both TCP and UDP.
func freeAddr() (netip.AddrPort, error) {
	var lastErr error
	for range 20 {
		ip := netip.AddrFrom4([4]byte{127, byte(rand.IntN(250) + 2), byte(rand.IntN(256)), byte(rand.IntN(254) + 1)})
		ap, err := freePortOn(ip)
		if err == nil {
			return ap, nil
		}
		lastErr = err
		if ap, err := freePortOn(netip.MustParseAddr("127.0.0.1")); err == nil {
			return ap, nil
		}
	}
	return netip.AddrPort{}, fmt.Errorf("no free loopback port: %v", lastErr)
}

func freePortOn(ip netip.Addr) (netip.AddrPort, error) {
	l, err := net.Listen("tcp", netip.AddrPortFrom(ip, 0).String())
	if err != nil {
		return netip.AddrPort{}, err
	}
	defer l.Close()
	ap := l.Addr().(*net.TCPAddr).AddrPort()
	u, err := net.ListenPacket("udp", ap.String())
	if err != nil {
		return netip.AddrPort{}, err
	}
	u.Close()
	return netip.AddrPortFrom(ip, ap.Port()), nil
}

// waitListening waits until addr accepts TCP connections, the process
// exits, or d passes.
func waitListening(addr netip.AddrPort, exited <-chan error, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for ctx.Err() == nil {
		select {
		case err := <-exited:
			return fmt.Errorf("exited before listening: %v", err)
		default:
		}
		c, err := (&net.Dialer{Timeout: 200 * time.Millisecond}).DialContext(ctx, "tcp", addr.String())
		if err == nil {
			c.Close()
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("not listening on %s after %v", addr, d)
}

func write(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fqdn(s string) string { return strings.TrimSuffix(s, ".") + "." }

// syncBuffer is a bytes.Buffer safe for a process's output and a test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Silent returns the address of a server that takes queries over UDP and
// TCP and never answers: a host that is up but whose DNS service hangs.
// It stops when the test ends.
func Silent(t testing.TB) netip.AddrPort {
	t.Helper()
	udp, tcp, addr := listenBoth(t)
	go func() {
		buf := make([]byte, 65535)
		for {
			if _, _, err := udp.ReadFrom(buf); err != nil {
				return
			}
		}
	}()
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := tcp.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return addr
}

// Delay returns the address of a forwarder that passes each UDP and TCP
// query to upstream after waiting d, and its reply back: a server one
// round trip of d away. It stops when the test ends.
func Delay(t testing.TB, upstream netip.AddrPort, d time.Duration) netip.AddrPort {
	t.Helper()
	udp, tcp, addr := listenBoth(t)
	go func() {
		for {
			buf := make([]byte, 65535)
			n, from, err := udp.ReadFrom(buf)
			if err != nil {
				return
			}
			go func() {
				time.Sleep(d)
				c, err := net.DialTimeout("udp", upstream.String(), 5*time.Second)
				if err != nil {
					return
				}
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				if _, err := c.Write(buf[:n]); err != nil {
					return
				}
				reply := make([]byte, 65535)
				m, err := c.Read(reply)
				if err != nil {
					return
				}
				udp.WriteTo(reply[:m], from)
			}()
		}
	}()
	go func() {
		for {
			c, err := tcp.Accept()
			if err != nil {
				return
			}
			go forwardTCP(c, upstream, d)
		}
	}()
	return addr
}

// forwardTCP forwards the length-prefixed messages of c to upstream, one
// exchange at a time, each after waiting d.
func forwardTCP(c net.Conn, upstream netip.AddrPort, d time.Duration) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		msg := make([]byte, 2+int(n[0])<<8|int(n[1]))
		copy(msg, n[:])
		if _, err := io.ReadFull(c, msg[2:]); err != nil {
			return
		}
		time.Sleep(d)
		u, err := net.DialTimeout("tcp", upstream.String(), 5*time.Second)
		if err != nil {
			return
		}
		u.SetDeadline(time.Now().Add(5 * time.Second))
		_, err = u.Write(msg)
		var rn [2]byte
		if err == nil {
			_, err = io.ReadFull(u, rn[:])
		}
		reply := make([]byte, 2+int(rn[0])<<8|int(rn[1]))
		copy(reply, rn[:])
		if err == nil {
			_, err = io.ReadFull(u, reply[2:])
		}
		u.Close()
		if err != nil {
			return
		}
		if _, err := c.Write(reply); err != nil {
			return
		}
	}
}

// listenBoth listens on one loopback port for UDP and TCP, closing both
// when the test ends.
func listenBoth(t testing.TB) (net.PacketConn, net.Listener, netip.AddrPort) {
	t.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ap := l.Addr().(*net.TCPAddr).AddrPort()
		u, err := net.ListenPacket("udp", ap.String())
		if err != nil {
			l.Close()
			continue
		}
		t.Cleanup(func() {
			l.Close()
			u.Close()
		})
		return u, l, ap
	}
	t.Fatal("no loopback port free for both UDP and TCP")
	return nil, nil, netip.AddrPort{}
}

// Responder returns the address of a hand-made DNS server on loopback
// that answers each UDP and TCP query with what reply makes of it (nil:
// no answer), for the replies no real server sends on demand: one that
// contradicts itself, or breaks the rules. It stops when the test ends.
func Responder(t testing.TB, reply func(q *dns.Msg) *dns.Msg) netip.AddrPort {
	t.Helper()
	udp, tcp, addr := listenBoth(t)
	answer := func(b []byte) []byte {
		q := new(dns.Msg)
		if q.Unpack(b) != nil || len(q.Question) != 1 {
			return nil
		}
		r := reply(q)
		if r == nil {
			return nil
		}
		out, err := r.Pack()
		if err != nil {
			return nil
		}
		return out
	}
	go func() {
		buf := make([]byte, 65535)
		for {
			n, from, err := udp.ReadFrom(buf)
			if err != nil {
				return
			}
			if out := answer(buf[:n]); out != nil {
				udp.WriteTo(out, from)
			}
		}
	}()
	go func() {
		for {
			c, err := tcp.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.SetDeadline(time.Now().Add(30 * time.Second))
				var n [2]byte
				if _, err := io.ReadFull(c, n[:]); err != nil {
					return
				}
				b := make([]byte, int(n[0])<<8|int(n[1]))
				if _, err := io.ReadFull(c, b); err != nil {
					return
				}
				if out := answer(b); out != nil {
					c.Write(append([]byte{byte(len(out) >> 8), byte(len(out))}, out...))
				}
			}()
		}
	}()
	return addr
}
