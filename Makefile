# driftgate: make demo (offline demo on the bundled fixtures) and make test (all tests).
GO       ?= go
BIN      := bin/driftgate
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
# An execution count, not a duration: a -fuzztime duration races the fuzz
# coordinator's deadline in Go 1.26 and fails with "context deadline exceeded"
# on a loaded machine without any failing input (golang/go#75804).
FUZZTIME ?= 60000x

.PHONY: build test demo demo-live bench lint fuzz fixtures docs

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/driftgate

# All tests, then a short run of each fuzz target (longer: make fuzz FUZZTIME=2000000x).
test: lint
	@if [ -z "$$DRIFTGATE_CORPUS" ] && [ ! -d ../shared/corpus ]; then \
		echo "corpus: ../shared/corpus not found; the tests that read third-party files are skipped (set DRIFTGATE_CORPUS to run them)"; fi
	$(GO) test -count=1 ./...
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./sources/terraform
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./config
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./sources/cloudformation
	$(GO) test -run '^$$' -fuzz '^FuzzParsePCL$$' -fuzztime $(FUZZTIME) ./pcl

fuzz:
	$(MAKE) test FUZZTIME=$(FUZZTIME)

# The demo has blocking findings on purpose: exit code 1 is its expected result.
demo: build
	@mkdir -p out
	@./$(BIN) check --config fixtures/demo/.driftgate.yml \
		--sarif out/driftgate.sarif --markdown out/driftgate.md --json out/driftgate.json; \
	code=$$?; \
	if [ $$code -ne 1 ]; then echo "demo: expected exit code 1 (blocking findings), got $$code"; exit 1; fi
	@echo
	@echo "demo: exit code 1 (blocking findings, as intended); reports in out/driftgate.{sarif,md,json}"

# The same demo, read from a local sandbox that speaks CloudWatch's and STS's
# wire protocols, through the standard AWS_ENDPOINT_URL setting.
demo-live: build
	@mkdir -p out
	@$(GO) build -o bin/sandbox ./internal/cmd/sandbox
	@./bin/sandbox -snapshot fixtures/demo/live.json -- \
		./$(BIN) check --config fixtures/demo/.driftgate.yml --live aws --sweep --until 2026-11-23T12:00:00Z \
		--sarif out/driftgate-live.sarif --markdown out/driftgate-live.md --json out/driftgate-live.json; \
	code=$$?; \
	if [ $$code -ne 1 ]; then echo "demo-live: expected exit code 1 (blocking findings), got $$code"; exit 1; fi
	@echo "demo-live: exit code 1 (blocking findings, as intended); reports in out/driftgate-live.{sarif,md,json}"

bench:
	$(GO) run ./internal/cmd/bench

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

# Regenerate the demo fixture, the goldens and docs/checks after a deliberate change.
fixtures:
	$(GO) test ./internal/orggen -update
	$(GO) test ./cmd/driftgate -update
	$(GO) test ./checks -update
