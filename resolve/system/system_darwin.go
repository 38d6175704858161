//go:build darwin

package system

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"time"
)

// scutilTimeout bounds the run of scutil --dns.
const scutilTimeout = 3 * time.Second

// New returns the system's resolver: the resolvers scutil --dns lists,
// routed by domain, with /etc/resolv.conf for names no resolver covers
// when scutil cannot be run.
func New() (Resolver, error) {
	conf, confErr := readConfig(ResolvConfPath)
	out, err := runScutil()
	if err != nil && confErr != nil {
		return nil, errors.Join(err, confErr)
	}
	return fromScutil(out, conf), nil
}

func runScutil() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), scutilTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "/usr/sbin/scutil", "--dns")
	var out bytes.Buffer
	cmd.Stdout = &limited{w: &out, n: MaxConfigBytes}
	if err := cmd.Run(); err != nil {
		return "", err
	}
	return out.String(), nil
}

// limited keeps the first n bytes written and drops the rest.
type limited struct {
	w *bytes.Buffer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
