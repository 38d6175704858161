package prober

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"

	"github.com/sipdisco/sipdisco/domainreport"
	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/probe"
)

// Domain observes a SIP domain's servers for its domain report
// (sipdisco domain --connect): the federation server rep names, as a
// partner's Edge server reaches it — TCP, the TLS handshake (SNI the
// server's name, the chain recorded and verified against o's roots),
// then an OPTIONS request without credentials, and one handshake
// offering each TLS version alone, to say which it accepts — and the
// Autodiscover web service at lyncdiscover (and lyncdiscoverinternal),
// asked for its root document without a user, as package probe's
// Autodiscover observation does. o.Address and o.Candidates are not
// used; o.Client is the client whose Autodiscover names are asked
// (skype-2016 when empty). Nothing secret is sent: no
// credentials, no client certificate, no user.
func Domain(ctx context.Context, o Options, rep *domainreport.Report) (domainreport.Observed, error) {
	client := o.Client
	if client == "" {
		client = "skype-2016"
	}
	c, err := engine.LookupProfile(client)
	if err != nil {
		return domainreport.Observed{}, fmt.Errorf("prober: %w", err)
	}
	p := &prober{o: o, client: c, domain: rep.Domain, options: true}
	p.defaults()
	// One time limit for the whole observation, as for Probe's.
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, p.o.Deadline)
	defer cancel()
	var obs domainreport.Observed
	if host, port, why := rep.FederationHost(); why != "" {
		obs.Skipped = append(obs.Skipped, "Federation: "+why+".")
	} else {
		t := target{host: host, port: port, transport: engine.TLS, source: "_sipfederationtls._tcp." + rep.Domain, reason: engine.ConnectionDiscovered}
		f := &domainreport.FederationObserved{TLS: []domainreport.TLSVersion{}}
		f.Attempt = p.attempt(ctx, t)
		if f.Attempt.Remote != "" {
			f.TLS = p.versions(ctx, host, f.Attempt.Remote)
		}
		obs.Federation = f
	}
	if err := parent.Err(); err != nil {
		return domainreport.Observed{}, err
	}
	if why := autodiscoverSkip(rep); why != "" {
		obs.Skipped = append(obs.Skipped, "Autodiscover: "+why+".")
	} else if len(c.Autodiscover) > 0 {
		obs.Autodiscover = p.autodiscover(ctx, "")
	}
	if err := parent.Err(); err != nil {
		return domainreport.Observed{}, err
	}
	return obs, nil
}

// tlsVersions are the versions Domain offers one at a time, oldest
// first.
var tlsVersions = []uint16{tls.VersionTLS10, tls.VersionTLS11, tls.VersionTLS12, tls.VersionTLS13}

// versions makes one handshake for each TLS version, offering only it,
// to remote (the address the first connection reached), each bounded by
// the connect and handshake limits.
func (p *prober) versions(ctx context.Context, host, remote string) []domainreport.TLSVersion {
	out := make([]domainreport.TLSVersion, 0, len(tlsVersions))
	for _, v := range tlsVersions {
		r := domainreport.TLSVersion{Version: probe.VersionName(v)}
		if err := p.handshakeOnly(ctx, host, remote, v); err != nil {
			r.Why = err.Error()
		} else {
			r.Accepted = true
		}
		out = append(out, r)
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// handshakeOnly connects to remote and completes a TLS handshake offering
// version v alone, then closes the connection.
func (p *prober) handshakeOnly(ctx context.Context, host, remote string, v uint16) error {
	dctx, cancel := context.WithTimeout(ctx, p.o.ConnectTimeout)
	conn, err := p.o.Dial(dctx, "tcp", remote)
	cancel()
	if err != nil {
		return fmt.Errorf("%s", describe(err, p.o.ConnectTimeout))
	}
	defer conn.Close()
	cfg := clientTLS(host)
	cfg.MinVersion, cfg.MaxVersion = v, v
	hctx, cancel := context.WithTimeout(ctx, p.o.HandshakeTimeout)
	defer cancel()
	if err := tls.Client(conn, cfg).HandshakeContext(hctx); err != nil {
		return fmt.Errorf("%s", handshakeFailure(err, p.o.HandshakeTimeout).Message)
	}
	return nil
}

// optionsRequest is the OPTIONS a partner's Edge server would send to
// learn what t supports (RFC 3261 §11), from a user of the reserved
// domain sipdisco.invalid (RFC 6761 §6.4), without credentials or body.
func (p *prober) optionsRequest(t target, local net.Addr) (engine.Message, error) {
	id := func() string { return fmt.Sprintf("%016x", p.o.Rand()) }
	via := "127.0.0.1:0"
	if local != nil {
		via = local.String()
	}
	uri := "sip:" + t.host + ":" + strconv.Itoa(int(t.port)) + ";transport=" + map[engine.Transport]string{engine.TLS: "tls", engine.TCP: "tcp"}[t.transport]
	m := engine.Message{
		Direction: engine.ClientToServer,
		Label:     "OPTIONS (CSeq 1)",
		StartLine: "OPTIONS " + uri + " SIP/2.0",
		Headers: []engine.Header{
			{Name: "Via", Value: "SIP/2.0/" + string(t.transport) + " " + via + ";branch=z9hG4bK" + id()},
			{Name: "Max-Forwards", Value: "70"},
			{Name: "From", Value: "<sip:sipdisco@sipdisco.invalid>;tag=" + id()},
			{Name: "To", Value: "<sip:" + p.domain + ">"},
			{Name: "Call-ID", Value: id() + id()},
			{Name: "CSeq", Value: "1 OPTIONS"},
			{Name: "Accept", Value: "application/sdp"},
			{Name: "User-Agent", Value: "sipdisco"},
		},
		Note: "The OPTIONS sipdisco sent: no credentials, no body.",
	}
	if err := checkNoSecret(m); err != nil {
		return engine.Message{}, err
	}
	return m, nil
}

// autodiscoverSkip says why the Autodiscover service is not asked: the
// domain publishes neither name, or only Microsoft 365's, which is not
// the customer's to check; "" when it is asked.
func autodiscoverSkip(rep *domainreport.Report) string {
	published, own := false, false
	for _, r := range rep.Records {
		if r.Name != "lyncdiscover."+rep.Domain && r.Name != "lyncdiscoverinternal."+rep.Domain {
			continue
		}
		switch r.Points {
		case domainreport.PointsAbsent, domainreport.PointsUnknown:
		case domainreport.PointsMicrosoft365:
			published = true
		default:
			published, own = true, true
		}
	}
	switch {
	case !published:
		return "neither lyncdiscover." + rep.Domain + " nor lyncdiscoverinternal." + rep.Domain + " exists"
	case !own:
		return "lyncdiscover." + rep.Domain + " leads to Microsoft 365's service"
	}
	return ""
}
