package system

import (
	"fmt"

	"github.com/sipdisco/sipdisco/engine"
)

// Status codes of the Windows DNS client: DnsQuery_W's return value, as
// winerror.h defines them. DNS_ERROR_RCODE_* is 9000 plus the server's
// response code (RFC 1035 §4.1.1, RFC 6895).
const (
	winSuccess         = 0
	winInvalidName     = 123   // ERROR_INVALID_NAME
	winTimeout         = 1460  // ERROR_TIMEOUT
	winRcodeBase       = 9000  // DNS_ERROR_RESPONSE_CODES_BASE
	winFormatError     = 9001  // DNS_ERROR_RCODE_FORMAT_ERROR
	winServerFailure   = 9002  // DNS_ERROR_RCODE_SERVER_FAILURE
	winNameError       = 9003  // DNS_ERROR_RCODE_NAME_ERROR
	winRefused         = 9005  // DNS_ERROR_RCODE_REFUSED
	winRcodeLast       = 9018  // DNS_ERROR_RCODE_LAST (BADTIME)
	winNoRecords       = 9501  // DNS_INFO_NO_RECORDS
	winBadPacket       = 9502  // DNS_ERROR_BAD_PACKET
	winNoPacket        = 9503  // DNS_ERROR_NO_PACKET
	winRcode           = 9504  // DNS_ERROR_RCODE
	winInvalidNameChar = 9560  // DNS_ERROR_INVALID_NAME_CHAR
	winRecordTimedOut  = 9705  // DNS_ERROR_RECORD_TIMED_OUT
	winNoDNSServers    = 9852  // DNS_ERROR_NO_DNS_SERVERS
	winWSATimedOut     = 10060 // WSAETIMEDOUT
)

// windowsStatus maps a DnsQuery_W status to what it means for discovery:
// an answer with its response code (answer true), or a failed lookup and
// the reason (answer false). Success is NOERROR with the records
// returned; 9501, "no records found for given DNS query", is NODATA;
// 9001–9018 carry the server's response code itself: 9003 NXDOMAIN, 9002
// SERVFAIL, 9005 REFUSED (answers the engine then treats as failed
// lookups, as it does over any transport). A timeout, no configured
// server or an unreadable reply is a failure: whether the name exists is
// unknown, never "it does not".
func windowsStatus(status uint32) (rc engine.RCode, answer bool, reason string) {
	switch {
	case status == winSuccess, status == winNoRecords:
		return engine.RCodeSuccess, true, ""
	case status >= winFormatError && status <= winRcodeLast:
		return engine.RCode(status - winRcodeBase), true, ""
	}
	switch status {
	case winTimeout, winRecordTimedOut, winWSATimedOut:
		return 0, false, "timed out"
	case winNoDNSServers:
		return 0, false, "no DNS server is configured"
	case winInvalidName, winInvalidNameChar:
		return 0, false, "the name is not valid"
	case winBadPacket, winNoPacket, winRcode:
		return 0, false, "the server's reply could not be read"
	}
	return 0, false, fmt.Sprintf("error %d", status)
}
