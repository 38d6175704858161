package templates

import (
	"reflect"
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/check"
)

// TestAnalyzerFormHasEveryInput: the analyzer's form has a control for
// every input of a check, named by its link parameter, so that the page
// can express everything the command line and links can — but the inputs
// only the command line has (check.GroupCommandLine): plain DNS, which a
// browser cannot send, and the observation of the real servers
// (check --connect), which a browser cannot make. Those have no control.
func TestAnalyzerFormHasEveryInput(t *testing.T) {
	html := render(t, AnalyzerPage(NewAnalyzerView(Site{Base: "/"}, []Resolver{{URL: "local", Label: "This server"}})))
	var params []string
	for _, g := range check.Form(check.PageDefaults(), check.FormOptions{}) {
		for _, f := range g.Fields {
			params = append(params, f.Param)
		}
	}
	commandLine := map[string]string{"DNS": "dns", "DNSTCP": "dnstcp", "Connect": "connect", "ConnectAll": "connectall", "CA": "ca", "ConnectTimeout": "connecttimeout"}
	typ := reflect.TypeOf(check.Options{})
	if len(params) < typ.NumField()-len(commandLine) {
		t.Fatalf("the form has %d controls for %d inputs", len(params), typ.NumField()-len(commandLine))
	}
	for _, p := range params {
		if !strings.Contains(html, `name="`+p+`"`) {
			t.Errorf("the analyzer page has no control named %q", p)
		}
	}
	for name, p := range commandLine {
		if _, ok := typ.FieldByName(name); !ok {
			t.Errorf("check.Options has no field %s", name)
		}
		if strings.Contains(html, `name="`+p+`"`) {
			t.Errorf("the analyzer page has a control named %q: that input is the command line's only", p)
		}
	}
}
