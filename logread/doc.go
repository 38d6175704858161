// Package logread reads what a Microsoft SIP client really did from its
// log: the client's UccApilog (Office Communicator 2007 R2 and Lync 2010
// in %userprofile%\Tracing, Lync 2013 and Skype for Business in
// %LOCALAPPDATA%\Microsoft\Office\15.0 or 16.0\Lync\Tracing), a server's
// SIPStack trace (the $$begin_record text OCSLogger and the Centralized
// Logging Service write), plain SIP text (a packet capture's "follow
// stream" view) and Communicator's Application event log text. It tells
// these apart from look-alikes that are no Microsoft log (a desk phone's
// syslog also says "Sending Packet").
//
// Read takes the log as a stream: memory is bounded by Limits, not by the
// size of the file — a line longer than Limits.Line, a message larger than
// Limits.Message, more messages than Limits.PerCall in one Call-ID and so
// on are cut and counted in Log.Dropped. Input in UTF-16 with a byte-order
// mark is decoded (internal/textenc); binary input is refused with a
// message that names the offset.
//
// The REGISTER exchanges a ladder keeps are parsed by sipgo's parser
// (github.com/emiago/sipgo/sip, docs/adr/0020-reading-client-logs.md);
// the rest — presence, keep-alives, instant messages, what lies beyond
// the limits — is read from its start line, Call-ID and CSeq by a
// scanner held to sipgo's result by a test (docs/adr/0029). The REGISTER
// exchanges become sign-in ladders per Call-ID (SignIn); ms-diagnostics and ms-diagnostics-public
// headers are decoded with the meanings Microsoft's [MS-OCER] publishes
// (Diagnostic); SUBSCRIBE, NOTIFY, BENOTIFY and OPTIONS are counted, not
// kept (Log.Folded).
//
// Secrets never leave Read: credentials in Authorization,
// Proxy-Authorization and Authentication-Info, the server's gssapi-data,
// web tickets and cookies are replaced before a value is stored (Redact),
// and no message body is stored at all, so instant-message text cannot
// be shown.
//
// Compare sets a log's sign-in beside sipdisco's prediction for the same
// address (an engine.Report). EncodeLink and DecodeLink make and open a
// link that carries only the redacted ladder (Ladder).
//
// What it deliberately doesn't do: read the file (the caller passes an
// io.Reader), ask DNS, guess a legacy code page, or render anything
// (package templates does).
package logread
