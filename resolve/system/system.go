package system

import (
	"context"

	"github.com/sipdisco/sipdisco/engine"
	"github.com/sipdisco/sipdisco/resolve/plain"
)

// Resolver is the machine's resolver: an engine.Resolver that can also say
// which server answered, and describe itself for a report.
type Resolver interface {
	engine.Resolver
	// Lookup answers q like Resolve and says where the answer came
	// from. Result.Server is the zero AddrPort when the system does not
	// tell (the Windows DNS client).
	Lookup(ctx context.Context, q engine.Question) (plain.Result, error)
	// String describes the resolver: "the DNS servers 10.0.0.1, 10.0.0.2
	// from /etc/resolv.conf", "the Windows DNS client".
	String() string
}

// MaxConfigBytes bounds what is read of /etc/resolv.conf and of scutil's
// output.
const MaxConfigBytes = 1 << 20
