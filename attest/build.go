package attest

import (
	"fmt"
	"sort"

	"github.com/driftgate/driftgate/checks"
)

// File is an input or output of the run, to become a subject.
type File struct {
	Name string // as reported (relative to the repository root)
	Path string // where to read it
	Role string
	// Data, when set, is what to digest instead of reading Path: the
	// canonical content of a source that is not a file (a table's rows).
	Data []byte
}

// Options control the statement.
type Options struct {
	// Redact, when set, hashes account IDs, ARNs and PagerDuty IDs.
	Redact *Redactor
}

// Build makes the canonical statement of a run. It reads every file to
// digest it; the result's alert checksums come from AlertDigests.
func Build(r *checks.Result, alerts map[string]string, files []File, opts Options) ([]byte, error) {
	st := Statement{Type: StatementType, PredicateType: PredicateType, Predicate: Predicate{
		Tool: Tool{Name: "driftgate", Version: r.Version}, Result: string(r.Status()), FailOn: r.FailOn.String(),
		Counts: r.Counts(), ByTenant: map[string]map[string]int{}, Roles: map[string]string{}, Alerts: map[string]string{},
		Redacted: opts.Redact != nil,
	}}
	name := func(s string) string {
		if opts.Redact != nil {
			return opts.Redact.Redact(s)
		}
		return s
	}
	for _, c := range r.Checks {
		st.Predicate.Checks = append(st.Predicate.Checks, c.ID)
	}
	for _, f := range r.Findings {
		t := f.Tenant
		if st.Predicate.ByTenant[t] == nil {
			st.Predicate.ByTenant[t] = map[string]int{}
		}
		st.Predicate.ByTenant[t][f.Severity.String()]++
	}
	for id, sum := range alerts {
		st.Predicate.Alerts[name(id)] = sum
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] {
			continue
		}
		seen[f.Name] = true
		var s ResourceDescriptor
		var err error
		if f.Data != nil {
			s, err = Subject(name(f.Name), f.Role, f.Data)
		} else {
			s, err = subjectOfFile(name(f.Name), f.Role, f.Path)
		}
		if err != nil {
			return nil, fmt.Errorf("digesting %s: %w", f.Name, err)
		}
		st.Subject = append(st.Subject, s)
		st.Predicate.Roles[s.Name] = f.Role
	}
	sort.Slice(st.Subject, func(i, j int) bool { return st.Subject[i].Name < st.Subject[j].Name })
	return Canonical(st)
}
