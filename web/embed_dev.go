//go:build !sipdisco_site

package web

import "io/fs"

func embedded() fs.FS { return nil }
