//go:build !windows && !darwin && !js && !wasip1

package system

import "fmt"

// New returns the system's resolver: the servers of /etc/resolv.conf.
func New() (Resolver, error) {
	text, err := readConfig(ResolvConfPath)
	if err != nil {
		return nil, fmt.Errorf("the system's DNS servers: %w", err)
	}
	return fromResolvConf(text, ResolvConfPath), nil
}
