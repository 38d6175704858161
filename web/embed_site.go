//go:build sipdisco_site

package web

import (
	"embed"
	"io/fs"
)

// site holds what the release overlay puts under EmbedDir.
//
//go:embed dist/main.wasm.br dist/tools.wasm.br dist/wasm_exec.js
var site embed.FS

func embedded() fs.FS {
	sub, err := fs.Sub(site, EmbedDir)
	if err != nil {
		panic(err) // EmbedDir is a constant valid path
	}
	return sub
}
