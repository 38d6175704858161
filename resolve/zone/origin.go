package zone

import (
	"strings"

	"github.com/sipdisco/sipdisco/internal/textenc"
	"github.com/sipdisco/sipdisco/resolve/wire"
)

// zoneSuffixes are the endings people give zone files; at most one is
// removed, after an optional ".txt" (a file saved again from Notepad).
var zoneSuffixes = []string{".dns", ".zone", ".db"}

// OriginFromFileName returns the zone origin a zone file's name gives, as
// the usual conventions name them: "contoso.com.dns" (Windows DNS keeps
// each zone in %SystemRoot%\System32\dns\ORIGIN.dns), "db.contoso.com"
// (BIND's convention), "contoso.com.zone", "contoso.com.db",
// "contoso.com.dns.txt". Directories are dropped, whether written with
// "/" or "\". It returns "" when what remains is not a domain name of at
// least two labels ("planned.zone", "zone.txt").
func OriginFromFileName(file string) string {
	base := file[strings.LastIndexAny(file, `/\`)+1:]
	base = strings.ToLower(base)
	base = strings.TrimSuffix(base, ".txt")
	for _, s := range zoneSuffixes {
		if b, ok := strings.CutSuffix(base, s); ok {
			base = b
			break
		}
	}
	base = strings.TrimPrefix(base, "db.")
	if !strings.Contains(strings.Trim(base, "."), ".") {
		return ""
	}
	c, err := canonical(base)
	if err != nil || strings.Contains(c, `\`) {
		return ""
	}
	return wire.EngineName(c)
}

// GuessOrigin returns the origin to load zone text read from file with,
// when the user named none: the argument of a $ORIGIN that comes before
// every record (the file says which zone it is), else OriginFromFileName,
// else "", with which Add takes the origin from the SOA record. The text
// may be in any encoding Add accepts.
func GuessOrigin(file, text string) string {
	if t, _, err := textenc.Decode([]byte(text)); err == nil {
	lines:
		for _, line := range strings.Split(t, "\n") {
			f := strings.Fields(line)
			switch {
			case len(f) == 0 || strings.HasPrefix(f[0], ";"):
				continue
			case strings.EqualFold(f[0], "$ORIGIN") && len(f) >= 2:
				if c, err := canonical(f[1]); err == nil && c != "." && strings.HasSuffix(f[1], ".") {
					return wire.EngineName(c)
				}
			case strings.EqualFold(f[0], "$TTL"):
				continue
			}
			break lines
		}
	}
	return OriginFromFileName(file)
}
