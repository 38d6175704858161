package demo

import (
	"testing"

	"github.com/sipdisco/sipdisco/demo/views"
	"github.com/sipdisco/sipdisco/engine"
)

// TestViewsAgree: the table of package views says for every scenario the
// view its zone file declares, and names no other domain.
func TestViewsAgree(t *testing.T) {
	n := 0
	for _, sc := range Scenarios() {
		if got := views.Of(sc.Domain); got != sc.View {
			t.Errorf("views.Of(%s) = %q; its zone file says %q", sc.Domain, got, sc.View)
		}
		if sc.View != engine.ViewUnknown {
			n++
		}
	}
	if views.Domains() != n {
		t.Errorf("package views names %d domains; %d zone files declare a view", views.Domains(), n)
	}
}
