package templates

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine/check"
)

// TestAnalyzerFormHasEveryInput: the analyzer's form has a control for
// every input of a check, named by its link parameter, so that the page
// can express everything the command line and links can.
func TestAnalyzerFormHasEveryInput(t *testing.T) {
	html := render(t, AnalyzerPage(NewAnalyzerView(Site{Base: "/"}, []Resolver{{URL: "local", Label: "This server"}})))
	var params []string
	for _, g := range check.Form(check.PageDefaults(), check.FormOptions{}) {
		for _, f := range g.Fields {
			params = append(params, f.Param)
		}
	}
	typ := reflect.TypeOf(check.Options{})
	commandLine := 0
	for i := range typ.NumField() {
		if typ.Field(i).Name == "DNS" || typ.Field(i).Name == "DNSTCP" {
			commandLine++ // a browser cannot send plain DNS (check.GroupCommandLine)
		}
	}
	if len(params) < typ.NumField()-commandLine {
		t.Fatalf("the form has %d controls for %d inputs", len(params), typ.NumField())
	}
	for _, p := range params {
		if !strings.Contains(html, `name="`+p+`"`) {
			t.Errorf("the analyzer page has no control named %q", p)
		}
	}
}
