//go:build windows

package system

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// DnsQuery_W options (windns.h). The name is always fully qualified
// (DNS_QUERY_TREAT_AS_FQDN: no primary or connection suffix is appended,
// no devolution); NetBIOS and LLMNR are not used for it. The hosts file
// and the cache stay in use, as for every program on the machine.
const (
	dnsQueryNoNetBT     = 0x00000080 // DNS_QUERY_NO_NETBT
	dnsQueryNoMulticast = 0x00000800 // DNS_QUERY_NO_MULTICAST
	dnsQueryTreatAsFQDN = 0x00001000 // DNS_QUERY_TREAT_AS_FQDN
	queryOptions        = dnsQueryTreatAsFQDN | dnsQueryNoNetBT | dnsQueryNoMulticast
	dnsFreeRecordList   = 1 // DnsFreeRecordList
)

// maxRecords bounds the records read from one DnsQuery_W result.
const maxRecords = 4096

// New returns the system's resolver: the Windows DNS client.
func New() (Resolver, error) { return windowsClient{}, nil }

// windowsClient asks the Windows DNS client through DnsQuery_W.
type windowsClient struct{}

func (windowsClient) String() string {
	return "the Windows DNS client (with its NRPT and VPN rules, hosts file and cache)"
}

func (w windowsClient) Resolve(ctx context.Context, q engine.Question) (engine.Answer, error) {
	r, err := w.Lookup(ctx, q)
	return r.Answer, err
}

// Lookup calls DnsQuery_W in a goroutine, since the call cannot be
// cancelled; when ctx ends first, the call finishes (within the DNS
// client's own timeouts) and its result is freed unread.
func (windowsClient) Lookup(ctx context.Context, q engine.Question) (plain.Result, error) {
	if q.Name == "" || q.Name == "." {
		return plain.Result{}, fmt.Errorf("the Windows DNS client: cannot look up %q", q.Name)
	}
	type result struct {
		ans engine.Answer
		err error
	}
	done := make(chan result, 1)
	go func() {
		var rec *windows.DNSRecord
		err := windows.DnsQuery(q.Name+".", uint16(q.Type), queryOptions, nil, &rec, nil)
		if rec != nil {
			defer windows.DnsRecordListFree(rec, dnsFreeRecordList)
		}
		var status uint32
		if err != nil {
			var errno windows.Errno
			if !errors.As(err, &errno) {
				done <- result{err: fmt.Errorf("the Windows DNS client: %v", err)}
				return
			}
			status = uint32(errno)
		}
		rc, ok, why := windowsStatus(status)
		if !ok {
			done <- result{err: fmt.Errorf("the Windows DNS client: %s", why)}
			return
		}
		a := engine.Answer{RCode: rc}
		if status == winSuccess {
			a.Records = records(rec)
		}
		done <- result{ans: a}
	}()
	select {
	case r := <-done:
		return plain.Result{Answer: r.ans}, r.err
	case <-ctx.Done():
		return plain.Result{}, ctx.Err()
	}
}

// records converts the answer-section records of a DnsQuery_W result
// that engine models.
func records(rec *windows.DNSRecord) []engine.Record {
	var out []engine.Record
	for n := 0; rec != nil && n < maxRecords; rec, n = rec.Next, n+1 {
		if rec.Dw&0x3 != windows.DnsSectionAnswer {
			continue
		}
		r := engine.Record{Name: windows.UTF16PtrToString(rec.Name), Type: engine.Type(rec.Type), TTL: rec.Ttl}
		data := unsafe.Pointer(&rec.Data[0])
		switch rec.Type {
		case windows.DNS_TYPE_A:
			r.Addr = netip.AddrFrom4([4]byte(rec.Data[:4]))
		case windows.DNS_TYPE_AAAA:
			r.Addr = netip.AddrFrom16([16]byte(rec.Data[:16]))
		case windows.DNS_TYPE_CNAME:
			r.Target = windows.UTF16PtrToString((*windows.DNSPTRData)(data).Host)
		case windows.DNS_TYPE_SRV:
			s := (*windows.DNSSRVData)(data)
			r.Priority, r.Weight, r.Port = s.Priority, s.Weight, s.Port
			r.Target = windows.UTF16PtrToString(s.Target)
		case windows.DNS_TYPE_TEXT:
			t := (*windows.DNSTXTData)(data)
			for _, p := range unsafe.Slice(&t.StringArray[0], t.StringCount) {
				r.Text = append(r.Text, windows.UTF16PtrToString(p))
			}
		default:
			continue
		}
		out = append(out, r)
	}
	return out
}
