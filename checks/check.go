// Package checks holds driftgate's checks and the small framework that runs
// them. A check is a value with a stable ID; it reads the model through a Pass
// and reports findings, in the spirit of golang.org/x/tools/go/analysis.
package checks

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/routing"
)

// Check is one analysis over the model. ID never changes once shipped:
// SARIF alert identity and config overrides rest on it.
type Check struct {
	ID              string
	Title           string
	Doc             Doc
	DefaultSeverity Severity
	Tags            []string
	// Needs are the feeds without which the check judges nothing: when one
	// was not read at all the check does not run, and where one was read
	// incompletely its findings in that scope are withheld. Either way the
	// run lists the check as not judged, with the reason.
	Needs []model.Feed
	// NeedsAny are feeds of which at least one must be read: a check that
	// judges alarms, declared or live, judges nothing without either.
	NeedsAny []model.Feed
	// Uses are feeds the check reads when they are there: their absence is
	// no reason not to judge, but an incomplete read withholds the findings
	// that rest on it, as for Needs.
	Uses []model.Feed
	// Run reads pass.World and calls pass.Report; it does no I/O.
	Run func(pass *Pass)
}

// Feeds is every feed the check reads: its needs, then its uses.
func (c *Check) Feeds() []model.Feed {
	return append(append(append([]model.Feed{}, c.Needs...), c.NeedsAny...), c.Uses...)
}

// Doc is a check's documentation; it generates `driftgate checks`, the SARIF
// rule descriptions and docs/checks/<id>.md.
type Doc struct {
	Summary string // one paragraph: what the check reports
	Example string // input and the exact message it gives
	Why     string // why it matters
	Fix     string // how to fix it
}

// Markdown renders the doc as the body of docs/checks/<id>.md and SARIF help.
func (d Doc) Markdown() string {
	var b strings.Builder
	b.WriteString(d.Summary + "\n")
	if d.Example != "" {
		b.WriteString("\n## Example\n\n" + d.Example + "\n")
	}
	if d.Why != "" {
		b.WriteString("\n## Why it matters\n\n" + d.Why + "\n")
	}
	if d.Fix != "" {
		b.WriteString("\n## How to fix\n\n" + d.Fix + "\n")
	}
	return b.String()
}

// Finding is one problem a check reported.
type Finding struct {
	Check    string
	Severity Severity
	Tenant   string // "" when the finding is not about one tenant
	Subject  string // resource address, alarm name, ...
	// Attribute is the attribute path the finding is about, if any; ignore
	// rules match on it.
	Attribute string
	Message   string
	Location  model.Location
	// Identity is what makes this finding the same finding across runs; the
	// fingerprint is derived from it and the check ID, never from line numbers.
	Identity    string
	Fingerprint string
	Evidence    map[string]string
	// Scope is what live data the finding rests on: "ACCOUNT/REGION" for one
	// region's, model.ScopeDeclared for none, "" for every scope of the
	// check's feeds (a finding about absence rests on all of them).
	Scope string
	// Fix, when set, is a mechanical edit of the declared source that
	// resolves the finding; Remedy is what driftgate made of it.
	Fix    *Fix
	Remedy *Remedy
	// Revert, on live drift of a declared alarm, is what reverting it to
	// the declared configuration needs; remedy turns it into commands.
	Revert *Revert
}

// Revert is a declared alarm and the live one that drifted from it, or a
// declared PagerDuty resource that drifted (Routing).
type Revert struct {
	Declared, Live *model.Alarm
	// LiveValue is the drifted attribute's live value, for adopting it.
	LiveValue string
	Routing   *RoutingRevert
}

// RoutingRevert is a PagerDuty resource changed outside the code: the
// Terraform address that declares it, the API calls that put it back where
// the drift is one field of it, and what to write to adopt live instead.
type RoutingRevert struct {
	Address  string
	Location model.Location
	Calls    []APICall
	// Attribute and LiveValue adopt live; empty when live cannot be written
	// (the resource no longer exists).
	Attribute, LiveValue string
}

// APICall is one PagerDuty REST call: a method, a path under the API's base
// URL and a JSON body.
type APICall struct {
	Method, Path string
	Body         any
}

// Fix sets one attribute of a declared alarm to a value, as its source
// writes it (a percentage where thresholds are percentages).
type Fix struct {
	Source    model.Source // terraform or cloudformation
	Resource  string       // the Terraform address, or the CloudFormation logical ID
	File      string       // the file that declares the resource
	Attribute string       // the Terraform name: threshold
	Value     float64
}

// Remedy is a fix made concrete: an edit of the source (Patch, a unified
// diff that git apply accepts, and the same as line replacements), or why
// it has to be done by hand (Manual).
type Remedy struct {
	Patch        string
	Replacements []Replacement
	Manual       string
	// Commands revert live drift to the declared configuration (never run
	// by driftgate); Adopt says how to make the code say what live does.
	Commands []string
	Adopt    string
}

// Replacement replaces the text of line Line (1-based) of File, up to
// column EndColumn (exclusive, 1-based; its newline stays), with Text.
type Replacement struct {
	File      string
	Line      int
	EndColumn int
	Text      string
}

// fixThreshold is the fix that sets a declared alarm's threshold to ratio,
// written in the alarm's own unit; nil when it cannot be written (a live
// alarm, a threshold of unknown unit).
func fixThreshold(a *model.Alarm, ratio float64) *Fix {
	if a.Source != model.SourceTerraform && a.Source != model.SourceCloudFormation || a.Location.File == "" ||
		!a.Threshold.Known || !a.ThresholdRatio.Known || a.ThresholdRatio.Value == 0 {
		return nil
	}
	v := ratio * a.Threshold.Value / a.ThresholdRatio.Value
	// As a person writes it: 1, not 0.999999 (a 99.666667 % objective's
	// rounding); 4.8, not 4.800000000000001.
	if r := math.Round(v*1e4) / 1e4; r != 0 && model.Near(r, v, 1e-5) {
		v = r
	}
	v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	resource := a.Address
	if a.Source == model.SourceCloudFormation {
		resource = resource[strings.LastIndex(resource, "/")+1:]
	}
	return &Fix{Source: a.Source, Resource: resource, File: a.Location.File, Attribute: "threshold", Value: v}
}

// fingerprint derives a stable identity from the check and what it is about.
func fingerprint(f *Finding) string {
	id := f.Identity
	if id == "" {
		id = f.Tenant + "\x00" + f.Subject + "\x00" + f.Attribute
	}
	sum := sha256.Sum256([]byte(f.Check + "\x00" + id))
	return hex.EncodeToString(sum[:16])
}

// Pass is what a check sees while it runs.
type Pass struct {
	World    *model.World
	Settings *Settings
	check    *Check
	findings []Finding
	// suppressed are the fingerprints ignore rules hid; Run records them in
	// Settings once every check has run.
	suppressed []string
	shared     *shared
}

// shared holds views of the world that several checks derive; one run
// computes each once, whichever check (on whichever goroutine) asks first.
type shared struct {
	sloOnce, pdOnce, plannedOnce, evidenceOnce, liveOnce, effectiveOnce sync.Once

	// effectiveAlarms and declared are effectiveAlarms' results.
	effectiveAlarms []*model.Alarm
	declared        map[string]bool

	// liveByName indexes the live alarms by name.
	liveByName map[string]*model.Alarm
	slo        *sloView
	pd         *routing.View
	// planned is the PagerDuty view as the change leaves it (nil when the
	// plans change no routing).
	planned  *routing.View
	evidence *evidenceView
}

// LiveByName indexes the live alarms by name, built once for every check
// that looks them up (six do; at 36,000 alarms each index is 2.5 MB).
func (p *Pass) LiveByName() map[string]*model.Alarm {
	if p.shared == nil {
		p.shared = &shared{}
	}
	p.shared.liveOnce.Do(func() { p.shared.liveByName = p.World.LiveByName() })
	return p.shared.liveByName
}

// Report records a finding for the running check. The check ID, default
// severity (after overrides) and fingerprint are filled in here.
func (p *Pass) Report(f Finding) {
	f.Check = p.check.ID
	if f.Severity == SeverityNone {
		f.Severity = p.check.DefaultSeverity
	}
	if s, ok := p.Settings.Severity[p.check.ID]; ok && f.Severity != SeverityNone {
		f.Severity = s
	}
	f.Fingerprint = fingerprint(&f)
	if p.Settings.ignored(p.check.ID, &f) {
		p.suppressed = append(p.suppressed, f.Fingerprint)
		return
	}
	p.findings = append(p.findings, f)
}

// Reportf is Report with a formatted message.
func (p *Pass) Reportf(f Finding, format string, args ...any) {
	f.Message = fmt.Sprintf(format, args...)
	p.Report(f)
}

// Ignored reports whether an attribute of a subject is covered by an ignore
// rule for the running check, so checks can drop noise before summarising.
func (p *Pass) Ignored(subject, attribute string) bool {
	return p.Settings.ignored(p.check.ID, &Finding{Subject: subject, Attribute: attribute})
}

// Page renders the check's documentation page, docs/checks/<id>.md.
func (c *Check) Page() string {
	return fmt.Sprintf("# %s\n\n<!-- Generated from checks/%s.go by `go test ./checks -update`; do not edit. -->\n\n"+
		"**ID:** `%s` · **default severity:** %s · **tags:** %s\n\n%s\n%s",
		c.Title, strings.ReplaceAll(c.ID, "-", "_"), c.ID, c.DefaultSeverity, strings.Join(c.Tags, ", "), c.feedsDoc(), c.Doc.Markdown())
}

// feedsDoc says what the check reads, for its page.
func (c *Check) feedsDoc() string {
	titles := func(fs []model.Feed) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Title())
		}
		return strings.Join(out, ", ")
	}
	s := "**Needs:** nothing (it reports on what the run read)"
	if len(c.Needs) > 0 {
		s = "**Needs:** " + titles(c.Needs) + " (not judged without them)"
	}
	if len(c.NeedsAny) > 0 {
		s += " · **and one of:** " + titles(c.NeedsAny)
	}
	if len(c.Uses) > 0 {
		s += " · **uses when read:** " + titles(c.Uses)
	}
	return s + "\n"
}
