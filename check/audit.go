package check

import (
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// AuditMaxLines bounds the addresses one batch audit in the browser
// checks; the command line's `sipdisco audit` takes far more.
const AuditMaxLines = 2000

// AuditOptions are the inputs of a batch audit page: the pasted list, one
// address per line, and the client, policy and resolver every address is
// checked with (no sign-in).
type AuditOptions struct {
	List     string `json:"list"`
	Profile  string `json:"profile"`
	Strict   bool   `json:"strict"`
	AllowTCP bool   `json:"allowTCP"`
	DoH      string `json:"doh"`
	Zone     string `json:"zone,omitempty"`
}

// AuditDefaults are the inputs of an empty audit form.
func AuditDefaults() AuditOptions {
	return AuditOptions{Profile: engine.DefaultProfile, AllowTCP: true}
}

// Options returns the check each address of the list gets, its address
// left empty.
func (a AuditOptions) Options() Options {
	o := Defaults()
	o.Profile, o.Strict, o.AllowTCP, o.Resolver = a.Profile, StrictOf(a.Strict), a.AllowTCP, ParseSource(strings.TrimSpace(a.DoH))
	if strings.TrimSpace(a.Zone) != "" {
		o.Zones = []Zone{{Name: PlannedZone, Text: a.Zone}}
	}
	return o
}
