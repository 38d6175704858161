# sipdisco — see README.md. The two commands a newcomer needs:
#   make serve   run the product offline on the embedded demo zones
#   make test    run every test (unit, scenarios, fuzz smoke, DoH interop, browser)

GO       ?= go
BIN      := bin/sipdisco
ADDR     ?= 127.0.0.1:8080
FUZZTIME ?= 10s

.PHONY: all build serve site test test-wasm vet generate check-generated fuzz bench clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/sipdisco

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

vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./...
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt needed"; exit 1; }

test: vet check-generated
	$(GO) test -count=1 ./...
	$(MAKE) test-wasm
	$(MAKE) fuzz

# test-wasm runs the packages the browser uses, compiled to WebAssembly,
# under Node.
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./wasm ./engine/check ./templates ./engine ./engine/audit ./dohclient/zone

# fuzz runs every fuzz target briefly (a smoke run; longer runs: FUZZTIME=5m).
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParseURI$$' -fuzztime $(FUZZTIME) ./engine
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./dohclient/zone
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeResponse$$' -fuzztime $(FUZZTIME) ./dohclient

# bench reports ratios measured in one run: parallel vs sequential
# discovery over a delayed loopback DoH server, and check throughput.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 20x -count 1 ./cmd/sipdisco
	$(GO) test -count=1 -run 'TestWASMSize|TestBrowser/report_time' -v ./web | grep -E 'main.wasm|navigation|delay|report'

clean:
	rm -rf bin site
