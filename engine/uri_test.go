package engine

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want URI
		str  string
	}{
		{"sip", "sip:bob@contoso.com", URI{Scheme: "sip", User: "bob", Domain: "contoso.com"}, "sip:bob@contoso.com"},
		{"bare", "bob@contoso.com", URI{Scheme: "sip", User: "bob", Domain: "contoso.com"}, "sip:bob@contoso.com"},
		{"sips", "sips:bob@contoso.com", URI{Scheme: "sips", User: "bob", Domain: "contoso.com"}, "sips:bob@contoso.com"},
		{"upper scheme and domain, trailing dot", "  SIP:Bob@CONTOSO.COM. ", URI{Scheme: "sip", User: "Bob", Domain: "contoso.com"}, "sip:Bob@contoso.com"},
		{"params", "sip:bob@contoso.com;transport=tls;lr", URI{Scheme: "sip", User: "bob", Domain: "contoso.com",
			Params: []Param{{Name: "transport", Value: "tls", HasValue: true}, {Name: "lr"}}}, "sip:bob@contoso.com;transport=tls;lr"},
		{"escaped user", "sip:bob%20smith@contoso.com", URI{Scheme: "sip", User: "bob%20smith", Domain: "contoso.com"}, "sip:bob%20smith@contoso.com"},
		{"idn", "bob@bücher.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"idn upper", "bob@BÜCHER.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"a-label", "bob@xn--bcher-kva.example", URI{Scheme: "sip", User: "bob", Domain: "xn--bcher-kva.example"}, "sip:bob@xn--bcher-kva.example"},
		{"user marks", "sip:first.last+lab@sub.contoso.com", URI{Scheme: "sip", User: "first.last+lab", Domain: "sub.contoso.com"}, "sip:first.last+lab@sub.contoso.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseURI(tt.in)
			if err != nil {
				t.Fatalf("ParseURI(%q) error: %v", tt.in, err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("ParseURI(%q) mismatch (-got +want):\n%s", tt.in, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("ParseURI(%q).String() = %q; want %q", tt.in, s, tt.str)
			}
			again, err := ParseURI(got.String())
			if err != nil || !cmp.Equal(again, got) {
				t.Errorf("ParseURI(%q) does not round-trip: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseURIErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
	}{
		{"", 0},
		{"   ", 0},
		{"bob", 3},
		{"sip:bob", 7},
		{"@contoso.com", 0},
		{"sip:@contoso.com", 4},
		{"tel:+15551234@contoso.com", 0},
		{"mailto:bob@contoso.com", 0},
		{":bob@contoso.com", 0},
		{"sip:bob:secret@contoso.com", 7},
		{"sip:bob@contoso.com:5061", 19},
		{"sip:bob@contoso.com?subject=x", 19},
		{"sip:bob@", 8},
		{"sip:bob@.", 8},
		{"sip:bob@contoso", 8},
		{"sip:bob@192.0.2.1", 8},
		{"sip:bob@[2001:db8::1]", 8},
		{"sip:bob@con toso.com", 11},
		{"sip:bob@contoso..com", 16},
		{"sip:bob@-contoso.com", 8},
		{"sip:bob@con_toso.com", 11},
		{"sip:b<b@contoso.com", 5},
		{"sip:bob%2@contoso.com", 7},
		{"sip:bob@a@contoso.com", 9},
		{"sip:bob@contoso.com;", 20},
		{"sip:bob@contoso.com;transport=", 30},
		{"sip:bob@contoso.com;a<b", 21},
		{"sip:bob@" + string(make([]byte, 600)), 512},
		{"sip:bob@\x00.com", 8},
	}
	for _, tt := range tests {
		_, err := ParseURI(tt.in)
		var ue *URIError
		if !errors.As(err, &ue) {
			t.Errorf("ParseURI(%q) error = %v; want a *URIError", tt.in, err)
			continue
		}
		if ue.Offset != tt.offset {
			t.Errorf("ParseURI(%q) offset = %d (%v); want %d", tt.in, ue.Offset, err, tt.offset)
		}
	}
}

// FuzzParseURI checks the Parse -> String -> Parse fixed point and that no
// input panics.
func FuzzParseURI(f *testing.F) {
	for _, s := range []string{"sip:bob@contoso.com", "bob@bücher.example", "sips:a@b.c;x=y;lr", "sip:%41@x.y", "SIP:A@B.C.", "sip:bob@contoso.com:5061"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseURI(s)
		if err != nil {
			var ue *URIError
			if !errors.As(err, &ue) || ue.Offset < 0 || ue.Offset > len(s) {
				t.Fatalf("ParseURI(%q) = %v; want a *URIError with an offset inside the input", s, err)
			}
			return
		}
		again, err := ParseURI(u.String())
		if err != nil {
			t.Fatalf("ParseURI(%q) = %+v, but its String %q does not parse: %v", s, u, u.String(), err)
		}
		if !cmp.Equal(again, u) {
			t.Fatalf("round trip of %q: %+v != %+v", s, again, u)
		}
	})
}
