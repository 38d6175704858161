//go:build !firstmodule

package templates

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/sipdisco/sipdisco/domainreport"
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
		if psComment(r.Name+r.Data) != r.Name+r.Data {
			// Inside quotes it would stay a string, but a name with a
			// line break is no name to publish.
			fmt.Fprintf(&b, "# %s: %s holds a control character: not written as a command\n", view, psComment(r.String()))
			continue
		}
		rel := ""
		switch {
		case name == d:
			rel = "@"
		case strings.HasSuffix(name, "."+d):
			rel = strings.TrimSuffix(name, "."+d)
		default:
			fmt.Fprintf(&b, "# %s, outside the zone %s: %s\n", view, psComment(d), psComment(r.String()))
			continue
		}
		remove := func(t string) {
			fmt.Fprintf(&b, "Get-DnsServerResourceRecord -ZoneName %s -Name %s -RRType %s -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName %s -Force\n", zone, psq(rel), t, zone)
		}
		if r.Action == engine.FixDelete {
			fmt.Fprintf(&b, "# %s: delete %s\n", view, psComment(r.String()))
			remove(r.Type.String())
			continue
		}
		fmt.Fprintf(&b, "# %s: %s\n", view, psComment(r.String()))
		if r.Supply != "" {
			fmt.Fprintf(&b, "# Replace <%s> before running the command.\n", psComment(r.Supply))
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
// single quote is special, written twice: PowerShell takes the typographic
// single quotes U+2018, U+2019, U+201A and U+201B for one too, so they
// are doubled as well, or a name from DNS could end the string.
func psq(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// psComment returns s fit for the rest of a PowerShell comment line:
// every control or line-separating character (a name from DNS may hold
// one) shown as U+FFFD, so that nothing after it becomes a command.
func psComment(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\u0085' {
			return '\uFFFD'
		}
		return r
	}, s)
}

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

// WriteDomainScripts writes the fixes of the domain reports as scripts,
// one per DNS — public DNS first, then internal DNS — in format
// "powershell" (the DnsServer module's cmdlets, fixPowerShell) or "bind"
// (zone-file lines; a record to delete as a comment). Each finding's
// records form one block under its condition (the finding's fix text),
// since a fix such as pointing sip to Microsoft 365 is right only once
// every user is Teams Only; a record two findings give is written once.
func WriteDomainScripts(w io.Writer, format string, reports []*domainreport.Report) error {
	c := "#"
	if format == "bind" {
		c = ";"
	}
	var b strings.Builder
	for i, view := range []engine.FixView{engine.FixExternal, engine.FixInternal} {
		if i > 0 {
			b.WriteString("\n")
		}
		where := map[engine.FixView]string{engine.FixExternal: "public DNS (the outside view)", engine.FixInternal: "internal DNS (the inside view)"}[view]
		fmt.Fprintf(&b, "%s sipdisco domain: the fixes for %s.\n", c, where)
		fmt.Fprintf(&b, "%s Each block is one finding's fix; read its condition before applying it.\n", c)
		seen := map[string]bool{}
		blocks := 0
		for _, r := range reports {
			for _, f := range engine.BySeverity(r.Findings) {
				var recs []engine.FixRecord
				for _, x := range f.Records {
					if x.View == view && !seen[x.String()] {
						seen[x.String()] = true
						recs = append(recs, x)
					}
				}
				if len(recs) == 0 {
					continue
				}
				blocks++
				fmt.Fprintf(&b, "\n%s %s (%s, %s): %s\n", c, psComment(r.Domain), f.Kind, f.Severity, psComment(f.Fix))
				if format == "bind" {
					for _, x := range recs {
						line := psComment(x.String())
						switch {
						case x.Action == engine.FixDelete:
							fmt.Fprintf(&b, "; delete: %s\n", line)
						case x.Supply != "":
							fmt.Fprintf(&b, "; replace <%s> first:\n; %s\n", psComment(x.Supply), line)
						case line != x.String():
							fmt.Fprintf(&b, "; holds a control character, not written as a record: %s\n", line)
						default:
							b.WriteString(line + "\n")
						}
					}
					continue
				}
				b.WriteString(fixPowerShell(r.Domain, recs))
			}
		}
		if blocks == 0 {
			fmt.Fprintf(&b, "\n%s Nothing to change in %s for these reports.\n", c, where)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
