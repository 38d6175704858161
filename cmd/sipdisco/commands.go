//go:build !js

package main

import (
	"context"
	"flag"
	"io"

	"github.com/sipdisco/sipdisco/check"
)

// command is one sipdisco command: its help, its flags (for help and
// completion) and how to run it.
type command struct {
	name  string
	short string // one line, for the list of commands
	usage usageText
	// flags registers the command's flags on a flag set: the same
	// registration the command itself parses with, so that help and
	// completion show every flag there is.
	flags func(fs *flag.FlagSet)
	// args says what the positional arguments complete to: "file",
	// "address", "none", or a list of words.
	args []string
	// ownHelp is set for the commands whose run function prints its own
	// help through parseFlags; run prints the others' help itself.
	ownHelp bool
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error)
}

// noCode adapts a command that only succeeds or fails.
func noCode(f func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error) func(context.Context, []string, io.Reader, io.Writer, io.Writer) (int, error) {
	return func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
		return 0, f(ctx, args, stdin, stdout, stderr)
	}
}

// Exit-status notes of the commands that report outcomes.
const (
	checkExitNote = `Exit status: 0 every address signs in without problems, 3 some address fails (with --connect: also when none of its servers answers the REGISTER in SIP), 4 some result is indeterminate (a lookup failed, so the answer is unknown) and none fails, 5 every address connects and some sign in with problems (an error or warning a user or administrator will meet, or a simulated sign-in that fails), 2 bad usage or input (a bad address is reported with the offset of the problem), 1 the check could not run (interrupted, or the output could not be written).`
	auditExitNote = `Exit status: 2 if a line is not an address (the rest are still audited), else 3 if any address fails, else 4 if any is indeterminate, else 5 if any signs in with problems, else 0; 1 the audit could not run (interrupted, or the output could not be written).`
	planExitNote  = `Exit status: 0 done, 3 with --check when some profile's outcome differs from the plan or a rule fails, 2 bad usage or input, 1 the plan could not be written (--out).`
)

// commands returns every command, in the order help lists them.
func commands() []*command {
	return []*command{
		{
			name:  "check",
			short: "run discovery and simulate the sign-in for each address",
			usage: usageText{
				Synopsis:    []string{"sipdisco check [flags] URI..."},
				Description: "Runs the client's DNS discovery for each sign-in address (sip:bob@contoso.com or bob@contoso.com) and says which server it would sign in to, and why or why not. It asks this machine's DNS, as the client does (--dns, --doh and --zone ask elsewhere); addresses under .example answer from the embedded demo zones, with no network. Then it simulates the sign-in (the REGISTER exchange, nothing sent), as the page does; --no-register leaves it out.",
				Examples: []example{
					{"A demo address: no network needed", "sipdisco check bob@healthy.example"},
					{"Inside (this machine's DNS) and outside (a public DoH resolver) side by side", "sipdisco check --compare bob@contoso.com"},
					{"Observe the real servers (nothing secret is sent) and print a link to share", "sipdisco check --connect --ca corp-root.pem --link bob@contoso.com"},
				},
				Notes: checkExitNote,
			},
			flags:   func(fs *flag.FlagSet) { new(checkFlags).register(fs) },
			ownHelp: true,
			args:    []string{"address"},
			run: func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) (int, error) {
				return runCheck(ctx, args, stdout, stderr)
			},
		},
		{
			name:  "audit",
			short: "check every address in a file (- for stdin), CSV or JSON out",
			usage: usageText{
				Synopsis:    []string{"sipdisco audit [flags] FILE"},
				Description: "Runs discovery for every sign-in address in FILE (- reads standard input): one address per line; blank lines and # comments are ignored. Writes one CSV row (or JSON object) per address, in input order, and a summary line on stderr; a progress bar on a terminal.",
				Examples: []example{
					{"", "sipdisco audit users.txt > results.csv"},
					{"From PowerShell, as JSON", "Get-Content users.txt | sipdisco audit --format json - > results.json"},
					{"Against a zone file, 16 at a time", "sipdisco audit --zone contoso.com.zone --concurrency 16 users.txt"},
				},
				Notes: auditExitNote,
			},
			flags:   func(fs *flag.FlagSet) { new(auditFlags).register(fs) },
			ownHelp: true,
			args:    []string{"file"},
			run:     runAudit,
		},
		{
			name:  "domain",
			short: "a SIP domain's records: Teams Only readiness and federation",
			usage: usageText{
				Synopsis:    []string{"sipdisco domain [flags] DOMAIN..."},
				Description: "Reports on each SIP domain rather than one user's sign-in: every record it publishes for Microsoft's SIP clients and for federation, asked at once, and where each points (Microsoft 365, an on-premises server, elsewhere, a wildcard's answer, nowhere); whether Microsoft's check lets its users switch to Teams Only (it fails when lyncdiscover is present and does not point to Microsoft 365); and its federation path (_sipfederationtls._tcp: a server under the domain, port 5061, an address). Asks this machine's DNS unless --dns, --doh or --zone say otherwise; Microsoft's check asks public DNS, so use --doh for the outside view.",
				Examples: []example{
					{"Public DNS, as Microsoft's Teams Only check sees it", "sipdisco domain --doh " + check.DefaultDoH + " contoso.com fabrikam.com"},
					{"Internal DNS: what to remove after the switch", "sipdisco domain --dns system --view inside contoso.com"},
					{"Both views, and the fixes as one PowerShell script per DNS", "sipdisco domain --compare --format powershell contoso.com"},
					{"Every SIP domain of a tenant, one per line, as JSON", "sipdisco domain --json --doh " + check.DefaultDoH + " --file domains.txt"},
					{"Observe the federation server and Autodiscover too (nothing secret is sent)", "sipdisco domain --connect contoso.com"},
				},
				Notes: domainExitNote,
			},
			flags:   func(fs *flag.FlagSet) { new(domainFlags).register(fs) },
			ownHelp: true,
			args:    []string{"none"},
			run:     runDomain,
		},
		{
			name:  "log",
			short: "a client's or server's SIP log: its sign-in beside the prediction",
			usage: usageText{
				Synopsis:    []string{"sipdisco log [flags] FILE|-"},
				Description: "Reads what a Microsoft SIP client really did from its log: a UccApilog (Communicator 2007 R2 to Skype for Business), a server's SIPStack trace ($$begin_record), plain SIP text or Communicator's event log text (- reads standard input; UTF-8 or UTF-16 with a byte-order mark). Shows each sign-in attempt as a ladder per Call-ID with time, direction and the server's ip:port, the schemes offered and chosen, redirects, the final status and every ms-diagnostics header with its meaning in Microsoft's [MS-OCER]; SUBSCRIBE, NOTIFY and OPTIONS are folded away. Then runs the check sipdisco check runs for the log's sign-in address (the client's profile taken from its User-Agent unless --profile) and says where the client agreed with the prediction. Credentials, tokens, cookies and message bodies are never shown.",
				Examples: []example{
					{"A Skype for Business client's log", `sipdisco log Lync-UccApi-0.UccApilog`},
					{"As JSON, without asking DNS", "sipdisco log --json --no-predict Communicator-uccapi-0.uccapilog"},
					{"The prediction from the outside view, as Markdown for a ticket", "sipdisco log --md --doh " + check.DefaultDoH + " Lync-UccApi-0.UccApilog"},
				},
				Notes: logExitNote,
			},
			flags:   func(fs *flag.FlagSet) { new(logFlags).register(fs) },
			ownHelp: true,
			args:    []string{"file"},
			run:     runLog,
		},
		{
			name:  "plan",
			short: "records and certificate names for a deployment",
			usage: usageText{
				Synopsis:    []string{"sipdisco plan --domain D [--domain D2...] --pool FQDN [flags]"},
				Description: "Prints the DNS records (internal and external DNS) and the certificate names a deployment needs for automatic client sign-in, TLS only unless --tcp is given. PowerShell is one script per view: the internal one runs on the internal DNS, the external one only on a public DNS server. With --check, runs every selected client profile against the generated zones, prints a matrix of outcomes and checks the rules: SRV targets that are not aliases, in their own domain, on their service's port; each view's names only in that view; every name a client connects to on its server's certificate.",
				Examples: []example{
					{"", "sipdisco plan --domain contoso.com --pool pool01.contoso.com --edge sip.contoso.com"},
					{"PowerShell for the internal DNS server (--view external: the public one)", "sipdisco plan --domain contoso.com --pool pool01.contoso.com --format powershell --view internal"},
					{"Every format into a folder, and every client checked", "sipdisco plan --domain contoso.com,fabrikam.com --pool pool01.contoso.com --out plan --check"},
				},
				Notes: planExitNote,
			},
			flags:   func(fs *flag.FlagSet) { new(planFlags).register(fs) },
			ownHelp: true,
			args:    []string{"none"},
			run: func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) (int, error) {
				return runPlan(ctx, args, stdout, stderr)
			},
		},
		{
			name:  "serve",
			short: "serve the site and a local DoH endpoint",
			usage: usageText{
				Synopsis:    []string{"sipdisco serve [flags]"},
				Description: "Serves the site, and a DNS-over-HTTPS endpoint (RFC 8484) at /dns-query that answers from the embedded demo zones or the --zone files: it is not an open resolver. Listens on loopback only unless --allow-remote.\n\nWith --upstream it asks only the questions discovery and the domain report ask, and the address of an SRV target outside the names a client builds from the domain only for the check whose SRV answer about its own domain named it: each question carries the check's ID (/dns-query?check=ID; the page draws one per check), a check is bound to the domain of its first question, and its targets, at most 32, stay askable for 2 minutes.\n\nA release binary carries the site; a development build builds it from the source tree it runs in, which takes a few seconds and needs Go.",
				Examples: []example{
					{"Then open http://127.0.0.1:8080/ and type bob@healthy.example", "sipdisco serve"},
					{"Planned zones, on another port", "sipdisco serve --addr 127.0.0.1:9090 --zone contoso.com.zone"},
					{"The inside view in the page: this machine's DNS behind /dns-query", "sipdisco serve --upstream system"},
				},
				Notes: exitStatusNote,
			},
			flags:   func(fs *flag.FlagSet) { new(serveOptions).register(fs) },
			args:    []string{"none"},
			ownHelp: true,
			run: noCode(func(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
				return runServe(ctx, args, stdout, stderr)
			}),
		},
		{
			name:  "build",
			short: "write the static site (what Netlify publishes)",
			usage: usageText{
				Synopsis:    []string{"sipdisco build [flags]"},
				Description: "Writes the static site into a folder: the pages, style sheet, scripts and the WebAssembly analyzer, with content-hashed asset names. A release binary writes the analyzer built into it; a development build compiles ./wasm of the source tree (needs Go).",
				Examples: []example{
					{"The public site, as netlify.toml publishes it", "sipdisco build --out site"},
					{"A site to serve with sipdisco serve --site site", "sipdisco build --local --out site"},
					{"With a main.wasm built elsewhere", "sipdisco build --wasm main.wasm --wasm-exec wasm_exec.js --out site"},
				},
				Notes: exitStatusNote,
			},
			flags:   func(fs *flag.FlagSet) { new(buildOptions).register(fs) },
			args:    []string{"none"},
			ownHelp: true,
			run: noCode(func(_ context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
				return runBuild(args, stdout, stderr)
			}),
		},
		{
			name:  "demo",
			short: "list the embedded demo zones",
			usage: usageText{
				Synopsis:    []string{"sipdisco demo list"},
				Description: "Lists the demo scenarios built into sipdisco: one address under .example for each, which check, audit and the served page answer from embedded zones, with no network.",
				Examples: []example{
					{"", "sipdisco demo list"},
					{"Then check one of them", "sipdisco check bob@fallback.example"},
				},
				Notes: exitStatusNote,
			},
			flags:   func(*flag.FlagSet) {},
			args:    []string{"list"},
			ownHelp: true,
			run: noCode(func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) error {
				return runDemo(args, stdout)
			}),
		},
		{
			name:  "version",
			short: "print the version, commit, Go release and build date",
			usage: usageText{
				Synopsis:    []string{"sipdisco version [--json]", "sipdisco --version", "sipdisco -v"},
				Description: "Prints the version, the commit and date it was built from, the Go release and platform, and whether the site is built in.",
				Examples: []example{
					{"", "sipdisco version"},
					{"For a script or a bug report", "sipdisco version --json"},
				},
				Notes: exitStatusNote,
			},
			flags:   func(fs *flag.FlagSet) { new(versionOptions).register(fs) },
			args:    []string{"none"},
			ownHelp: true,
			run: noCode(func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) error {
				return runVersion(args, stdout)
			}),
		},
		{
			name:  "completion",
			short: "print a shell completion script: bash, zsh, fish or powershell",
			usage: usageText{
				Synopsis:    []string{"sipdisco completion bash|zsh|fish|powershell"},
				Description: "Prints a script that completes sipdisco's commands, flags and flag values in the shell named. The script is generated from the commands themselves, so it is always current: regenerate it after an update.",
				Examples: []example{
					{"bash: this shell, or every new one", "source <(sipdisco completion bash)"},
					{"", "sipdisco completion bash > /etc/bash_completion.d/sipdisco"},
					{"zsh: into a folder on $fpath", `sipdisco completion zsh > "${fpath[1]}/_sipdisco"`},
					{"fish", "sipdisco completion fish > ~/.config/fish/completions/sipdisco.fish"},
					{"PowerShell: add this line to $PROFILE", "sipdisco completion powershell | Out-String | Invoke-Expression"},
				},
				Notes: exitStatusNote,
			},
			flags:   func(*flag.FlagSet) {},
			args:    []string{"bash", "zsh", "fish", "powershell"},
			ownHelp: true,
			run: noCode(func(_ context.Context, args []string, _ io.Reader, stdout, _ io.Writer) error {
				return runCompletion(args, stdout)
			}),
		},
	}
}

// lookupCommand returns the command called name, or nil.
func lookupCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// usageOf returns the help of the command called name.
func usageOf(name string) usageText {
	if c := lookupCommand(name); c != nil {
		return c.usage
	}
	return usageText{}
}

// flagSetOf returns a fresh flag set holding c's flags.
func (c *command) flagSet() *flag.FlagSet {
	fs := newFlagSet(c.name)
	c.flags(fs)
	return fs
}

// wantsHelp reports whether args ask c for its help: -h, -help or --help
// as a flag (not as the value of another flag, and not after --).
func (c *command) wantsHelp(args []string) bool {
	_, err := parseInterspersed(c.flagSet(), args)
	return err == flag.ErrHelp
}
