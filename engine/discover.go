package engine

import (
	"context"
	"errors"
)

// Discover performs the discovery of cfg's profile for the sign-in address
// u and returns the report. The error is non-nil only for unusable input
// (no resolver, unknown profile, bad manual server) or a cancelled context;
// everything DNS says, including failures, is in the report.
func Discover(ctx context.Context, u URI, cfg Config) (*Report, error) {
	return nil, errors.New("not implemented yet")
}
