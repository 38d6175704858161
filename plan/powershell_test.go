package plan

import (
	"strings"
	"testing"
)

// psToken is one piece of a PowerShell script as the syntax test reads it.
type psToken struct {
	kind string // "code", "single", "double", "comment"
	text string // the unquoted value of a single-quoted string
	from int
}

// psScan splits a script into code, single-quoted strings (” is a
// quote), double-quoted strings (` escapes) and comments (# to the end of
// the line, outside strings), and reports an unterminated string. It
// knows only what the generated scripts use: no here-strings, no block
// comments.
func psScan(t *testing.T, s string) []psToken {
	t.Helper()
	var out []psToken
	for i := 0; i < len(s); {
		switch s[i] {
		case '\'':
			var b strings.Builder
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					t.Fatalf("unterminated single-quoted string at offset %d: %.60q", i, s[i:])
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j++
						continue
					}
					break
				}
				b.WriteByte(s[j])
			}
			out = append(out, psToken{"single", b.String(), i})
			i = j + 1
		case '"':
			j := i + 1
			for ; ; j++ {
				if j >= len(s) {
					t.Fatalf("unterminated double-quoted string at offset %d: %.60q", i, s[i:])
				}
				if s[j] == '`' {
					j++
					continue
				}
				if s[j] == '"' {
					break
				}
			}
			out = append(out, psToken{"double", s[i+1 : j], i})
			i = j + 1
		case '#':
			j := strings.IndexByte(s[i:], '\n')
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, psToken{"comment", s[i : i+j], i})
			i += j
		default:
			j := strings.IndexAny(s[i:], "'\"#")
			if j < 0 {
				j = len(s) - i
			}
			out = append(out, psToken{"code", s[i : i+j], i})
			i += j
		}
	}
	return out
}

// consultantInput is the deployment of testdata/plan/consultant.txtar,
// with placeholders left for the A/V Edge.
func consultantInput() Input {
	return Input{Domains: []string{"contoso.com", "fabrikam.com"},
		Pool:     Server{FQDN: "pool01.contoso.com", Members: []string{"fe01.contoso.com", "fe02.contoso.com"}, Addresses: []string{"10.0.1.11", "10.0.1.12"}},
		Director: Server{FQDN: "dirpool.contoso.com", Members: []string{"dir01.contoso.com"}}, DirectorWebInternal: Server{FQDN: "webdirint.contoso.com"},
		DirectorWebExternal: "webdirext.contoso.com",
		Edge:                Server{FQDN: "access.contoso.com", Addresses: []string{"198.51.100.10"}}, WebConfEdge: "webconf.contoso.com",
		AVEdge: Server{FQDN: "av.contoso.com"}, EdgeInternal: Server{FQDN: "edgeint.contoso.com"}, XMPP: true,
		WebInternal: Server{FQDN: "webint.contoso.com"}, WebExternal: Server{FQDN: "webext.contoso.com"},
		OfficeOnline: Server{FQDN: "oos.contoso.com"}, SimpleURLs: true}
}

// TestPowerShellSyntax: in both scripts of the consultant's plan every
// string is closed, every value taken from the plan (zone, name, type,
// data, TTL) stands in a single-quoted string — where $, ` and ; are
// text, not code — and appears in code nowhere else; psQuote keeps a
// hostile value one string with the value unchanged (issue 24).
func TestPowerShellSyntax(t *testing.T) {
	p, err := Generate(consultantInput())
	if err != nil {
		t.Fatal(err)
	}
	for _, vp := range []ViewPlan{p.Internal, p.External} {
		script := PowerShell(vp)
		toks := psScan(t, script)
		singles := map[string]bool{}
		for _, tk := range toks {
			if tk.kind == "single" {
				singles[tk.text] = true
			}
		}
		for _, z := range vp.Zones {
			for _, r := range z.Records {
				for _, v := range []string{z.Origin, relative(r.Name, z.Origin), r.Type.String(), strings.ToLower(r.Data()), psTimeSpan(r.TTL)} {
					if !singles[v] {
						t.Errorf("%s script: %q is not a single-quoted string of its own", vp.View, v)
					}
				}
				for _, tk := range toks {
					if (tk.kind == "code" || tk.kind == "double") && strings.Contains(tk.text, r.Name) {
						t.Errorf("%s script: %s appears outside a single-quoted string at offset %d: %q", vp.View, r.Name, tk.from, tk.text)
					}
				}
			}
		}
		for _, tk := range toks {
			if tk.kind == "comment" && strings.ContainsAny(tk.text, "\r\n") {
				t.Errorf("%s script: a comment spans lines: %q", vp.View, tk.text)
			}
		}
	}
	for _, hostile := range []string{"a'b", "$(Remove-Item C:\\)", "x`y", "a;b", "''", "'; Remove-Item C:\\; '"} {
		toks := psScan(t, "@{ Name = "+psQuote(hostile)+" }\n")
		var got []string
		for _, tk := range toks {
			if tk.kind == "single" {
				got = append(got, tk.text)
			}
		}
		if len(got) != 1 || got[0] != hostile {
			t.Errorf("psQuote(%q) reads back as %q; want the one value", hostile, got)
		}
	}
}

// TestPowerShellIdempotent: the script's logic, in order — the placeholder
// refusal before any DNS server call; every zone and record checked
// (present and equal: left and reported; present and different: stop
// with the difference) before the first change; every change through
// ShouldProcess, so -WhatIf changes nothing; pin-point zones created with
// Add-DnsServerPrimaryZone; placeholder records marked (issue 24).
func TestPowerShellIdempotent(t *testing.T) {
	p, err := Generate(consultantInput())
	if err != nil {
		t.Fatal(err)
	}
	for _, vp := range []ViewPlan{p.Internal, p.External} {
		script := PowerShell(vp)
		var code strings.Builder // the script without comments or strings' text
		for _, tk := range psScan(t, script) {
			switch tk.kind {
			case "code":
				code.WriteString(tk.text)
			case "double", "single":
				code.WriteString("'" + tk.text + "'")
			}
		}
		c := code.String()
		// Each piece is looked for after the one before it.
		pos := 0
		at := func(s string) int {
			t.Helper()
			i := strings.Index(c[pos:], s)
			if i < 0 {
				t.Fatalf("%s script lacks %q after offset %d", vp.View, s, pos)
			}
			pos += i + len(s)
			return pos - len(s)
		}
		order := []string{
			"[CmdletBinding(SupportsShouldProcess = $true)]",
			"[switch]$AllowPlaceholders",
			"if ($placeholders.Count -gt 0 -and -not $AllowPlaceholders)",
			"Nothing was changed.",
			"Get-DnsServerZone -Name $z.Name",
			"Get-DnsServerResourceRecord -ZoneName $first.Zone -Name $first.Name",
			// Only the planned types count, and a CNAME always: an AAAA a
			// server registered beside a planned A record is no difference.
			"Where-Object { $types -contains $_.RecordType -or $_.RecordType -eq 'CNAME' -or $types -contains 'CNAME' }",
			"$extra = @($present | Where-Object { $planned -notcontains $_ })",
			"present as planned, left as it is",
			"if ($differences.Count -gt 0)",
			"not as planned: $_",
			"throw",
			"$PSCmdlet.ShouldProcess($name, 'Add-DnsServerPrimaryZone (pin-point zone)')",
			"Add-DnsServerPrimaryZone -Name $name",
			"$PSCmdlet.ShouldProcess(",
			"Add-DnsServerResourceRecord @common",
		}
		for _, s := range order {
			at(s)
		}
		if n, m := strings.Count(c, "Add-DnsServer"), strings.Count(c, "ShouldProcess("); m < 2 || strings.Index(c, "Add-DnsServer") < strings.Index(c, "if ($differences.Count -gt 0)") {
			t.Errorf("%s script: %d changes, %d ShouldProcess guards; every change must come after the checks", vp.View, n, m)
		}
		for _, r := range vp.Records() {
			line := "Data = " + psQuote(strings.ToLower(r.Data()))
			ph := "Placeholder = $false"
			if r.Placeholder {
				ph = "Placeholder = $true"
			}
			if !strings.Contains(script, line+"; Ttl = "+psQuote(psTimeSpan(r.TTL))+"; "+ph) {
				t.Errorf("%s script: %s is not listed with %s", vp.View, r.String(), ph)
			}
		}
	}
	// The A/V Edge has no address: its placeholder is marked in the
	// external script, and the internal one has none.
	if !strings.Contains(PowerShell(p.External), "Data = '203.0.113.13'; Ttl = '01:00:00'; Placeholder = $true") {
		t.Error("the external script does not mark the A/V Edge's placeholder")
	}
}
