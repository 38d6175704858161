package signin

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
)

// serverForm is what the simulation knows of the server generation a
// client signs in to: its product, the [MS-SIPAE] version it implements,
// its Server header and the forms of its headers.
type serverForm struct {
	Product string
	// Version is the version parameter of the server's challenges: "3 if
	// the server implements version 3 of this protocol or 4 if the server
	// implements version 4" ([MS-SIPAE] §3.3.5.1): chosen by the server,
	// and the client answers in it.
	Version int
	// Software is the Server header of its responses.
	Software string
	// LyncOrder: Authentication-Info as Lync-era servers write it (qop,
	// opaque, srand, snum, rspauth, targetname, realm, version=4, from a
	// Lync Server 2013 trace) rather than as OCS does (rspauth first, no
	// version, from the MS-SIPE example and an OCS 2007 R2 trace).
	LyncOrder bool
	// GRUU: the 200 OK's Contact carries the gruu the registrar made
	// ([MS-SIPRE] §3.4), as in the OCS 2007 R2 trace; the OCS 2007 example
	// of MS-SIPE has none.
	GRUU bool
	// Unverified lists what of this form no public trace shows for this
	// server.
	Unverified []string
}

// serverForms are the server generations each client profile signs in
// to, by profile name. OCS 2007 R2 implements version 4, so R2's final
// NTLM REGISTER is signed: an Office Communicator 2007 R2 to OCS 2007 R2
// trace kept in the open-source SIPE client's tests shows version=4,
// crand, cnum and response, and Server: RTC/3.5. The MS-SIPE example kept
// by the same tests shows OCS 2007's version 3 and RTC/3.0; a Lync Server
// 2013 trace shows version 4 and RTC/5.0.
var serverForms = map[string]serverForm{
	"communicator-2007":    {Product: "Office Communications Server 2007", Version: 3, Software: "RTC/3.0"},
	"communicator-2007-r2": {Product: "Office Communications Server 2007 R2", Version: 4, Software: "RTC/3.5", GRUU: true},
	"lync-2010": {Product: "Lync Server 2010", Version: 4, Software: "RTC/4.0", LyncOrder: true, GRUU: true,
		Unverified: []string{"Lync Server 2010's Server header (RTC/4.0) and header order (those of the Lync Server 2013 trace)"}},
	"lync-2010-cu": {Product: "Lync Server 2010", Version: 4, Software: "RTC/4.0", LyncOrder: true, GRUU: true,
		Unverified: []string{"Lync Server 2010's Server header (RTC/4.0) and header order (those of the Lync Server 2013 trace)"}},
	"lync-2013": {Product: "Lync Server 2013", Version: 4, Software: "RTC/5.0", LyncOrder: true, GRUU: true},
	// Skype for Business Server 2015/2019/Subscription Edition: [MS-SIPAE]
	// version 4 with TLS-DSK as in the Lync Server 2013 trace.
	"skype-2016": {Product: "Skype for Business Server", Version: 4, Software: "RTC/6.0", LyncOrder: true, GRUU: true,
		Unverified: []string{"Skype for Business Server's Server header (RTC/6.0) and header order (those of the Lync Server 2013 trace)"}},
}

// serverFormOf returns the server form for a client profile (every
// profile has one: TestFormsCoverProfiles), version overriding the
// challenge version when it is not 0.
func serverFormOf(profile string, version int) serverForm {
	f := serverForms[profile]
	if version != 0 && version != f.Version {
		f.Version = version
		f.Unverified = append(f.Unverified[:len(f.Unverified):len(f.Unverified)], fmt.Sprintf("%s answering in version %d", f.Product, version))
	}
	return f
}

// contactForm says how a client writes its REGISTER's Contact: with the
// ms-opaque URI parameter and the methods it accepts, as Office
// Communicator 2007 R2 does in the SIPE trace and [MS-SIPRE] §4.2's
// example, or plain, as the Office Communicator 2007 client of
// [MS-SIPAE] §4.1's example does.
type contactForm struct {
	Opaque     bool
	Unverified []string
}

var contactForms = map[string]contactForm{
	"communicator-2007":    {},
	"communicator-2007-r2": {Opaque: true},
	"lync-2010":            {Opaque: true, Unverified: []string{"Lync's Contact (written as Communicator 2007 R2 writes it, with ms-opaque and methods)"}},
	"lync-2010-cu":         {Opaque: true, Unverified: []string{"Lync's Contact (written as Communicator 2007 R2 writes it, with ms-opaque and methods)"}},
	"lync-2013":            {Opaque: true, Unverified: []string{"Lync's Contact (written as Communicator 2007 R2 writes it, with ms-opaque and methods)"}},
	"skype-2016":           {Opaque: true, Unverified: []string{"Skype for Business's Contact (written as Communicator 2007 R2 writes it, with ms-opaque and methods)"}},
}

// contactMethods are the methods a Communicator 2007 R2 Contact lists
// ([MS-SIPRE] §4.2; the SIPE trace).
const contactMethods = "INVITE, MESSAGE, INFO, OPTIONS, BYE, CANCEL, NOTIFY, ACK, REFER, BENOTIFY"

// epidNamespace is the name-space UUID fcacfb03-8a73-46ef-91b1-e5ebeeaba4fe
// of [MS-SIPRE] §3.3.3, as the bytes §4.2's example hashes: the GUID in
// its little-endian memory layout.
var epidNamespace = [16]byte{0x03, 0xfb, 0xac, 0xfc, 0x73, 0x8a, 0xef, 0x46, 0x91, 0xb1, 0xe5, 0xeb, 0xee, 0xab, 0xa4, 0xfe}

// instanceBytes returns the +sip.instance UUID of an endpoint identifier
// as GUID bytes (little-endian fields): the name-based UUID of [MS-SIPRE]
// §3.3.3, the SHA-1 of the name-space bytes and the epid's characters,
// its first 16 bytes read as a GUID, with version 5 and the RFC 4122
// variant set. [MS-SIPRE] §4.2: epid 01010101 gives
// 4b1682a8-f968-5701-83fc-7c6741dc6697.
func instanceBytes(epid string) [16]byte {
	sum := sha1Sum(epidNamespace[:], []byte(epid))
	var g [16]byte
	copy(g[:], sum[:])
	v := binary.LittleEndian.Uint16(g[6:8])&0x0fff | 0x5000
	binary.LittleEndian.PutUint16(g[6:8], v)
	g[8] = g[8]&0x3f | 0x80
	return g
}

// instanceOf returns the UUID of instanceBytes in its 8-4-4-4-12 form,
// upper case as Communicator writes it in a REGISTER, or lower case as the
// registrar echoes it.
func instanceOf(epid string, upper bool) string {
	g := instanceBytes(epid)
	s := fmt.Sprintf("%08x-%04x-%04x-%s-%s", binary.LittleEndian.Uint32(g[0:4]), binary.LittleEndian.Uint16(g[4:6]),
		binary.LittleEndian.Uint16(g[6:8]), hex.EncodeToString(g[8:10]), hex.EncodeToString(g[10:16]))
	if upper {
		return strings.ToUpper(s)
	}
	return s
}

// gruuOf returns the GRUU a registrar gives the endpoint epid of address
// aor, in the form of the OCS 2007 R2 trace: the address with
// opaque=user:epid: and the instance's GUID bytes and two zero bytes in
// base64url, and the gruu parameter.
func gruuOf(aor address, epid string) string {
	g := instanceBytes(epid)
	return fmt.Sprintf("%s;opaque=user:epid:%s;gruu", aor, base64.RawURLEncoding.EncodeToString(append(g[:], 0, 0)))
}

// kerberosMIC is the framing of a Kerberos message signature: a GSS-API
// MIC token of RFC 4757 (RC4-HMAC) inside RFC 2743's InitialContextToken
// header, as SIPE documents one; the sequence number and checksum follow.
const kerberosMIC = "602306092A864886F71201020201011100FFFFFFFF"

// signature returns a message signature of protocol proto drawn from the
// IDs source: NTLM's 16-byte signature (version 1), Kerberos's MIC token,
// TLS-DSK's HMAC-SHA1 (20 bytes).
func (s *sim) signature(proto string) string {
	v := s.next(Signature)
	switch proto {
	case NTLM:
		return "0100000000000000" + last(v, 16)
	case Kerberos:
		return kerberosMIC + last(v, 32)
	}
	return v
}

// salt returns an 8-hex-digit srand or crand.
func (s *sim) salt() string { return last(s.next(Signature), 8) }
