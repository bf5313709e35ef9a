// Package remedy turns the mechanical fixes findings carry into edits of
// the declared sources: Terraform with hclwrite (formatting and comments
// kept), CloudFormation YAML or JSON by the value's position (style kept).
// A value that does not live in the resource as a literal (a variable, a
// parameter, a for_each map) is never guessed at: the remedy says where it
// comes from and that the change is manual.
package remedy

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	udiff "github.com/aymanbagabas/go-udiff"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

// editor edits one source file.
type editor interface {
	// locate is the line of the value the fix sets, or why it must be set by hand.
	locate(fix *checks.Fix) (line int, manual string)
	// apply sets the value (after locate found it).
	apply(fix *checks.Fix)
	bytes() []byte
}

func newEditor(source model.Source, file string, src []byte) (editor, error) {
	switch source {
	case model.SourceTerraform:
		return newTerraform(file, src)
	case model.SourceCloudFormation:
		return newCloudFormation(file, src)
	}
	return nil, fmt.Errorf("no editor for %s sources", source)
}

// sourceFiles reads each source once and parses it once for locating
// values: a run with thousands of findings on one module file parses it
// once, not once a finding. Editors that apply fixes are made fresh.
type sourceFiles struct {
	read  func(path string) ([]byte, error)
	files map[string]*sourceFile
	src   map[string][]byte // what was read, by file
}

type sourceFile struct {
	locator editor // parsed for locate only, never applied to
	err     error  // why it could not be read or parsed
}

func newSourceFiles(read func(path string) ([]byte, error)) *sourceFiles {
	return &sourceFiles{read: read, files: map[string]*sourceFile{}, src: map[string][]byte{}}
}

// locator is the file's parsed form, for locate only.
func (fs *sourceFiles) locator(source model.Source, file string) (editor, error) {
	f, ok := fs.files[file]
	if !ok {
		f = &sourceFile{}
		fs.files[file] = f
		if data, err := fs.read(file); err != nil {
			f.err = fmt.Errorf("%s could not be read (%v)", file, err)
		} else {
			fs.src[file] = data
			f.locator, f.err = newEditor(source, file, data)
		}
	}
	return f.locator, f.err
}

// Apply works out each finding's remedy (findings[i].Remedy) and returns the
// patch of them all, a unified diff `git apply` accepts, relative to the
// directory read resolves paths in. Findings that share an edit share it
// once; fixes that disagree about one value are left to a person.
func Apply(findings []checks.Finding, read func(path string) ([]byte, error)) []byte {
	type target struct{ file, resource, attribute string }
	type planned struct {
		fix  *checks.Fix
		line int
	}
	fs := newSourceFiles(read)
	sources := fs.src
	plans := map[target]planned{}
	conflict := map[target]bool{}
	fixed := map[int]target{}
	for i := range findings {
		if findings[i].Revert != nil {
			revert(&findings[i], fs)
		}
		fix := findings[i].Fix
		if fix == nil {
			continue
		}
		manual := func(why string) {
			findings[i].Remedy = &checks.Remedy{Manual: fmt.Sprintf("manual: set %s of %s to %s: %s", fix.Attribute, fix.Resource, number(fix.Value), why)}
		}
		ed, err := fs.locator(fix.Source, fix.File)
		if err != nil {
			manual(err.Error())
			continue
		}
		line, why := ed.locate(fix)
		if why != "" {
			manual(why)
			continue
		}
		t := target{fix.File, fix.Resource, fix.Attribute}
		if p, seen := plans[t]; seen && p.fix.Value != fix.Value {
			conflict[t] = true
		}
		plans[t] = planned{fix, line}
		fixed[i] = t
	}
	// Every file with all its agreed fixes.
	byFile := map[string][]*checks.Fix{}
	for t, p := range plans {
		if !conflict[t] {
			byFile[t.file] = append(byFile[t.file], p.fix)
		}
	}
	var patch strings.Builder
	for _, file := range sortedKeys(byFile) {
		fixes := byFile[file]
		ed, _ := newEditor(fixes[0].Source, file, sources[file])
		for _, fix := range fixes {
			ed.apply(fix)
		}
		patch.WriteString(diff(file, sources[file], ed.bytes()))
	}
	// Findings that share a target share its remedy, worked out once.
	remedies := map[target]checks.Remedy{}
	for i, t := range fixed {
		p := plans[t]
		if conflict[t] {
			findings[i].Remedy = &checks.Remedy{Manual: fmt.Sprintf("manual: findings disagree on the value of %s of %s in %s: decide which applies", t.attribute, t.resource, t.file)}
			continue
		}
		r, done := remedies[t]
		if !done {
			ed, _ := newEditor(p.fix.Source, t.file, sources[t.file])
			ed.apply(p.fix)
			out := ed.bytes()
			r = checks.Remedy{Patch: diff(t.file, sources[t.file], out),
				Replacements: []checks.Replacement{{File: t.file, Line: p.line, EndColumn: utf8.RuneCountInString(lineOf(sources[t.file], p.line)) + 1,
					Text: lineOf(out, p.line)}}}
			remedies[t] = r
		}
		findings[i].Remedy = &checks.Remedy{Patch: r.Patch, Replacements: r.Replacements}
	}
	return []byte(patch.String())
}

// diff is a git-style unified diff of one file.
func diff(file string, old, new []byte) string {
	d := udiff.Unified("a/"+file, "b/"+file, string(old), string(new))
	if d == "" {
		return ""
	}
	return "diff --git a/" + file + " b/" + file + "\n" + d
}

// lineOf is line n (1-based) of data, without its newline.
func lineOf(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// number writes a value the way a person would: 4.8, not 4.800000000000001.
func number(v float64) string { return fmt.Sprintf("%.6g", v) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
