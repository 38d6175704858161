package engine

// ClientRow is one client generation's result at a glance, from the same
// DNS answers as the report it sits in: the first lines of every
// rendering, so that an administrator of a mixed fleet sees every client
// before the chosen one in detail.
type ClientRow struct {
	// Profile and Title name the client ("lync-2013", "Lync 2013 /
	// Skype for Business 2015").
	Profile string `json:"profile"`
	Title   string `json:"title"`
	// Outcome is the row's verdict; Target, for "connect", where the
	// client signs in: "pool01.contoso.com:5061 TLS", empty otherwise.
	Outcome Outcome `json:"outcome"`
	Target  string  `json:"target,omitempty"`
	// Naming is the naming the row's client used, in a few words:
	// "loose", "strict: EnableStrictDNSNaming".
	Naming string `json:"naming"`
}

// GlanceProfiles returns the profiles of the at-a-glance rows, one per
// client generation, oldest first, with chosen (a profile name) in
// place of the one of its generation: lync-2010-cu is the same
// generation as lync-2010 and is folded into its row, shown only when
// it is the chosen client, so that the rows stay one per product an
// administrator has installed.
func GlanceProfiles(chosen string) []*Profile {
	var out []*Profile
	for _, p := range profiles {
		if p == lync2010CU {
			continue
		}
		if p == lync2010 && chosen == lync2010CU.Name {
			p = lync2010CU
		}
		out = append(out, p)
	}
	return out
}

// Row returns r's at-a-glance row: its client, outcome, target and the
// naming its policy gave the client.
func (r *Report) Row() ClientRow {
	row := ClientRow{Profile: r.Profile, Title: r.Profile, Outcome: r.Outcome, Naming: onOff(r.Policy.StrictNaming, "strict", "loose")}
	if p, err := LookupProfile(r.Profile); err == nil {
		row.Title = p.Title
		row.Naming = p.ShortNaming(r.Policy.StrictNaming)
	}
	if r.Target != nil {
		row.Target = r.Target.Endpoint()
	}
	return row
}

// ShortNaming is NamingPolicy in a few words, for the at-a-glance rows:
// "loose", "strict: EnableStrictDNSNaming", "trust model: others
// prompt" (outside the sign-in domain, the trust prompt).
func (p *Profile) ShortNaming(strict bool) string {
	switch {
	case p.StrictPolicy == "DisableStrictDNSNaming" && strict:
		return "strict by policy: D or sip.D"
	case p.StrictPolicy == "DisableStrictDNSNaming":
		return "trust model: others prompt"
	case strict:
		return "strict: EnableStrictDNSNaming"
	}
	return "loose"
}

func onOff(b bool, on, off string) string {
	if b {
		return on
	}
	return off
}
