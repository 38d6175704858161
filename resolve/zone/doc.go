// Package zone is an authoritative, in-memory DNS resolver built from
// zone-file text (RFC 1035 §5) as BIND and Windows DNS write it. A Set
// holds up to 32 zones and implements engine.Resolver, so discovery can run
// against a planned zone, a zone file given on the command line, or the
// embedded demo zones (Demo), with no network at all.
//
// Answers follow RFC 1034 §4.3.2 as a server that is authoritative for the
// loaded zones and recurses only into them would give them:
//
//   - names compare case-insensitively (RFC 4343);
//   - the most specific loaded zone answers; a name outside every zone is
//     REFUSED;
//   - a name that does not exist is NXDOMAIN, but a name that exists only
//     because a descendant does (an empty non-terminal) is NODATA
//     (RFC 8020 §2);
//   - a name that exists without records of the asked type is NODATA:
//     NOERROR with no records;
//   - a CNAME is returned and followed within the loaded zones, every
//     record appended in order (RFC 1034 §3.6.2, §4.3.2 step 3a), for at
//     most 8 aliases; a loop or a longer chain answers SERVFAIL with the
//     aliases found, and the final RCode is that of the last name
//     (RFC 6604 §2.1); an alias to a name outside every zone ends the
//     answer there, NOERROR with the aliases;
//   - a wildcard (RFC 4592) answers for names that do not exist below its
//     closest encloser, the records taking the asked name as owner.
//
// Zone text may carry a failure directive, a comment at the start of a line
// that other zone-file readers ignore:
//
//	;! servfail NAME [TYPE]
//	;! refused NAME [TYPE]
//
// makes questions for NAME (of TYPE, or of every type when TYPE is
// omitted) answer SERVFAIL or REFUSED, as Set.Fail does, so that a demo or
// test scenario's failing lookup lives in its zone text. NAME is taken as
// written when it ends with a dot or with the zone's origin, otherwise it is
// relative to the origin ("@" is the origin itself). Any other ";!" word is
// an error naming the line.
//
// # Zone files as people have them
//
// Zone text may come from any editor or server: UTF-8 with or without a
// byte-order mark, UTF-16 with one (what Windows PowerShell 5 writes),
// CRLF, LF or CR line ends (package internal/textenc); anything else is
// refused naming the encoding. An error about a line names every
// character on it that cannot be seen by code point and column (a second
// byte-order mark, a no-break space, a zero-width or bidirectional
// formatting character, a control character): "not a TTL" alone would
// not say that "$ORIGIN" was read as a name. Files exported from Windows DNS
// ("%SystemRoot%\System32\dns\contoso.com.dns") load as they are: the
// [AGE:n] aging stamp Windows writes before the TTL of dynamically
// registered records is ignored, "@" and relative names mean what RFC 1035
// §5.1 says, and WINS and WINS-R records (Windows's own types) are kept
// as records of an unknown type (RFC 3597) with a note (Set.Notes).
// OriginFromFileName and GuessOrigin derive the origin such files do not
// state from their names.
//
// Loading is bounded and strict: at most 16 MiB of text and 500,000
// records per zone, 1,000,000 records per Set; $INCLUDE is refused; every
// error names the file and line, in words: an unknown $ directive, an
// unbalanced parenthesis or quote, binary data, a bracketed token other
// than [AGE:n]; records outside the zone, and a CNAME beside other data
// at one name (RFC 1034 §3.6.2, RFC 2181 §10.1), are errors. Duplicate
// records are dropped (RFC 2181 §5). A record without a TTL and with no
// $TTL or earlier TTL before it gets 3600 seconds.
//
// A loaded zone keeps about 4 MB per MiB of zone text (a Windows export of
// 100,000 records in 5 MiB keeps about 20 MB), and answers in the same
// time whatever its size; BenchmarkLargeZone measures both.
//
// What it deliberately does not do: answer over the wire (dohclient's
// handler does that with a Set as its resolver), delegate (NS records below
// the apex are ordinary data, not zone cuts), rewrite with DNAME (RFC 6672;
// a DNAME is ordinary data), fill authority or additional sections, or
// DNSSEC. Answers carry only the record types engine models
// (A, AAAA, CNAME, SRV, TXT), converted by wire.ToRecord; a question
// for another type that exists at a name is answered NOERROR with no
// records.
package zone
