package attest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

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
	// Digest, when set, is the file's digests taken earlier (DigestFile).
	Digest map[string]string
}

// DigestFile digests a file as Build would, for a run to take its inputs'
// digests while it works on something else (File.Digest); nil when the file
// cannot be read (Build reads it again and says why) or its role needs its
// whole content (a JSON report).
func DigestFile(path, role string) map[string]string {
	if role == "json-report" {
		return nil
	}
	s, err := subjectOfFile(path, role, path)
	if err != nil {
		return nil
	}
	return s.Digest
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
		Counts: r.Counts(), ByTenant: map[string]map[string]int{}, Roles: map[string]string{},
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
	if opts.Redact == nil && alerts != nil {
		st.Predicate.Alerts = alerts // read, never written: no copy of tens of thousands
	} else {
		st.Predicate.Alerts = make(map[string]string, len(alerts))
		for id, sum := range alerts {
			st.Predicate.Alerts[name(id)] = sum
		}
	}
	// Files are digested side by side, as many at once as there are CPUs.
	seen := map[string]bool{}
	var unique []File
	for _, f := range files {
		if !seen[f.Name] {
			seen[f.Name] = true
			unique = append(unique, f)
		}
	}
	subjects := make([]ResourceDescriptor, len(unique))
	errs := make([]error, len(unique))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range unique {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			var err error
			switch {
			case f.Digest != nil:
				subjects[i] = ResourceDescriptor{Name: name(f.Name), Digest: f.Digest}
			case f.Data != nil:
				subjects[i], err = Subject(name(f.Name), f.Role, f.Data)
			default:
				subjects[i], err = subjectOfFile(name(f.Name), f.Role, f.Path)
			}
			if err != nil {
				errs[i] = fmt.Errorf("digesting %s: %w", f.Name, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, s := range subjects {
		st.Subject = append(st.Subject, s)
		st.Predicate.Roles[s.Name] = unique[i].Role
	}
	sort.Slice(st.Subject, func(i, j int) bool { return st.Subject[i].Name < st.Subject[j].Name })
	return canonicalStatement(st)
}

// canonicalStatement is Canonical(st), with the alert checksums (thousands
// of them) written in one pass instead of marshalled and re-parsed. The rest
// goes through JCS; "alerts" is the predicate's first member in RFC 8785
// order, right after the statement's fixed _type, so it is spliced in there.
func canonicalStatement(st Statement) ([]byte, error) {
	alerts := st.Predicate.Alerts
	st.Predicate.Alerts = nil
	rest, err := Canonical(st)
	if err != nil {
		return nil, err
	}
	prefix := append(appendString([]byte(`{"_type":`), st.Type), `,"predicate":{"alerts":`...)
	if !bytes.HasPrefix(rest, append(prefix, "null"...)) {
		st.Predicate.Alerts = alerts
		return Canonical(st)
	}
	size := len(rest) + 2 // the alerts' braces
	for k, v := range alerts {
		size += quotedLen(k) + quotedLen(v) + 2 // a colon and a comma
	}
	out := make([]byte, 0, size)
	out = appendStringMap(append(out, prefix...), alerts)
	return append(out, rest[len(prefix)+len("null"):]...), nil
}

// appendStringMap appends a map of strings as an RFC 8785 object: members
// sorted by the UTF-16 code units of their names. Names of valid UTF-8
// without characters beyond the Basic Multilingual Plane (alarm names and
// addresses, practically always) sort the same by their bytes, so they are
// only converted to UTF-16 when one of them is not.
func appendStringMap(b []byte, m map[string]string) []byte {
	if m == nil {
		return append(b, "null"...)
	}
	type member struct{ name, value string }
	members := make([]member, 0, len(m))
	for k, v := range m {
		members = append(members, member{k, v})
	}
	if slices.ContainsFunc(members, func(e member) bool { return sortsApartInUTF16(e.name) }) {
		units := make(map[string][]uint16, len(members))
		for _, e := range members {
			units[e.name] = utf16.Encode([]rune(e.name))
		}
		slices.SortFunc(members, func(a, b member) int { return slices.Compare(units[a.name], units[b.name]) })
	} else {
		slices.SortFunc(members, func(a, b member) int { return strings.Compare(a.name, b.name) })
	}
	b = append(b, '{')
	for i, e := range members {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, e.name)
		b = append(b, ':')
		b = appendString(b, e.value)
	}
	return append(b, '}')
}

// sortsApartInUTF16 reports whether a name's UTF-16 code units may order it
// differently from its bytes: it holds invalid UTF-8 (read as U+FFFD) or a
// character beyond U+FFFF (a surrogate pair, below U+E000..U+FFFF in UTF-16
// but above them in UTF-8).
func sortsApartInUTF16(s string) bool {
	for i := range len(s) {
		if s[i] >= 0xF0 { // the lead byte of a 4-byte character, or invalid
			return true
		}
	}
	return !utf8.ValidString(s)
}
