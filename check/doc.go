// Package check is sipdisco's application layer: the one place that knows
// what the inputs of a check are, and the one function that runs it.
//
// Options holds every input of one check: the sign-in address, the client
// profile and its policy, the resolver to ask, the simulated sign-in's
// inputs and a pasted server certificate. One table of fields (Fields)
// binds each input to its command-line flag (Bind), its share-link
// parameter (Options.Query, ParseQuery) and its form control on the
// analyzer page (Form, ReadForm, FormValues), so that an input is added
// once and cannot drift between the command line, the page and its links.
// Run takes Options and an Env (the resolver, the clock, the randomness,
// and on the command line the prober that observes the real servers) and
// does the whole check: parse the address, discover, simulate the
// sign-in, judge the certificate, and compare what the real servers
// answered with the simulation. Some inputs are the command line's alone:
// plain DNS servers (GroupCommandLine), which a browser cannot ask, and
// the observation of the real servers (GroupConnect), because a browser
// cannot open TCP or TLS connections. They have flags but no form control
// or link parameter; the page shows an observation only when a snapshot
// link carries one.
//
// Options.ViewOf places a check on one side of split-brain DNS (the
// engine's Config.View) from where its answers come, unless the user says.
//
// The comparison, plan, audit and domain pages have their equivalents here
// too (CompareOptions, PlanOptions, AuditOptions, DomainOptions), with the
// file names of every download, and the snapshot links that carry a whole
// report.
//
// The package is pure, like the engine under it: no I/O, no clock, no
// global randomness; the front ends (cmd/sipdisco and wasm) turn flags or
// JavaScript values into Options, build the resolver the Options name, and
// render the Result (package templates). It does not render anything, and
// it does not know how a resolver speaks DNS.
package check
