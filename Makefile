# driftgate: make demo (offline demo on the bundled fixtures) and make test (all tests).
GO       ?= go
BIN      := bin/driftgate
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
# An execution count, not a duration: a -fuzztime duration races the fuzz
# coordinator's deadline in Go 1.26 and fails with "context deadline exceeded"
# on a loaded machine without any failing input (golang/go#75804).
FUZZTIME ?= 60000x

.PHONY: build test demo demo-live demo-audit demo-audit-live bench lint fuzz fixtures docs

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

# The nightly audit of twelve tenants without IaC (fixtures/audit): live state,
# the SloRegistry table and the alert_rules table as a snapshot recorded them,
# compared with the last audit's attestation; the new attestation is signed
# with a throwaway demo key (out/audit-demo-key.pem) and verified.
AUDIT := --config fixtures/audit/.driftgate.yml --baseline fixtures/audit/baseline.intoto.json \
	--attestation out/audit.intoto.json --signing-key out/audit-demo-key.pem
demo-audit: build
	@mkdir -p out
	@$(GO) run ./internal/cmd/keygen out/audit-demo-key.pem
	@./$(BIN) check $(AUDIT) --sarif out/audit.sarif --markdown out/audit.md --json out/audit.json; \
	code=$$?; \
	if [ $$code -ne 1 ]; then echo "demo-audit: expected exit code 1 (blocking findings), got $$code"; exit 1; fi
	@./$(BIN) verify out/audit.intoto.json --key out/audit-demo-key.pub.pem out/audit.json out/audit.sarif fixtures/audit/.driftgate.yml
	@echo "demo-audit: exit code 1 (blocking findings, as intended); reports in out/audit.{sarif,md,json}, signed attestation out/audit.intoto.json (verified)"

# The same audit read live: CloudWatch, DynamoDB and PagerDuty from the local
# sandbox, the alert_rules table from a throwaway PostgreSQL server (Debian's
# postgresql package) loaded with fixtures/audit/alert_rules.sql.
demo-audit-live: build
	@mkdir -p out
	@$(GO) build -o bin/sandbox ./internal/cmd/sandbox
	@$(GO) run ./internal/cmd/keygen out/audit-demo-key.pem
	@./bin/sandbox -snapshot fixtures/audit/live.json -postgres-sql fixtures/audit/alert_rules.sql -postgres-env DRIFTGATE_AUDIT_RULES_DSN -- \
		./$(BIN) check $(AUDIT) --live aws --sweep --no-evidence \
		--sarif out/audit-live.sarif --markdown out/audit-live.md --json out/audit-live.json; \
	code=$$?; \
	if [ $$code -ne 1 ]; then echo "demo-audit-live: expected exit code 1 (blocking findings), got $$code"; exit 1; fi
	@echo "demo-audit-live: exit code 1 (blocking findings, as intended); reports in out/audit-live.{sarif,md,json}"

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
