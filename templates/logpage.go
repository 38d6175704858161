//go:build !firstmodule

package templates

import "github.com/sipdisco/sipdisco/check"

// LogPath is the site path of the log page, served as /log/.
const LogPath = "log/index.html"

// LogView is the log page: a log to paste or drop, read in the page, and
// the resolver for the prediction set beside it.
type LogView struct {
	Page      Page
	Script    string
	Resolvers []Option
	Resolver  string
}

// NewLogView returns the log page for site offering the given resolvers
// (as the analyzer offers them) and a custom DoH URL; script is log.js's
// URL.
func NewLogView(site Site, resolvers []Resolver, script string) LogView {
	def := ""
	if len(resolvers) > 0 {
		def = resolvers[0].URL
	}
	var opts []Option
	for _, r := range resolvers {
		opts = append(opts, Option{Value: r.URL, Label: r.Label})
	}
	opts = append(opts, Option{Value: check.CustomResolver, Label: "Custom DoH URL (below)"})
	return LogView{
		Page: Page{Site: site, Title: "Read a client's log", Nav: "log",
			Description: "Paste or drop a Lync or Skype for Business client log: its sign-in, read in your browser and never uploaded, beside sipdisco's prediction."},
		Script: script, Resolvers: opts, Resolver: def,
	}
}
