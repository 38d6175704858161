//go:build js && wasm

package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"net/netip"
	"net/url"
	"strings"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
)

// The tests' resolver: a DoH round trip answered in memory, through the
// same DoH client and reply parsing a live check uses.

// warmRecords are warm.example's records: a pool by SRV, and its
// address.
var warmRecords = map[engine.Question][]engine.Record{
	{Name: "_sipinternaltls._tcp.warm.example", Type: engine.TypeSRV}: {
		{Name: "_sipinternaltls._tcp.warm.example", Type: engine.TypeSRV, TTL: 300, Port: 5061, Target: "pool01.warm.example"}},
	{Name: "pool01.warm.example", Type: engine.TypeA}: {
		{Name: "pool01.warm.example", Type: engine.TypeA, TTL: 300, Addr: netip.AddrFrom4([4]byte{192, 0, 2, 10})}},
}

// warmRoundTrip answers a DoH GET for warm.example from warmRecords, as a
// server would: the question echoed, NODATA for pool01's other types,
// NXDOMAIN for names it lacks.
func warmRoundTrip(ctx context.Context, req *dohclient.Request) (*dohclient.Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil {
		return nil, err
	}
	wire, err := base64.RawURLEncoding.DecodeString(u.Query().Get("dns"))
	if err != nil {
		return nil, err
	}
	q, ok := warmQuestion(wire)
	if !ok || q.Name != "warm.example" && !strings.HasSuffix(q.Name, ".warm.example") {
		return nil, errors.New("warm: not a question about warm.example")
	}
	answers, known := warmRecords[q]
	rcode := engine.RCodeSuccess
	if !known && !strings.HasPrefix(q.Name, "pool01.") {
		rcode = engine.RCodeNameError
	}
	out, err := dohclient.Reply(wire, rcode, answers)
	if err != nil {
		return nil, err
	}
	return &dohclient.Response{Status: 200, ContentType: dohclient.MediaType, Body: io.NopCloser(bytes.NewReader(out))}, nil
}

// warmQuestion reads the question of a query dohclient.Query packed: plain
// labels (warm.example's names need no escapes), type and class.
func warmQuestion(wire []byte) (engine.Question, bool) {
	var labels []string
	i := 12
	for i < len(wire) && wire[i] != 0 {
		n := int(wire[i])
		if n > 63 || i+1+n > len(wire) {
			return engine.Question{}, false
		}
		labels = append(labels, string(wire[i+1:i+1+n]))
		i += 1 + n
	}
	if i+3 > len(wire) {
		return engine.Question{}, false
	}
	return engine.Question{Name: strings.Join(labels, "."), Type: engine.Type(int(wire[i+1])<<8 | int(wire[i+2]))}, true
}
