package wire

import (
	"strings"
	"testing"

	"github.com/miekg/dns"

	"github.com/sipdisco/sipdisco/dohclient"
	"github.com/sipdisco/sipdisco/engine"
)

func TestPadLengths(t *testing.T) {
	for n := 1; n <= 250; n += 7 {
		name := strings.Repeat("a", n%63+1) + "." + strings.Repeat("b", n%50+1) + ".example"
		m := QuestionMsg(engine.Question{Name: name, Type: engine.TypeA})
		for _, block := range []int{dohclient.QueryPadBlock, ResponsePadBlock} {
			b, err := Pad(m.Copy(), block)
			if err != nil {
				t.Fatalf("Pad(%s, %d): %v", name, block, err)
			}
			if len(b)%block != 0 {
				t.Errorf("Pad(%s, %d) length %d; want a multiple of %d", name, block, len(b), block)
			}
		}
	}
	// A message that already has padding gets one Padding option, not two.
	m := QuestionMsg(engine.Question{Name: "a.example", Type: engine.TypeA})
	if _, err := Pad(m, dohclient.QueryPadBlock); err != nil {
		t.Fatal(err)
	}
	b, err := Pad(m, dohclient.QueryPadBlock)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range m.IsEdns0().Option {
		if o.Option() == dns.EDNS0PADDING {
			n++
		}
	}
	if n != 1 || len(b) != dohclient.QueryPadBlock {
		t.Errorf("pad twice: %d Padding options, length %d; want 1 and %d", n, len(b), dohclient.QueryPadBlock)
	}
}
