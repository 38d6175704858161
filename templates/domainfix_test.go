//go:build !firstmodule

package templates

import (
	"strings"
	"testing"

	"github.com/sipdisco/sipdisco/engine"
)

func TestFixPowerShell(t *testing.T) {
	recs := []engine.FixRecord{
		{Name: "lyncdiscover.contoso.com", TTL: 3600, Type: engine.TypeCNAME, Data: "webdir.online.lync.com.", View: engine.FixExternal, Action: engine.FixPublish},
		{Name: "_sipfederationtls._tcp.contoso.com", TTL: 3600, Type: engine.TypeSRV, Data: "100 1 5061 sipfed.online.lync.com.", View: engine.FixExternal, Action: engine.FixPublish},
		{Name: "sip.contoso.com", TTL: 3600, Type: engine.TypeA, View: engine.FixExternal, Action: engine.FixPublish, Supply: "the Access Edge server's public IPv4 address"},
		{Name: "sipinternal.contoso.com", Type: engine.TypeA, View: engine.FixInternal, Action: engine.FixDelete},
		{Name: "sip.fabrikam.com", TTL: 3600, Type: engine.TypeA, Data: "192.0.2.1", View: engine.FixExternal, Action: engine.FixPublish},
	}
	want := `# public DNS: lyncdiscover.contoso.com. 3600 IN CNAME webdir.online.lync.com.
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'lyncdiscover' -RRType A -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'lyncdiscover' -RRType AAAA -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'lyncdiscover' -RRType CNAME -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Add-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'lyncdiscover' -CName -HostNameAlias 'webdir.online.lync.com.' -TimeToLive 01:00:00
# public DNS: _sipfederationtls._tcp.contoso.com. 3600 IN SRV 100 1 5061 sipfed.online.lync.com.
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name '_sipfederationtls._tcp' -RRType SRV -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Add-DnsServerResourceRecord -ZoneName 'contoso.com' -Name '_sipfederationtls._tcp' -Srv -DomainName 'sipfed.online.lync.com.' -Priority 100 -Weight 1 -Port 5061 -TimeToLive 01:00:00
# public DNS: sip.contoso.com. 3600 IN A <the Access Edge server's public IPv4 address>
# Replace <the Access Edge server's public IPv4 address> before running the command.
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'sip' -RRType CNAME -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'sip' -RRType A -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
Add-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'sip' -A -IPv4Address '<the Access Edge server''s public IPv4 address>' -TimeToLive 01:00:00
# internal DNS: delete sipinternal.contoso.com. IN A
Get-DnsServerResourceRecord -ZoneName 'contoso.com' -Name 'sipinternal' -RRType A -ErrorAction SilentlyContinue | Remove-DnsServerResourceRecord -ZoneName 'contoso.com' -Force
# public DNS, outside the zone contoso.com: sip.fabrikam.com. 3600 IN A 192.0.2.1
`
	if got := fixPowerShell("contoso.com", recs); got != want {
		t.Errorf("fixPowerShell =\n%s\nwant\n%s", got, want)
	}
	// A name from DNS with a quote in it stays inside its string.
	got := fixPowerShell("contoso.com", []engine.FixRecord{{Name: "x'; Remove-Item C:\\ -Recurse; '.contoso.com", TTL: 60, Type: engine.TypeSRV,
		Data: "0 0 5061 a'b.contoso.com.", View: engine.FixExternal, Action: engine.FixPublish}})
	if !strings.Contains(got, `-Name 'x''; Remove-Item C:\ -Recurse; '''`) || !strings.Contains(got, `-DomainName 'a''b.contoso.com.'`) || strings.Contains(got, "; Remove-Item C:\\ -Recurse; '-") {
		t.Errorf("a quote in a name is not doubled:\n%s", got)
	}
	// Typographic quotes end a PowerShell string too; a line break in a
	// comment would start a command.
	got = fixPowerShell("contoso.com", []engine.FixRecord{{Name: "x\u2019; Remove-Item C:\\; \u2018.contoso.com", TTL: 60, Type: engine.TypeA,
		Data: "192.0.2.1", View: engine.FixExternal, Action: engine.FixPublish}, {Name: "y\nRemove-Item C:\\.contoso.com", Type: engine.TypeA, View: engine.FixInternal, Action: engine.FixDelete}})
	if !strings.Contains(got, "-Name 'x\u2019\u2019; Remove-Item C:\\; \u2018\u2018'") {
		t.Errorf("a typographic quote in a name is not doubled:\n%s", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, "Remove-Item") {
			t.Errorf("a line break in a name started a command:\n%s", got)
		}
	}
	if fixPowerShell("contoso.com", nil) != "" {
		t.Error("no records, yet a script")
	}
}
