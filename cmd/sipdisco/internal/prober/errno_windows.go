package prober

import (
	"errors"
	"syscall"

	"github.com/sipdisco/sipdisco/probe"
)

// Winsock error codes (WinError.h) that package syscall does not name.
const (
	wsaeNetUnreach  syscall.Errno = 10051
	wsaeConnRefused syscall.Errno = 10061
	wsaeHostUnreach syscall.Errno = 10065
)

// errnoKind classifies the Winsock error inside err, "" if none is known.
func errnoKind(err error) probe.FailureKind {
	var en syscall.Errno
	if !errors.As(err, &en) {
		return ""
	}
	switch en {
	case wsaeConnRefused:
		return probe.FailRefused
	case syscall.WSAECONNRESET, syscall.WSAECONNABORTED:
		return probe.FailReset
	case wsaeNetUnreach, wsaeHostUnreach:
		return probe.FailUnreachable
	}
	return ""
}
