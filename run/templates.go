package run

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
	"github.com/driftgate/driftgate/report"
	"github.com/driftgate/driftgate/sources/cloudformation"
)

// loadTemplates maps the alarms of CloudFormation templates into the model
// beside Terraform's, and, with a base ref, marks what the change added or
// changed.
func (r *runner) loadTemplates(counts map[string]int) error {
	files, err := r.inputFiles(r.opts.CFN, "inputs.cloudformation", r.cfg.Inputs.CloudFormation)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return nil
	}
	r.templatesRead = true
	r.world.Reads.Set(model.Read{Feed: model.FeedDeclared, State: model.ReadComplete})
	env := cloudformation.Env{Pseudo: map[string]string{}}
	if regions := r.cfg.AWS.Regions; len(regions) == 1 {
		env.Pseudo["AWS::Region"] = regions[0]
	}
	paramFile := r.opts.CFNParam
	if paramFile == "" && r.cfg.Inputs.CloudFormationParameters != "" {
		paramFile = r.cfg.Resolve(r.cfg.Inputs.CloudFormationParameters)
	}
	if paramFile != "" {
		params, err := cloudformation.LoadParameters(paramFile, r.rel(paramFile))
		if err != nil {
			return err
		}
		env.Parameters = params
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "cloudformation-parameters", Path: r.rel(paramFile)})
	}
	stackOf := map[string]string{}
	for stack, tmpl := range r.cfg.AWS.Templates {
		stackOf[filepath.Clean(r.cfg.Resolve(tmpl))] = stack
	}
	base := r.opts.BaseRef
	if base == "" && os.Getenv("GITHUB_BASE_REF") != "" {
		base = "origin/" + os.Getenv("GITHUB_BASE_REF")
	}
	var errs []error
	for _, f := range files {
		t, err := cloudformation.ParseFile(f, r.rel(f))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		opts := cloudformation.Options{Stack: stackOf[filepath.Clean(f)], Env: env}
		alarms := t.Alarms(opts)
		if base != "" {
			if err := compareWithBase(alarms, base, f, opts); err != nil {
				fmt.Fprintf(r.stderr, "driftgate: warning: %s; template findings will not say whether this change made them\n", report.OneLine(err.Error()))
			} else {
				r.templatesCompared = true
			}
		}
		for _, a := range alarms {
			r.cfg.Classify(a)
			if a.Prior != nil {
				r.cfg.Classify(a.Prior)
			}
			r.world.Locations[a.Address] = a.Location
		}
		r.world.Declared = append(r.world.Declared, alarms...)
		slos, err := t.ServiceSLOs(opts)
		if err != nil {
			errs = append(errs, err)
		}
		for _, s := range slos {
			r.world.Locations[s.Address] = s.Location
		}
		r.world.ServiceSLOs = append(r.world.ServiceSLOs, slos...)
		counts["service_slos"] += len(slos)
		r.result.Inputs = append(r.result.Inputs, checks.Input{Kind: "cloudformation", Path: r.rel(f)})
		counts["templates"]++
		counts["alarms"] += len(alarms)
	}
	return errors.Join(errs...)
}

// compareWithBase reads the template as it is on the base ref and marks each
// alarm created (absent there) or updated (different there, kept as Prior).
func compareWithBase(alarms []*model.Alarm, base, file string, opts cloudformation.Options) error {
	out, err := exec.Command("git", "show", base+":./"+filepath.ToSlash(file)).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && strings.Contains(string(ee.Stderr), "exists on disk, but not in") {
			for _, a := range alarms {
				a.Action = model.ActionCreate // the whole template is new
			}
			return nil
		}
		return fmt.Errorf("reading %s at %s with git: %w", file, base, err)
	}
	old, err := cloudformation.Parse(file+"@"+base, out)
	if err != nil {
		return fmt.Errorf("the base version of %s does not parse: %w", file, err)
	}
	before := map[string]*model.Alarm{}
	for _, a := range old.Alarms(opts) {
		before[a.Address] = a
	}
	for _, a := range alarms {
		prev, ok := before[a.Address]
		switch {
		case !ok:
			a.Action = model.ActionCreate
		case !prev.Canonical().Equal(a.Canonical()):
			a.Action, a.Prior = model.ActionUpdate, prev
		}
	}
	return nil
}

// noteTemplateChanges says, on findings about declared alarms, whether this
// change made them: a plan's actions say it for Terraform, the base ref's
// version for templates (whose messages say it too).
func (r *runner) noteTemplateChanges() {
	type note struct {
		status   string
		template bool
	}
	// Indexed by finding subject: a run has far fewer findings than alarms.
	bySubject := map[string][]int{}
	for i, f := range r.result.Findings {
		bySubject[f.Subject] = append(bySubject[f.Subject], i)
	}
	// The last alarm declared at an address speaks for it.
	for _, a := range slices.Backward(r.world.Declared) {
		found, ok := bySubject[a.Address]
		switch {
		case !ok:
			continue
		case a.Source == model.SourceTerraform && len(r.world.Plans) > 0:
		case a.Source == model.SourceCloudFormation && r.templatesCompared:
		default:
			continue
		}
		delete(bySubject, a.Address)
		n := note{status: "already there before this change", template: a.Source == model.SourceCloudFormation}
		switch a.Action {
		case model.ActionCreate:
			n.status = "added in this change"
		case model.ActionUpdate, model.ActionReplace, model.ActionDelete:
			n.status = "changed in this change"
		}
		for _, i := range found {
			f := &r.result.Findings[i]
			if f.Evidence == nil {
				f.Evidence = map[string]string{}
			}
			f.Evidence["change"] = n.status
			if n.template {
				f.Message += " (" + n.status + ")"
			}
		}
	}
}
