//go:build !firstmodule

package check

import (
	"flag"
	"strings"
)

// BindPlan adds the plan's flags to fs, setting p: a flag per text input
// (repeatable, the values joined as a typed list), --profile (repeatable;
// the first replaces the default of every profile), --strict, --tcp and
// --no-tcp (the default: TLS only).
func BindPlan(fs *flag.FlagSet, p *PlanOptions) {
	for _, f := range planFields {
		fs.Var(&choiceFunc{words: f.choices, group: HelpDeployment, set: func(v string) error {
			dst := f.get(p)
			if f.list && *dst != "" {
				v = *dst + "," + v
			}
			*dst = v
			return nil
		}}, f.flag, f.usage)
	}
	given := false
	fs.Var(&choiceFunc{words: profileValues(), group: HelpClient, set: func(v string) error {
		if !given {
			p.Profiles, given = nil, true
		}
		// Checked by plan.Normalize, whose error names the profile.
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				p.Profiles = append(p.Profiles, name)
			}
		}
		return nil
	}}, "profile", "client `profile` that must work (repeatable; default all): "+profileNames())
	fs.BoolVar(&p.Strict, "strict", p.Strict, "clients use strict naming (Communicator's EnableStrictDNSNaming; for Lync and Skype for Business, a policy requiring strict DNS matching, as the DisableStrictDNSNaming policy text reads): SRV targets become sip.<domain>")
	fs.BoolVar(&p.SimpleURLs, "simple-urls", p.SimpleURLs, "plan the simple URLs: meet.<domain> for each SIP domain, dialin and admin under the first")
	fs.BoolVar(&p.XMPP, "xmpp", p.XMPP, "publish _xmpp-server._tcp (port 5269) for XMPP federation through the Edge")
	fs.BoolVar(&p.NoFederation, "no-federation", p.NoFederation, "leave out _sipfederationtls._tcp (published with an Access Edge by default)")
	fs.BoolFunc("tcp", "clients' policy allows TCP (checked so); no _sipinternal._tcp is published, since Lync Server and Skype for Business Server pools take no client SIP over TCP", func(v string) error {
		b, err := parseBit(v)
		p.AllowTCP = b
		return err
	})
	fs.BoolFunc("no-tcp", "clients' policy: TLS only, the default", func(v string) error {
		b, err := parseBit(v)
		p.AllowTCP = !b
		return err
	})
}
