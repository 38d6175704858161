//go:build js

package idn

import (
	"golang.org/x/net/idna"

	"github.com/sipdisco/sipdisco/engine"
)

func init() { engine.SetIDNA(idna.Lookup.ToASCII) }
