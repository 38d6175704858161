//go:build !js && !wasip1

package system

import (
	"fmt"
	"io"
	"os"
)

// readConfig reads at most MaxConfigBytes of the file at path.
func readConfig(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxConfigBytes+1))
	if err != nil {
		return "", err
	}
	if len(b) > MaxConfigBytes {
		return "", fmt.Errorf("%s is larger than %d bytes", path, MaxConfigBytes)
	}
	return string(b), nil
}
