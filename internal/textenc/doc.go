// Package textenc turns the bytes of a text file a person gives sipdisco —
// a zone file, a list of addresses — into UTF-8 text with LF line ends,
// accepting the encodings Windows tools really write and naming any other.
//
// Accepted: UTF-8, with or without the byte-order mark Notepad writes;
// UTF-16 (little or big endian) with a byte-order mark, what Windows
// PowerShell 5's Out-File and ">" write by default; line ends CRLF
// (Windows), LF, and a lone CR (classic Mac OS). Refused with a message
// that names the encoding and the fix: UTF-32, UTF-16 without a
// byte-order mark, bytes that are not UTF-8 (a legacy code page such as
// Windows-1252), binary data (NUL and other control bytes), and the file
// formats people save text in by mistake (an Excel workbook, a ZIP or
// gzip archive, a PDF).
//
// Decode reads a whole input and checks all of it, naming the line of the
// first problem (zone files). NewReader streams an input read a line at a
// time (address lists), refusing from its first 512 bytes what cannot be
// text and leaving the lines to report bytes that are not UTF-8.
//
// Escape goes the other way, for text sipdisco prints: whatever the bytes
// (from DNS, a server or the user), it returns UTF-8 with every control
// character, byte that is not UTF-8 and bidirectional formatting character
// written as an escape, which a terminal shows and does not obey.
// EscapeBidi does the last alone, for HTML.
//
// What it deliberately doesn't do: guess a legacy code page and convert
// from it (a wrong guess silently changes names), or accept control
// characters other than TAB in text.
package textenc
