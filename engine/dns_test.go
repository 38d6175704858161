package engine

import "testing"

func TestRecordData(t *testing.T) {
	tests := []struct {
		r    Record
		want string
	}{
		{Record{Type: TypeSRV, Priority: 0, Weight: 5, Port: 5061, Target: "sip.contoso.com"}, "0 5 5061 sip.contoso.com."},
		{Record{Type: TypeSRV, Target: "."}, "0 0 0 ."},
		{Record{Type: TypeCNAME, Target: "pool.contoso.com"}, "pool.contoso.com."},
		{Record{Type: TypeTXT, Text: []string{`say "hi"\`, "caf\xc3\xa9\n"}}, `"say \"hi\"\\" "caf\195\169\010"`},
	}
	for _, tt := range tests {
		if got := tt.r.Data(); got != tt.want {
			t.Errorf("%+v.Data() = %s; want %s", tt.r, got, tt.want)
		}
	}
}

func TestAnswerContradiction(t *testing.T) {
	srv := Record{Name: "_sip._tls.contoso.com", Type: TypeSRV, Port: 443, Target: "sip.contoso.com"}
	cname := Record{Name: "sip.contoso.com", Type: TypeCNAME, Target: "gone.contoso.net"}
	addr := Record{Name: "gone.contoso.net", Type: TypeA}
	tests := []struct {
		name string
		a    Answer
		want bool
	}{
		{"NXDOMAIN", Answer{RCode: RCodeNameError}, false},
		{"NXDOMAIN after a CNAME chain (RFC 6604)", Answer{RCode: RCodeNameError, Records: []Record{cname, cname}}, false},
		{"NXDOMAIN with an SRV record", Answer{RCode: RCodeNameError, Records: []Record{srv}}, true},
		{"NXDOMAIN with a chain and an address", Answer{RCode: RCodeNameError, Records: []Record{cname, addr}}, true},
		{"NOERROR with records", Answer{Records: []Record{srv}}, false},
		{"SERVFAIL with records", Answer{RCode: RCodeServerFailure, Records: []Record{srv}}, false},
	}
	for _, tt := range tests {
		if got := tt.a.Contradiction(); (got != "") != tt.want {
			t.Errorf("%s: Contradiction() = %q; want a reason: %v", tt.name, got, tt.want)
		}
	}
}
