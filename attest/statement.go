// Package attest writes and verifies driftgate's attestation: an in-toto
// Statement v1 whose subjects are every input and output of a check, with
// sha256 and BLAKE3 digests, and whose predicate records what was checked and
// the result, with a BLAKE3 checksum of every normalised alert. Statements are
// canonical JSON (RFC 8785), so the same inputs give the same bytes; they can
// be signed in a DSSE envelope with an ed25519 key. docs/attestation.md
// documents the predicate.
package attest

// In-toto and driftgate identifiers.
const (
	StatementType = "https://in-toto.io/Statement/v1"
	PredicateType = "https://github.com/driftgate/driftgate/attestation/check/v1"
	PayloadType   = "application/vnd.in-toto+json"
)

// Statement is an in-toto Statement v1.
type Statement struct {
	Type          string               `json:"_type"`
	Subject       []ResourceDescriptor `json:"subject"`
	PredicateType string               `json:"predicateType"`
	Predicate     Predicate            `json:"predicate"`
}

// ResourceDescriptor is an in-toto subject: a named artifact and its digests.
type ResourceDescriptor struct {
	Name   string            `json:"name"`
	Digest map[string]string `json:"digest"`
	// Annotations says how the digest was taken when it is not over the
	// file's bytes (the JSON report's digest leaves out its timed trace).
	Annotations map[string]string `json:"annotations,omitempty"`
}

// Predicate is driftgate's record of one check run.
type Predicate struct {
	Tool     Tool                      `json:"tool"`
	Result   string                    `json:"result"` // pass, fail or inconclusive
	FailOn   string                    `json:"failOn"`
	Checks   []string                  `json:"checks"`
	Counts   map[string]int            `json:"counts"`
	ByTenant map[string]map[string]int `json:"countsByTenant"`
	// Materials names each subject's role: plan, config, slo, live,
	// terraform-source, sarif, json-report, markdown.
	Roles map[string]string `json:"roles"`
	// Alerts maps each alert's stable identity (declared/terraform/<address>,
	// live/<account>/<region>/<name>) to "blake3:<hex>" of its normalised payload.
	Alerts map[string]string `json:"alerts"`
	// Redacted is true when account IDs, ARNs and PagerDuty IDs in names and
	// identities were replaced by hashes.
	Redacted bool `json:"redacted"`
}

// Tool names the tool that made the statement.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}
