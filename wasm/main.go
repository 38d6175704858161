//go:build js && wasm

package main

import (
	"syscall/js"

	"github.com/sipdisco/sipdisco/wasm/internal/bridge"
)

func main() {
	bridge.Mark("main")
	api := js.Global().Get("Object").New()
	for name, h := range map[string]bridge.Handler{
		"check": checkFunc, "markdown": markdown, "render": render, "decodeShare": decodeShare,
		"parseQuery": parseQuery, "warm": warm,
	} {
		api.Set(name, bridge.Promise(h))
	}
	bridge.Install("sipdisco", api)
}
