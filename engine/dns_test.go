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
