// Package report renders a run's result: SARIF for code scanning, markdown for
// PR comments and job summaries, JSON for machines, and a terminal summary.
// Reports only render what the checks found; they never re-derive findings.
package report

import (
	"io"
	"sort"

	"github.com/driftgate/driftgate/checks"
)

// Format renders a result to a writer.
type Format interface {
	Write(w io.Writer, r *checks.Result) error
}

// Tool identity shared by the formats.
const (
	ToolName = "driftgate"
	ToolURI  = "https://github.com/driftgate/driftgate"
)

// HelpURI is the documentation page of a check.
func HelpURI(id string) string { return ToolURI + "/blob/main/docs/checks/" + id + ".md" }

// tenantLabel names the tenant of a finding, or the group of findings that
// belong to none.
func tenantLabel(t string) string {
	if t == "" {
		return "(no tenant)"
	}
	return t
}

// tenantCounts counts findings per tenant and severity, tenants sorted.
func tenantCounts(r *checks.Result) ([]string, map[string]map[checks.Severity]int) {
	counts := map[string]map[checks.Severity]int{}
	for _, f := range r.Findings {
		t := tenantLabel(f.Tenant)
		if counts[t] == nil {
			counts[t] = map[checks.Severity]int{}
		}
		counts[t][f.Severity]++
	}
	tenants := make([]string, 0, len(counts))
	for t := range counts {
		tenants = append(tenants, t)
	}
	sort.Strings(tenants)
	return tenants, counts
}
