//go:build !js

package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// zshCapture drives a real interactive zsh on a pseudo-terminal
// (zsh/zpty), loads the completion script after compinit, types $2 and
// Tab, and prints each word the completion system offers: compadd is
// wrapped to print what it adds before adding it. Then it clears the
// line and runs a command whose output (<<DONE>>, which its echo,
// <<DO""NE>>, is not) marks the end: no waiting on the clock.
const zshCapture = `setopt extendedglob
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT=''"
zpty -w z "autoload -Uz compinit && compinit -u -d $1/zcompdump && source $1/_sipdisco"
zpty -w z "bindkey '^I' complete-word"
zpty -w z "zstyle ':completion:*' list-grouped false"
zpty -w z "zstyle ':completion:*' insert-tab false"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  typeset -a __hits
  builtin compadd -A __hits "$@"
  local h; for h in $__hits; do print -r -- "<<$h>>"; done
}'
zpty -w z 'print -r -- "<<REA""DY>>"'
zpty -r z line '*<<READY>>*'
zpty -w -n z "$2"$'\t'
zpty -w -n z $'\x15'
zpty -w z 'print -r -- "<<DO""NE>>"'
zpty -r z out '*<<DONE>>*'
hits=(${${(M)${(f)out}:#*<<*>>*}//(#b)*<<(*)>>*/$match[1]})
print -r -- ${(F)hits:#(DONE|DO\"\"NE|READY|REA\"\"DY)}
zpty -d z
`

// TestCompletionZshCompletes presses Tab in a real zsh with the
// generated script loaded: commands, long and short flags, and the
// values of the field table's flags and the commands' own (profiles,
// views, colour, formats) complete.
func TestCompletionZshCompletes(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		if os.Getenv("SIPDISCO_CI") == "1" {
			t.Fatal("no zsh (SIPDISCO_CI=1 requires it): install Debian's zsh package")
		}
		t.Skip("no zsh; install Debian's zsh package")
	}
	_, script, _ := runCLI(t, "completion", "zsh")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "_sipdisco"), []byte(script), 0o644)
	os.WriteFile(filepath.Join(dir, "capture.zsh"), []byte(zshCapture), 0o644)
	// complete asks up to three times while nothing comes back: in make
	// test's race run on a loaded machine (8 December), "sipdisco audit
	// -f <Tab>" once printed nothing, and passed alone and in every other
	// run; the cause in zsh's handling of the typed keys was not found.
	// Every line below wants at least one word, so a script that
	// completes nothing still fails.
	complete := func(line string) []string {
		t.Helper()
		var words []string
		for range 3 {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			cmd := exec.CommandContext(ctx, zsh, "-f", filepath.Join(dir, "capture.zsh"), dir, line)
			cmd.Env = append(os.Environ(), "HOME="+dir)
			out, err := cmd.Output()
			cancel()
			if err != nil {
				t.Fatalf("zsh: %v\n%s", err, out)
			}
			if words = strings.Fields(string(out)); len(words) > 0 {
				break
			}
		}
		return words
	}
	for _, tt := range []struct {
		line string
		want []string
	}{
		{"sipdisco au", []string{"audit"}},
		{"sipdisco check --profile lync", profilesWith("lync")},
		{"sipdisco check -p sk", profilesWith("sk")},
		{"sipdisco check --view ", []string{"inside", "outside"}},
		{"sipdisco check --color ", []string{"always", "auto", "never"}},
		{"sipdisco check --colo", []string{"--color"}},
		{"sipdisco audit -f ", []string{"csv", "json"}},
		{"sipdisco plan --view ex", []string{"external"}},
	} {
		got := complete(tt.line)
		slices.Sort(got)
		if diff := cmp.Diff(got, slices.Sorted(slices.Values(tt.want))); diff != "" {
			t.Errorf("zsh: %s<Tab> (-got +want):\n%s", tt.line, diff)
		}
	}
	long, shorts := spellings(commands()[0].flagSet())
	if got := complete("sipdisco check -"); !contains(got, append(long, shorts...)...) {
		t.Errorf("zsh: sipdisco check -<Tab> = %v; want every flag and short name %v %v", got, long, shorts)
	}
}
