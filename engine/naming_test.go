package engine

import "testing"

// TestCheckNameSeed covers every example of the naming paragraph of
// Microsoft's "Office Communicator Sign-in and Discovery", with
// contoso.com as the sign-in domain.
func TestCheckNameSeed(t *testing.T) {
	const d = "contoso.com"
	tests := []struct {
		host          string
		strict, loose bool // allowed under strict, under loose
		rule          string
	}{
		{"contoso.com", true, true, "same-domain"},
		{"sip.contoso.com", true, true, "strict"},
		{"pool01.contoso.com", false, true, "loose"},
		{"sip.eu.contoso.com", false, true, "loose"},
		{"sipinternal.contoso.com", false, true, "loose"},
		{"sip.contoso.com.net", false, false, "namespace"},
		{"sipcontoso.com", false, false, "namespace"},
		{"sip.other.com", false, false, "namespace"},
		{"contoso.com.evil.com", false, false, "namespace"},
		{"com", false, false, "namespace"},
		{"xcontoso.com", false, false, "namespace"},
	}
	for _, tt := range tests {
		for _, strict := range []bool{true, false} {
			want := tt.loose
			if strict {
				want = tt.strict
			}
			v := CheckName(tt.host, d, strict, NamingStrictOrLoose, nil)
			if v.Allowed != want || v.Prompt {
				t.Errorf("CheckName(%q, strict=%v) = %+v; want allowed=%v", tt.host, strict, v, want)
			}
			if v.Reason == "" {
				t.Errorf("CheckName(%q, strict=%v) gives no reason", tt.host, strict)
			}
			if !strict && v.Rule != tt.rule {
				t.Errorf("CheckName(%q, loose).Rule = %q; want %q", tt.host, v.Rule, tt.rule)
			}
		}
	}
}

func TestCheckNameTrustModel(t *testing.T) {
	tests := []struct {
		host         string
		trusted      []string
		strict       bool
		allowed, ask bool
	}{
		{"pool01.contoso.com", nil, false, true, false},
		{"pool01.fabrikam.com", nil, false, true, true},
		{"pool01.fabrikam.com", []string{"fabrikam.com"}, false, true, false},
		{"pool01.fabrikam.com.evil.com", []string{"fabrikam.com"}, false, true, true},
		{"pool01.fabrikam.com", []string{"fabrikam.com"}, true, false, false},
		{"sip.contoso.com", nil, true, true, false},
	}
	for _, tt := range tests {
		v := CheckName(tt.host, "contoso.com", tt.strict, NamingTrustModel, tt.trusted)
		if v.Allowed != tt.allowed || v.Prompt != tt.ask {
			t.Errorf("CheckName(%q, trusted=%v, strict=%v) = %+v; want allowed=%v prompt=%v", tt.host, tt.trusted, tt.strict, v, tt.allowed, tt.ask)
		}
	}
}

func TestCheckNameReasons(t *testing.T) {
	tests := []struct{ host, want string }{
		{"sip.contoso.com.net", "sip.contoso.com.net is not under contoso.com: it contains contoso.com but belongs to com.net; the client never trusts a server in another namespace"},
		{"sipcontoso.com", `sipcontoso.com ends with the letters "contoso.com" but not on a label boundary, so it is a different domain; the client never trusts a server in another namespace`},
		{"sip.other.com", "sip.other.com is outside contoso.com; the client never trusts a server in another namespace"},
	}
	for _, tt := range tests {
		if got := CheckName(tt.host, "contoso.com", false, NamingStrictOrLoose, nil).Reason; got != tt.want {
			t.Errorf("CheckName(%q).Reason = %q; want %q", tt.host, got, tt.want)
		}
	}
}

// TestCheckNameSyntax: names arrive in presentation form, so an escaped dot
// or markup must not pass a suffix comparison.
func TestCheckNameSyntax(t *testing.T) {
	for _, host := range []string{
		`evil\.contoso.com`,
		`<script>alert\(1\)</script>.contoso.com`,
		"sip..contoso.com",
		"-sip.contoso.com",
		"sip_.contoso.com",
		"sip\\032x.contoso.com",
	} {
		for _, model := range []NamingModel{NamingStrictOrLoose, NamingTrustModel} {
			v := CheckName(host, "contoso.com", false, model, nil)
			if v.Allowed || v.Rule != "syntax" {
				t.Errorf("CheckName(%q, %s) = %+v; want refused by the syntax rule", host, model, v)
			}
		}
	}
}
