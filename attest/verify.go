package attest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Parse decodes a statement and checks its in-toto v1 shape, listing every
// problem: the _type, a non-empty subject list whose entries have a name and
// both digests in hex, the predicate type, and a predicate.
func Parse(data []byte) (*Statement, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("the statement is not a JSON object: %w", err)
	}
	var st Statement
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("reading the statement: %w", err)
	}
	var errs []error
	if st.Type != StatementType {
		errs = append(errs, fmt.Errorf("_type is %q, want %q", st.Type, StatementType))
	}
	if st.PredicateType != PredicateType {
		errs = append(errs, fmt.Errorf("predicateType is %q, want %q", st.PredicateType, PredicateType))
	}
	if _, ok := raw["predicate"]; !ok {
		errs = append(errs, errors.New("predicate is missing"))
	}
	if len(st.Subject) == 0 {
		errs = append(errs, errors.New("subject is empty"))
	}
	seen := map[string]int{}
	for i, s := range st.Subject {
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("subject[%d] has no name", i))
		}
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			errs = append(errs, fmt.Errorf("subject[%d] repeats the name %q of subject[%d]: which digest holds is ambiguous", i, s.Name, j))
		}
		seen[s.Name] = i
		for _, alg := range []string{AlgSHA256, AlgBLAKE3} {
			if d := s.Digest[alg]; len(d) != 64 || strings.Trim(d, "0123456789abcdef") != "" {
				errs = append(errs, fmt.Errorf("subject[%d] (%s) has no valid %s digest", i, s.Name, alg))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return &st, nil
}

// MismatchError names a file whose digest differs from its subject's.
type MismatchError struct {
	File      string
	Algorithm string
	Want, Got string
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: %s digest %s does not match the attested %s", e.File, e.Algorithm, e.Got, e.Want)
}

// NotSubjectError names a file the statement does not cover.
type NotSubjectError struct{ File string }

func (e *NotSubjectError) Error() string {
	return fmt.Sprintf("%s is not a subject of the attestation", e.File)
}

// VerifyFiles checks each file against the subject of the same name (its path
// as given, cleaned, with forward slashes), every digest algorithm of it.
func VerifyFiles(st *Statement, files []string) error {
	bySubject := map[string]ResourceDescriptor{}
	for _, s := range st.Subject {
		bySubject[s.Name] = s
	}
	var errs []error
	for _, f := range files {
		s, ok := bySubject[filepath.ToSlash(filepath.Clean(f))]
		if !ok {
			errs = append(errs, &NotSubjectError{File: f})
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("reading %s: %w", f, err))
			continue
		}
		got, err := digestsOf(s, data)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", f, err))
			continue
		}
		algs := make([]string, 0, len(s.Digest))
		for alg := range s.Digest {
			algs = append(algs, alg)
		}
		sort.Strings(algs)
		for _, alg := range algs {
			if g, known := got[alg]; known && g != s.Digest[alg] {
				errs = append(errs, &MismatchError{File: f, Algorithm: alg, Want: s.Digest[alg], Got: g})
			}
		}
	}
	return errors.Join(errs...)
}
