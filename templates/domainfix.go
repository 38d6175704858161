//go:build !firstmodule

package templates

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sipdisco/sipdisco/engine"
)

// fixPowerShell returns the commands of the DnsServer module (Windows
// Server 2012 and later) that apply a finding's fix records in the zone of
// domain d, one block per record with a comment saying which DNS it is
// for: a record to publish replaces the records of its name that it takes
// the place of (an alias replaces every address and alias of its name, an
// address the aliases and addresses of its type, an SRV record the SRV
// records of its name), as engine.FixPublish says; a record to delete
// removes the records of its name and type. A value only the
// administrator knows (FixRecord.Supply) stays in angle brackets with a
// comment, so that the command fails until it is replaced. A record
// outside d is left as a comment. Empty when recs is.
func fixPowerShell(d string, recs []engine.FixRecord) string {
	var b strings.Builder
	zone := psq(d)
	for _, r := range recs {
		view := "public DNS"
		if r.View == engine.FixInternal {
			view = "internal DNS"
		}
		name := strings.TrimSuffix(r.Name, ".")
		rel := ""
		switch {
		case name == d:
			rel = "@"
		case strings.HasSuffix(name, "."+d):
			rel = strings.TrimSuffix(name, "."+d)
		default:
			fmt.Fprintf(&b, "# %s, outside the zone %s: %s\n", view, d, r.String())
			continue
		}
		remove := func(t string) {
			fmt.Fprintf(&b, "Get-DnsServerResourceRecord -ZoneName %s -Name %s -RRType %s -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName %s -Force\n", zone, psq(rel), t, zone)
		}
		if r.Action == engine.FixDelete {
			fmt.Fprintf(&b, "# %s: delete %s\n", view, r.String())
			remove(r.Type.String())
			continue
		}
		fmt.Fprintf(&b, "# %s: %s\n", view, r.String())
		if r.Supply != "" {
			fmt.Fprintf(&b, "# Replace <%s> before running the command.\n", r.Supply)
		}
		data := r.Data
		if r.Supply != "" {
			data = "<" + r.Supply + ">"
		}
		add := fmt.Sprintf("Add-DnsServerResourceRecord -ZoneName %s -Name %s ", zone, psq(rel))
		switch r.Type {
		case engine.TypeCNAME:
			remove("A")
			remove("AAAA")
			remove("CNAME")
			add += "-CName -HostNameAlias " + psq(data)
		case engine.TypeA, engine.TypeAAAA:
			remove("CNAME")
			remove(r.Type.String())
			if r.Type == engine.TypeA {
				add += "-A -IPv4Address " + psq(data)
			} else {
				add += "-AAAA -IPv6Address " + psq(data)
			}
		case engine.TypeSRV:
			f := strings.Fields(data)
			if len(f) != 4 {
				fmt.Fprintf(&b, "# (not an SRV record's data: publish it by hand)\n")
				continue
			}
			remove("SRV")
			add += fmt.Sprintf("-Srv -DomainName %s -Priority %s -Weight %s -Port %s", psq(f[3]), psNumber(f[0]), psNumber(f[1]), psNumber(f[2]))
		default:
			fmt.Fprintf(&b, "# (a %s record: publish it by hand)\n", r.Type)
			continue
		}
		if r.TTL > 0 {
			add += " -TimeToLive " + psTTL(r.TTL)
		}
		b.WriteString(add + "\n")
	}
	return b.String()
}

// psq quotes s as a PowerShell single-quoted string, in which only a
// single quote is special (written twice).
func psq(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// psTTL formats seconds as a .NET TimeSpan ("01:00:00", "1.00:00:00"),
// the type of -TimeToLive.
func psTTL(sec uint32) string {
	d, rest := sec/86400, sec%86400
	s := fmt.Sprintf("%02d:%02d:%02d", rest/3600, rest%3600/60, rest%60)
	if d > 0 {
		s = strconv.Itoa(int(d)) + "." + s
	}
	return s
}

// psNumber returns s when it is a number, else s quoted (which the
// cmdlet refuses).
func psNumber(s string) string {
	if _, err := strconv.ParseUint(s, 10, 16); err == nil {
		return s
	}
	return psq(s)
}
