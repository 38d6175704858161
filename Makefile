# sipdisco — see README.md. The two commands a newcomer needs:
#   make serve   run the product offline on the embedded demo zones
#   make test    run every test (unit, scenarios, fuzz smoke, DoH interop, browser)

GO       ?= go
BIN      := bin/sipdisco
ADDR     ?= 127.0.0.1:8080
# FUZZTIME is a count of executions per target: Go 1.26's fuzzer can fail a
# time-limited run with "context deadline exceeded" when the limit expires
# while a worker is busy (go.dev/issue/75804, fixed in Go 1.27); a count has
# no deadline to race. FUZZTIME=5m still works for a long local run.
FUZZTIME ?= 20000x

.PHONY: all build serve site test test-go test-web test-race test-wasm vet staticcheck vulncheck cover generate check-generated fuzz bench clean release release-host release-goreleaser

all: build

# build is a development build: it builds the site from this source tree
# when serve or build needs it (release binaries carry the site).
build:
	$(GO) build -o $(BIN) ./cmd/sipdisco

# release cross-builds the release binaries (linux, darwin, windows on
# amd64 and arm64; CGO_ENABLED=0, -trimpath, version from git describe)
# with the site built in, and writes dist/: archives named as GoReleaser
# names them and SHA256SUMS. About eight minutes on two cores.
release:
	$(GO) run ./cmd/release -out dist

# release-host builds only this machine's release binary into dist/.
release-host:
	$(GO) run ./cmd/release -out dist -targets host

# release-goreleaser makes the same release with GoReleaser
# (.goreleaser.yaml), as a snapshot that publishes nothing. The first run
# compiles GoReleaser (several minutes); v2.17.0 is the newest release that
# builds with this module's Go 1.26.
GORELEASER ?= $(GO) run github.com/goreleaser/goreleaser/v2@v2.17.0
release-goreleaser:
	$(GORELEASER) release --snapshot --clean

# serve builds the site (pages + WebAssembly) into a temporary folder and
# serves it with /dns-query answering from the embedded demo zones.
serve: build
	./$(BIN) serve --addr $(ADDR)

# site writes the public static site into site/ (netlify.toml runs this).
site:
	$(GO) run ./cmd/sipdisco build --out site

generate:
	$(GO) tool templ generate -path templates

# check-generated fails when the committed *_templ.go files are stale.
check-generated:
	@if ls templates/*.templ >/dev/null 2>&1; then \
		$(GO) tool templ generate -path templates >/dev/null && \
		git diff --exit-code -- '*_templ.go' || { echo "generated templ code is stale: run make generate and commit"; exit 1; }; \
	fi

# WASMWORK is the workspace the WebAssembly modules are built in: templ's
# runtime replaced by the stand-in internal/templshim (see web.WASMWork).
WASMWORK := $(CURDIR)/wasm/wasm.work

# vet checks every platform the product ships for: Linux (here), the
# browser (js/wasm), Windows and macOS, and builds the CLI for the last two
# (their system-resolver code is compiled only there).
vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) vet ./wasm/... ./templates/...
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) vet -tags firstmodule ./wasm ./engine ./templates
	cd internal/templshim && GOWORK=off $(GO) vet ./...
	GOOS=windows $(GO) vet ./...
	GOOS=darwin $(GO) vet ./...
	GOOS=windows $(GO) build -o /dev/null ./cmd/sipdisco
	GOOS=darwin $(GO) build -o /dev/null ./cmd/sipdisco
	@files=$$(gofmt -l .) && test -z "$$files" || { echo "$$files"; echo "gofmt needed"; exit 1; }
	$(MAKE) staticcheck

# staticcheck runs the pinned staticcheck (a tool line in go.mod, so the
# module proxy is all it needs); any finding fails.
staticcheck:
	$(GO) tool staticcheck ./...

# vulncheck reports known vulnerabilities in the code this module calls,
# with the pinned govulncheck. It downloads the Go vulnerability database
# on every run, so it needs that database's server on the network; CI and
# this machine reach the package registries only, so make test does not
# run it.
vulncheck:
	$(GO) tool govulncheck ./...

# Test time limits: go test -timeout bounds one package's test binary.
# Measured in a full make test on two cores shared with three other
# builds (load average 15-18; README, "Tests and measurements"): most
# packages take under 3 s (TIMEOUT); SLOW_PKGS, which start real DNS, DoH
# and SIP servers, load large zones or build binaries, up to 35 s (plan
# 28 s, resolve/zone 34 s); web, which builds both modules and the CLI,
# drives Chromium and builds a release archive, 222 s beside the other
# jobs (439 s on 8 December 2026, with the link walk, the report heights
# and the log page; 350-370 s once the link walk used three tabs). Each
# limit is at least three times that, so that a loaded machine stays
# well inside it, and a hung test still ends.
TIMEOUT      ?= 2m
SLOW_TIMEOUT ?= 4m
WEB_TIMEOUT  ?= 22m
MODULE       := github.com/sipdisco/sipdisco
SLOW_PKGS    := $(addprefix $(MODULE)/,check/snapshot cmd/sipdisco cmd/sipdisco/internal/prober dohclient plan resolve/plain resolve/upstream resolve/zone templates)
WEB_PKGS     := $(MODULE)/web

# RACE_PKGS run a second time under the race detector (2-10 times slower):
# the packages that start goroutines or share state between them
# (engine's parallel rounds, audit's bounded workers, the zone resolver's
# lock, the upstream filter, plain DNS's tries, the DoH handler, serve and
# audit in the CLI, the prober's scripted servers). web runs with -short:
# its Go code (the site's parallel precompression, the handler) without
# the browser suite, which is the slowest package already and whose Go
# side only waits for Chromium. RACE_SKIP: resolve/zone's
# TestSetRecordLimit loads a million records in one goroutine, so the
# race detector has nothing to watch there, and makes it take 90 s
# instead of 14. cmd/sipdisco's TestStateWalkCLI and TestNoSeedInUserText
# run the CLI one address at a time (300 and 150 runs) to read its words
# and states; the tests beside them drive the same goroutines, so under
# the race detector the walks only added 22 s and 10 s. Measured beside
# the web tests: resolve/zone 99 s (its TestZoneAndDoHAgree, discovery
# over loopback DoH, is most of it), cmd/sipdisco 29 s, web -short 30 s,
# the rest under 15 s.
RACE_PKGS    := $(addprefix $(MODULE)/,audit engine resolve/zone resolve/upstream resolve/plain dohclient dohclient/server cmd/sipdisco cmd/sipdisco/internal/prober)
RACE_SKIP    := ^(TestSetRecordLimit|TestStateWalkCLI|TestNoSeedInUserText)$$
RACE_TIMEOUT ?= 6m

# test checks the code, then runs the tests two jobs at a time: the web
# package (about half of it waiting for Chromium) beside the other
# packages, then the race, WebAssembly and fuzz runs; -O prints each
# job's output whole when it ends.
test: vet check-generated
	$(MAKE) -j 2 -O test-web test-go test-race test-wasm fuzz

# test-go runs the tests of every package but web, each package with its
# time limit; test-web runs web's.
test-go:
	$(GO) test -count=1 -timeout $(TIMEOUT) $(filter-out $(SLOW_PKGS) $(WEB_PKGS),$(shell $(GO) list ./...))
	$(GO) test -count=1 -timeout $(SLOW_TIMEOUT) $(SLOW_PKGS)
test-web:
	$(GO) test -count=1 -timeout $(WEB_TIMEOUT) $(WEB_PKGS)

# test-race runs RACE_PKGS, and web with -short, under the race detector.
test-race:
	$(GO) test -race -count=1 -timeout $(RACE_TIMEOUT) -skip '$(RACE_SKIP)' $(RACE_PKGS)
	$(GO) test -race -short -count=1 -timeout $(RACE_TIMEOUT) $(WEB_PKGS)

# cover prints each package's statement coverage by its own tests (go
# test's "coverage:" lines) and the total over the module (the last line
# of go tool cover -func); COVERPROFILE keeps the profile (go tool cover
# -func=cover.out lists every function, -html=cover.out shows the lines).
COVERPROFILE ?= cover.out
cover:
	$(GO) test -count=1 -timeout $(WEB_TIMEOUT) -coverprofile=$(COVERPROFILE) ./...
	@$(GO) tool cover -func=$(COVERPROFILE) | tail -n 1

# test-wasm runs the packages the browser uses, compiled to WebAssembly as
# the modules are (in WASMWORK), under Node: the first module's package
# with the tag it is built with (firstmodule, web.FirstModuleTags), the
# rest without it, as the second module and the tests of what the tag
# leaves out need. The slowest, check/snapshot (every bit flip of two
# links decoded through Node's Compression Streams), took 72 s in a full
# make test and 132 s beside other builds; WASM_TIMEOUT is well above.
WASM_TIMEOUT ?= 6m
test-wasm:
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout $(WASM_TIMEOUT) -tags firstmodule -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) test -count=1 -timeout $(WASM_TIMEOUT) -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm/tools ./wasm/internal/... ./check/... ./templates ./engine ./audit ./resolve/zone ./dohclient

# fuzz runs every fuzz target of the module briefly (a smoke run of
# FUZZTIME executions each; longer runs: FUZZTIME=5m). The targets are found with go test -list, so a new
# one runs without editing this file; go test -fuzz takes one target and
# one package at a time.
fuzz:
	@list=$$($(GO) test -list '^Fuzz' ./...) || { echo "$$list"; exit 1; }; \
	targets=$$(echo "$$list" | awk '/^Fuzz/ { name[n++] = $$1; next } /^ok/ { for (i = 0; i < n; i++) print $$2 " " name[i]; n = 0 }'); \
	test -n "$$targets" || { echo "no fuzz targets found"; exit 1; }; \
	echo "$$targets" | while read pkg name; do \
		echo "fuzz: $$name in $$pkg, $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done
	@echo "fuzz: the snapshot target's seeds and mutations, compiled to WebAssembly under Node"
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" -run '^(FuzzSnapshot|TestSnapshotMutations)$$' ./templates

# BASELINE is the build the first-load benchmark compares with: the last
# commit of main with one WebAssembly module, served gzip (ADR 0005).
BASELINE ?= efe427bd1ed39bd0657955b108172a229e57fad0

# bench reports ratios measured in one run: parallel vs sequential
# discovery over a delayed loopback DoH server and over plain DNS (nsd
# behind a delaying forwarder, with and without its additional section),
# audit --per-address against a replay of its questions on a local
# unbound (BenchmarkAuditPlainReplay, one iteration: about 30 s), check
# throughput, audit's peak heap at 100k and 300k lines
# (BenchmarkAuditMemory; its doc comment gives the 1M/3M run), the load
# time,
# memory and answer time of a 5 MiB zone, the log reader against reading
# the file and against its bare line loop, at 10 and 50 MB, natively and
# in WebAssembly under Node (BenchmarkRead), the two modules' sizes (raw,
# gzip, brotli) and the first module's dependencies, and, in Chromium,
# the web package's benchmarks: the first load of a shared link at
# 10 Mbit/s + 40 ms and 1.6 Mbit/s + 150 ms against BASELINE
# (BenchmarkFirstLoad: medians of 5 cold loads each, alternating, through
# a network-emulating proxy), the first check of a fresh module against
# the next (BenchmarkFirstCheck), a report through a resolver that
# takes 250 ms per answer (BenchmarkSlowResolver) and the largest
# snapshot link against a real one (BenchmarkSnapshotRender); and the time to
# verdict of a share link unthrottled, at 10 Mbit/s + 40 ms and at
# 1.6 Mbit/s + 150 ms with 4x CPU, first and repeat visit, against a
# plain-JS page asking the same DoH questions and against the Go floor
# (BenchmarkTimeToVerdict, 3 loads of each, medians, with where the time
# goes phase by phase), and what Chromium's code cache and V8's lazy
# compilation do with the first module in a new renderer process
# (BenchmarkWASMCodeCache).
bench:
	$(GO) test -run '^$$' -bench . -skip AuditPlainReplay -benchtime 20x -count 1 ./cmd/sipdisco
	$(GO) test -run '^$$' -bench AuditPlainReplay -benchtime 1x -count 1 ./cmd/sipdisco
	$(GO) test -run '^$$' -bench . -benchtime 20x -count 1 ./cmd/sipdisco/internal/prober | grep -E 'Benchmark|server:'
	$(GO) test -run '^$$' -bench . -benchtime 20x -count 1 ./resolve/plain
	$(GO) test -run '^$$' -bench LargeZone -benchtime 3x -count 1 ./resolve/zone
	$(GO) test -run '^$$' -bench CheckAll -benchtime 2x -count 1 ./domainreport
	$(GO) test -run '^$$' -bench BenchmarkRead -benchtime 3x -count 1 ./logread
	GOWORK=$(WASMWORK) GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench BenchmarkRead -benchtime 2x -count 1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./logread
	$(GO) test -count=1 -run 'TestWASMSize|TestFirstModuleDependencies' -v ./web | grep -E 'main.wasm|tools.wasm|first-load dependencies'
	@echo "time to verdict of a share link against a plain-JS page and the Go floor (an empty Go module), first and repeat visit, in one run:"
	$(GO) test -count=1 -timeout 20m -run '^$$' -bench '^BenchmarkTimeToVerdict$$' -benchtime 3x ./web
	@echo "the first module's compiled code between visits in new renderer processes (Chromium's code cache) and its lazy compilation:"
	$(GO) test -count=1 -timeout 10m -run '^$$' -bench '^BenchmarkWASMCodeCache$$' -benchtime 3x ./web
	@echo "web benchmarks, this build against $(BASELINE) (one module, served gzip) where a baseline is named, in one run:"
	@tree=$$(mktemp -d) && git archive $(BASELINE) | tar -x -C $$tree && \
	SIPDISCO_BASELINE=$$tree $(GO) test -count=1 -timeout 30m -run '^$$' -bench '^Benchmark(FirstLoad|FirstCheck|SlowResolver|SnapshotRender)$$' -benchtime 5x ./web; \
	status=$$?; rm -rf $$tree; exit $$status

clean:
	rm -rf bin site dist $(COVERPROFILE)
