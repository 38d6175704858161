//go:build !windows

package prober

import (
	"errors"
	"syscall"

	"github.com/sipdisco/sipdisco/probe"
)

// errnoKind classifies the system error inside err, "" if none is known.
func errnoKind(err error) probe.FailureKind {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return probe.FailRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return probe.FailReset
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return probe.FailUnreachable
	}
	return ""
}
