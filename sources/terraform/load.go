package terraform

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// Options control how a plan is mapped into the model.
type Options struct {
	// SourceDir is the Terraform root module's directory; default: the plan
	// file's directory.
	SourceDir string
	// Rel turns a path into the one reported (relative to the repository root).
	Rel func(string) string
	// AlarmName, when set, is given each alarm's name as the decoder
	// reaches its change, long before the plan is read: a PR-mode live read
	// starts on them. A name given may still be left out of the alarms
	// loaded (a sensitivity mark further on hides it).
	AlarmName func(name string)
}

// Loaded is what one plan contributes to the model.
type Loaded struct {
	Plan      model.Plan
	Alarms    []*model.Alarm
	Drifts    []model.ResourceDrift
	Locations map[string]model.Location // every managed resource address
	Routing   *model.PagerDuty          // PagerDuty resources and SNS subscriptions; nil when none
	// Planned holds the attributes each update or replacement changes.
	Planned map[string][]model.AttributeChange
	Sources []string // .tf files read
	// Warnings are problems that did not stop loading (unparseable .tf files).
	Warnings []error
}

// openFile opens an input file, saying plainly when it is a directory.
func openFile(file, what string) (*os.File, error) {
	if info, err := os.Stat(file); err == nil && info.IsDir() {
		return nil, &input.Error{File: file, Msg: fmt.Sprintf("is a directory; give the %s's JSON file (terraform show -json > %s.json)", what, what)}
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, &input.Error{File: file, Msg: "cannot read " + what, Err: err}
	}
	return f, nil
}

// Load reads a plan file and maps it into the model.
func Load(file string, opts Options) (*Loaded, error) {
	if opts.Rel == nil {
		opts.Rel = func(p string) string { return p }
	}
	f, err := openFile(file, "plan")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := decodeStream(opts.Rel(file), f, opts.AlarmName)
	var je errJSON
	if errors.As(err, &je) {
		// Only now is the text needed, to turn the error's offset into a line.
		data, rerr := os.ReadFile(file)
		if rerr != nil {
			return nil, &input.Error{File: file, Msg: "cannot read plan", Err: rerr}
		}
		return nil, input.JSONError(opts.Rel(file), toUTF8(data), je.err)
	}
	if err != nil {
		return nil, err
	}
	return mapPlan(file, p, opts)
}

func mapPlan(file string, p *Plan, opts Options) (*Loaded, error) {
	reported := opts.Rel(file)
	out := &Loaded{
		Plan: model.Plan{
			File: reported, FormatVersion: p.FormatVersion, TerraformVersion: p.TerraformVersion,
			Complete: (p.Complete == nil || *p.Complete) && !p.Errored, Errored: p.Errored,
			HasDrift: len(p.ResourceDrift) > 0,
		},
		Locations: make(map[string]model.Location, len(p.ResourceChanges)),
	}
	dir := opts.SourceDir
	if dir == "" {
		dir = filepath.Dir(file)
	}
	loc, err := NewLocator(dir, p.Configuration, opts.Rel)
	if err != nil {
		out.Warnings = append(out.Warnings, err)
	}
	out.Sources = loc.Files()
	locate := func(address string) model.Location {
		if l, ok := loc.Locate(address); ok {
			return l
		}
		return model.Location{File: reported}
	}
	marks, err := sensitivity(p)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read sensitivity markers", Err: err}
	}
	for i := range p.ResourceChanges {
		rc := &p.ResourceChanges[i]
		if rc.Mode == "data" {
			continue
		}
		if a := rc.Change.Actions; a.Update() || a.Replace() {
			changes, err := plannedChanges(rc, marks[rc.Address])
			if err != nil {
				return nil, &input.Error{File: reported, Path: fmt.Sprintf("resource_changes[%d] (%s)", i, rc.Address), Msg: "cannot read change", Err: err}
			}
			if out.Planned == nil {
				out.Planned = map[string][]model.AttributeChange{}
			}
			out.Planned[rc.Address] = changes
		}
		out.Locations[rc.Address] = locate(rc.Address)
		if routingTypes[rc.Type] {
			// A deletion is described by its before values: the plan routing
			// it removes matters as much as the routing it adds.
			values := rc.Change.After
			if rc.Change.Actions.Delete() {
				values = rc.Change.Before
			}
			raw, _, err := redactTopLevel(values, marksJSON(marks[rc.Address]))
			if err == nil {
				if out.Routing == nil {
					out.Routing = &model.PagerDuty{}
				}
				err = routing(out.Routing, rc, raw, out.Locations[rc.Address])
			}
			if err != nil {
				return nil, &input.Error{File: reported, Path: fmt.Sprintf("resource_changes[%d] (%s)", i, rc.Address), Msg: "cannot read routing resource", Err: err}
			}
			continue
		}
		if !IsAlarmType(rc.Type) {
			continue
		}
		a, err := alarmFromChange(rc, markedKeys(marks[rc.Address]))
		if err != nil {
			return nil, &input.Error{File: reported, Path: fmt.Sprintf("resource_changes[%d] (%s)", i, rc.Address), Msg: "cannot read alarm", Err: err}
		}
		a.Location = out.Locations[rc.Address]
		out.Alarms = append(out.Alarms, a)
	}
	relevant := map[string][]string{}
	for _, ra := range p.RelevantAttributes {
		relevant[ra.Resource] = append(relevant[ra.Resource], attributePath(ra.Attribute))
	}
	for i := range p.ResourceDrift {
		d, err := driftFromChange(&p.ResourceDrift[i], relevant[p.ResourceDrift[i].Address], marks[p.ResourceDrift[i].Address])
		if err != nil {
			return nil, &input.Error{File: reported, Path: fmt.Sprintf("resource_drift[%d]", i), Msg: "cannot read drift", Err: err}
		}
		d.Location = locate(d.Address)
		d.PlanFile = reported
		out.Drifts = append(out.Drifts, d)
	}
	return out, nil
}

// plannedChanges lists the attributes an update changes, before -> after,
// every sensitive value hidden on both sides.
func plannedChanges(rc *ResourceChange, marks any) ([]model.AttributeChange, error) {
	before, _, err := decode(rc.Change.Before, nil)
	if err != nil {
		return nil, fmt.Errorf("before: %w", err)
	}
	after, _, err := decode(rc.Change.After, nil)
	if err != nil {
		return nil, fmt.Errorf("after: %w", err)
	}
	var out []model.AttributeChange
	diff("", before, after, marks, marks, &out)
	unknown, err := topLevelKeys(rc.Change.AfterUnknown)
	if err != nil {
		return nil, fmt.Errorf("after_unknown: %w", err)
	}
	for i := range out {
		top, _, _ := strings.Cut(out[i].Path, ".")
		if slices.Contains(unknown, top) {
			out[i].After = "(known after apply)"
		}
	}
	return out, nil
}

// driftFromChange maps one resource_drift entry; marks is every sensitivity
// mark the plan has for the resource, applied to both sides.
func driftFromChange(rc *ResourceChange, relevant []string, marks any) (model.ResourceDrift, error) {
	d := model.ResourceDrift{Address: rc.Address, Type: rc.Type, Source: model.SourceTerraform}
	before, _, err := decode(rc.Change.Before, nil)
	if err != nil {
		return d, fmt.Errorf("before: %w", err)
	}
	after, _, err := decode(rc.Change.After, nil)
	if err != nil {
		return d, fmt.Errorf("after: %w", err)
	}
	bMarks, aMarks := marks, marks
	if obj, ok := before.(map[string]any); ok && IsAlarmType(rc.Type) && !marked(sub(bMarks, "alarm_name", -1)) {
		d.Name, _ = obj["alarm_name"].(string)
	}
	if after == nil || rc.Change.Actions.Delete() {
		d.Deleted = true
		return d, nil
	}
	diff("", before, after, bMarks, aMarks, &d.Changes)
	if obj, ok := after.(map[string]any); ok {
		d.Current = map[string]string{}
		for k, v := range obj {
			switch {
			case marked(sub(aMarks, k, -1)):
				d.Current[k] = Sensitive
			case isScalar(v):
				d.Current[k] = render(v)
			}
		}
	}
	for i := range d.Changes {
		for _, r := range relevant {
			if r == "" || d.Changes[i].Path == r || len(d.Changes[i].Path) > len(r) && d.Changes[i].Path[:len(r)+1] == r+"." {
				d.Changes[i].Relevant = true
			}
		}
	}
	return d, nil
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}
