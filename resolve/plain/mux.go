package plain

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/resolve/wire"
)

// How the queries to one server share sockets (docs/adr/0027).
const (
	// udpPerSocket bounds the queries in flight on one UDP socket: each
	// one outstanding is an ID a forged reply could hit, so a socket
	// carrying k of them gives a forger log2(k) bits fewer to guess
	// (RFC 5452 §9.2); 8 costs 3 bits of the 16.
	udpPerSocket = 8
	// udpRetireAfter is how many queries a UDP socket carries before it
	// is retired and a new socket, on a new random port, takes its place;
	// udpMaxAge bounds its life the same way when queries are few.
	udpRetireAfter = 128
	udpMaxAge      = 5 * time.Second
	// tcpPerConn bounds the queries pipelined on one TCP connection
	// (RFC 7766 §6.2.1.1); MaxInFlight/tcpPerConn connections carry a
	// server's bound.
	tcpPerConn = 16
	// idleClose is how long a socket with no query in flight is kept.
	idleClose = 2 * time.Second
)

// dropped counts the replies the process's sockets received that matched
// no query in flight (see Dropped).
var dropped atomic.Uint64

// Dropped returns how many replies the plain-DNS sockets of this process
// have dropped because they matched no query in flight: late replies to
// a query given up on, and forgeries (RFC 5452 §9.1).
func Dropped() uint64 { return dropped.Load() }

// muxKey names a server and a transport: the sockets kept for them.
type muxKey struct {
	srv       netip.AddrPort
	transport string
}

// A muxConn is one socket to one server carrying several queries at
// once, each under its own ID: a connected UDP socket (the kernel passes
// it only datagrams from the server's address) or a TCP connection with
// pipelined queries. One goroutine reads its replies and hands each to
// the query with its ID and question; anything else is dropped.
type muxConn struct {
	key  muxKey
	conn net.Conn // set before ready is closed, if the dial succeeded
	// ready is closed once the socket is open or its dial has failed
	// (err).
	ready chan struct{}
	born  time.Time
	wmu   sync.Mutex // TCP writes are whole messages

	mu       sync.Mutex
	pending  map[uint16]*waiter
	inflight int   // queries given this socket and not yet finished
	sent     int   // queries ever given this socket
	retired  bool  // it takes no more queries; closed when inflight is 0
	err      error // why it is closed, once it is
}

// waiter is one query waiting on a muxConn.
type waiter struct {
	query *dns.Msg
	qsec  []byte     // the query's question section as sent
	reply chan reply // receives one reply or the socket's failure
	// dropped counts replies with this query's ID that did not match it;
	// why says what the last was.
	dropped int
	why     string
}

type reply struct {
	b   []byte
	err error
}

// pool holds the process's sockets by server and transport, and the slots
// that bound the queries in flight to each server.
type pool struct {
	mu    sync.Mutex
	conns map[muxKey][]*muxConn
	slots map[netip.AddrPort]chan struct{}
}

// shared holds the process's sockets: they belong to a server, not to a
// Client.
var shared = &pool{conns: map[muxKey][]*muxConn{}, slots: map[netip.AddrPort]chan struct{}{}}

// acquire takes one of srv's in-flight slots, waiting while all are
// taken; release gives it back.
func (p *pool) acquire(ctx context.Context, srv netip.AddrPort) (release func(), err error) {
	p.mu.Lock()
	slots := p.slots[srv]
	if slots == nil {
		slots = make(chan struct{}, MaxInFlight)
		p.slots[srv] = slots
	}
	p.mu.Unlock()
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// get returns a socket to srv over transport with room for one more
// query, counted as in flight on it (finish uncounts it): a kept one, or
// a new one when all are full. One caller
// opens a new socket while the others that find no room take their
// places on it, so a burst of queries opens a few sockets, not one each.
// dialed reports whether this call opened it.
func (p *pool) get(ctx context.Context, key muxKey, deadline time.Time) (mc *muxConn, dialed bool, err error) {
	per := udpPerSocket
	if key.transport == TCP {
		per = tcpPerConn
	}
	p.mu.Lock()
	for _, c := range p.conns[key] {
		if c.reserve(per) {
			mc = c
			break
		}
	}
	if mc != nil {
		p.mu.Unlock()
		select {
		case <-mc.ready:
			return mc, false, nil
		case <-ctx.Done():
			mc.finish(0, nil)
			return nil, false, ctx.Err()
		}
	}
	mc = &muxConn{key: key, born: time.Now(), pending: map[uint16]*waiter{}, ready: make(chan struct{})}
	mc.reserve(per)
	p.conns[key] = append(p.conns[key], mc)
	p.mu.Unlock()

	d := net.Dialer{Deadline: deadline}
	conn, err := d.DialContext(ctx, key.transport, key.srv.String())
	mc.mu.Lock()
	if err == nil && mc.err != nil {
		conn.Close() // closed while it was being opened
		err = mc.err
	}
	if err != nil {
		mc.err, mc.retired = err, true
	} else {
		mc.conn = conn
	}
	mc.mu.Unlock()
	close(mc.ready)
	if err != nil {
		p.remove(mc)
		mc.finish(0, nil)
		return nil, false, err
	}
	go mc.read()
	return mc, true, nil
}

// remove takes mc out of the pool; no new query is given to it.
func (p *pool) remove(mc *muxConn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	list := p.conns[mc.key]
	for i, c := range list {
		if c == mc {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(p.conns, mc.key)
		return
	}
	p.conns[mc.key] = list
}

// reserve counts one more query in flight on mc if it takes more and has
// room below per; a UDP socket that has carried udpRetireAfter queries or
// lived udpMaxAge is retired by the query that reaches the bound.
func (mc *muxConn) reserve(per int) bool {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if mc.retired || mc.err != nil || mc.inflight >= per {
		return false
	}
	mc.inflight++
	mc.sent++
	if mc.key.transport == UDP && (mc.sent >= udpRetireAfter || time.Since(mc.born) >= udpMaxAge) {
		mc.retireLocked()
	}
	return true
}

// retireLocked stops mc taking queries and closes it once none is in
// flight. mc.mu is held.
func (mc *muxConn) retireLocked() {
	if !mc.retired {
		mc.retired = true
		go shared.remove(mc)
	}
	if mc.inflight == 0 && mc.err == nil {
		mc.err = net.ErrClosed
		if mc.conn != nil {
			mc.conn.Close()
		}
	}
}

// carried returns how many queries mc has been given.
func (mc *muxConn) carried() int {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	return mc.sent
}

// finish ends a query's use of mc (w nil: a query that sent nothing on
// it), which closes a retired socket after its last query.
func (mc *muxConn) finish(id uint16, w *waiter) {
	mc.mu.Lock()
	defer mc.mu.Unlock()
	if w != nil && mc.pending[id] == w {
		delete(mc.pending, id)
	}
	mc.inflight--
	if mc.retired {
		mc.retireLocked()
	}
}

// CloseIdle closes the sockets to every server that have no query in
// flight.
func CloseIdle() {
	p := shared
	p.mu.Lock()
	var all []*muxConn
	for _, list := range p.conns {
		all = append(all, list...)
	}
	p.mu.Unlock()
	for _, mc := range all {
		mc.mu.Lock()
		if mc.inflight == 0 {
			mc.retireLocked()
		}
		mc.mu.Unlock()
	}
}

// errNoReply is a query that got no reply matching it in time.
type errNoReply struct {
	// dropped counts the replies with the query's ID that did not match
	// its question; why says what the last was.
	dropped int
	why     string
}

func (e *errNoReply) Error() string   { return "no reply" }
func (e *errNoReply) Timeout() bool   { return true }
func (e *errNoReply) Temporary() bool { return true }

// randomID is a query ID from the operating system's cryptographic
// random source: the ID and the socket's random port are what an
// off-path forger must guess (RFC 5452), and math/rand's generator is
// documented as not meant for security-sensitive work.
func randomID() uint16 {
	var b [2]byte
	rand.Read(b[:]) // never fails (crypto/rand, Go 1.24)
	return binary.BigEndian.Uint16(b[:])
}

// ask sends query (packed, whose ID it sets) on mc and waits until
// deadline for the reply with its ID and question, sending a UDP query
// once more when half the time has passed. The reply is checked as
// roundTrip's doc says. mc must have been reserved for it; ask finishes
// it.
func (mc *muxConn) ask(ctx context.Context, query *dns.Msg, packed []byte, deadline time.Time) (*dns.Msg, error) {
	w := &waiter{query: query, qsec: packed[headerLen:questionEnd(packed)], reply: make(chan reply, 1)}
	mc.mu.Lock()
	if mc.err != nil {
		err := mc.err
		mc.inflight--
		mc.mu.Unlock()
		return nil, err
	}
	id := randomID()
	for mc.pending[id] != nil {
		id = randomID()
	}
	query.Id = id
	binary.BigEndian.PutUint16(packed, id)
	mc.pending[id] = w
	mc.mu.Unlock()
	defer mc.finish(id, w)

	if err := mc.write(packed); err != nil {
		mc.fail(err)
		return nil, err
	}
	udp := mc.key.transport == UDP
	wait := time.Until(deadline)
	if udp {
		wait /= 2
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	resent := !udp
	for {
		select {
		case r := <-w.reply:
			if r.err != nil {
				return nil, r.err
			}
			return check(query, r.b)
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-timer.C:
			if !resent && time.Now().Before(deadline) {
				resent = true
				if err := mc.write(packed); err != nil {
					mc.fail(err)
					return nil, err
				}
				timer.Reset(time.Until(deadline))
				continue
			}
			mc.mu.Lock()
			e := &errNoReply{dropped: w.dropped, why: w.why}
			mc.mu.Unlock()
			return nil, e
		}
	}
}

// write sends one query: a datagram, or over TCP its two-octet length
// (RFC 1035 §4.2.2) and the message in one write.
func (mc *muxConn) write(packed []byte) error {
	if mc.key.transport == UDP {
		_, err := mc.conn.Write(packed)
		return err
	}
	out := make([]byte, 2+len(packed))
	binary.BigEndian.PutUint16(out, uint16(len(packed)))
	copy(out[2:], packed)
	mc.wmu.Lock()
	defer mc.wmu.Unlock()
	_, err := mc.conn.Write(out)
	return err
}

// fail closes mc after err and gives err to every query waiting on it.
func (mc *muxConn) fail(err error) {
	mc.mu.Lock()
	if mc.err != nil {
		mc.mu.Unlock()
		return
	}
	mc.err = err
	mc.retired = true
	waiting := mc.pending
	mc.pending = map[uint16]*waiter{}
	mc.mu.Unlock()
	mc.conn.Close()
	shared.remove(mc)
	for _, w := range waiting {
		w.reply <- reply{err: err}
	}
}

// read reads mc's replies until it fails or is closed, handing each to
// the query it matches and dropping the rest; a socket idle for
// idleClose is closed.
func (mc *muxConn) read() {
	bp := udpBuffers.Get().(*[]byte)
	defer udpBuffers.Put(bp)
	buf := *bp
	var br *bufio.Reader
	if mc.key.transport == TCP {
		br = bufio.NewReaderSize(mc.conn, 4096)
	}
	for {
		mc.conn.SetReadDeadline(time.Now().Add(idleClose))
		var n int
		var err error
		if br != nil {
			// Waiting for a reply's first octets may time out and be
			// waited for again; once they are here the rest must follow
			// within a try's time.
			var l []byte
			if l, err = br.Peek(2); err == nil {
				n = int(binary.BigEndian.Uint16(l))
				mc.conn.SetReadDeadline(time.Now().Add(DefaultTryTimeout))
				if _, err = br.Discard(2); err == nil {
					_, err = io.ReadFull(br, buf[:n])
				}
			}
		} else {
			n, err = mc.conn.Read(buf)
		}
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				mc.mu.Lock()
				idle := mc.inflight == 0
				if idle {
					mc.retireLocked()
				}
				mc.mu.Unlock()
				if idle {
					return
				}
				continue
			}
			mc.fail(err)
			return
		}
		mc.deliver(buf[:n])
	}
}

// deliver hands datagram b to the query waiting with its ID if b answers
// that query's question, and counts it dropped otherwise.
func (mc *muxConn) deliver(b []byte) {
	if len(b) < headerLen {
		dropped.Add(1)
		return
	}
	id := binary.BigEndian.Uint16(b)
	mc.mu.Lock()
	w := mc.pending[id]
	if w == nil {
		mc.mu.Unlock()
		dropped.Add(1)
		return
	}
	if why := mismatch(w, b); why != "" {
		w.dropped++
		w.why = why
		mc.mu.Unlock()
		dropped.Add(1)
		return
	}
	delete(mc.pending, id)
	mc.mu.Unlock()
	w.reply <- reply{b: append([]byte(nil), b...)}
}

// The fixed part of a DNS message (RFC 1035 §4.1.1).
const headerLen = 12

// mismatch returns why reply b, carrying w's ID, does not answer w's
// query, or "": it must be a response (QR set) holding one question, the
// query's (names compared case-insensitively, RFC 4343). A question
// section holds no compression pointer (nothing precedes it to point
// to), so the bytes are compared as sent.
func mismatch(w *waiter, b []byte) string {
	qdcount := binary.BigEndian.Uint16(b[4:])
	if n := len(w.qsec); b[2]&0x80 != 0 && qdcount == 1 && len(b) >= headerLen+n && n >= 4 {
		got := b[headerLen : headerLen+n]
		if equalFoldASCII(got[:n-4], w.qsec[:n-4]) && string(got[n-4:]) == string(w.qsec[n-4:]) {
			return ""
		}
	}
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		return fmt.Sprintf("not a DNS message (%d bytes): %v", len(b), err)
	}
	if why := wire.CheckReply(w.query, m); why != "" {
		return why
	}
	return "its question is not written as it was asked"
}

// equalFoldASCII reports whether a and b are equal with ASCII letters
// folded to one case.
func equalFoldASCII(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// questionEnd returns the offset just past the first question of the
// packed query (packed by miekg/dns without compression in the question,
// so its name is plain labels).
func questionEnd(packed []byte) int {
	off := headerLen
	for off < len(packed) && packed[off] != 0 {
		off += 1 + int(packed[off])
	}
	return min(off+1+4, len(packed))
}

// check unpacks reply b to query and returns it if it is whole and
// passes wire.CheckReply.
func check(query *dns.Msg, b []byte) (*dns.Msg, error) {
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		return nil, &badReply{fmt.Sprintf("not a DNS message (%d bytes): %v", len(b), err)}
	}
	if why := wire.CheckCounts(m, b); why != "" {
		return nil, &badReply{fmt.Sprintf("not a whole DNS message (%d bytes): %s", len(b), why)}
	}
	if why := wire.CheckReply(query, m); why != "" {
		return nil, &badReply{why}
	}
	return m, nil
}
