//go:build !js

package dohclient_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/dohclient/server"
	"github.com/sipdisco/sipdisco/engine"
)

// This example serves one SRV record with dohclient/server on a loopback test
// server and asks for it with a Client, as "sipdisco serve" and the
// analyzer do.
func Example() {
	zone := engine.ResolverFunc(func(ctx context.Context, q engine.Question) (engine.Answer, error) {
		if q == (engine.Question{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV}) {
			return engine.Answer{Records: []engine.Record{{
				Name: q.Name, Type: engine.TypeSRV, TTL: 300, Port: 443, Target: "sip.contoso.example",
			}}}, nil
		}
		return engine.Answer{RCode: engine.RCodeNameError}, nil
	})
	srv := httptest.NewTLSServer(server.NewHandler(zone, server.HandlerOptions{}))
	defer srv.Close()

	c, err := dohclient.New(srv.URL+"/dns-query", dohclient.HTTPRoundTrip(srv.Client()))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range []engine.Question{
		{Name: "_sip._tls.contoso.example", Type: engine.TypeSRV},
		{Name: "_sipinternaltls._tcp.contoso.example", Type: engine.TypeSRV},
	} {
		a, err := c.Resolve(context.Background(), q)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(q, a.RCode, a.Records)
	}
	// Output:
	// _sip._tls.contoso.example SRV NOERROR [_sip._tls.contoso.example. SRV 0 0 443 sip.contoso.example.]
	// _sipinternaltls._tcp.contoso.example SRV NXDOMAIN []
}
