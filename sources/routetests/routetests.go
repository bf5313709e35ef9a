// Package routetests loads routing assertions: YAML cases of an alarm (or
// the event one would send) and where its page must land in PagerDuty.
// docs/routing-tests.md documents the format.
package routetests

import (
	"fmt"
	"os"
	"reflect"
	"sort"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// File is a routing test file.
type File struct {
	// Version of the format; 1.
	Version int    `yaml:"version"`
	Cases   []Case `yaml:"cases"`
}

// Case is one assertion.
type Case struct {
	Name string `yaml:"name"`
	// Alarm names an alarm, live or declared.
	Alarm string `yaml:"alarm"`
	// Event describes the alarm event when no such alarm exists yet.
	Event  *Event `yaml:"event"`
	Expect Expect `yaml:"expect"`
}

// Event is what a CloudWatch alarm would publish to its SNS topic.
type Event struct {
	AlarmName  string            `yaml:"alarm_name"`
	Topic      string            `yaml:"topic"` // the SNS topic ARN it notifies
	Region     string            `yaml:"region"`
	Threshold  *float64          `yaml:"threshold"`
	Dimensions map[string]string `yaml:"dimensions"`
}

// Expect is where the page must land.
type Expect struct {
	Service          string `yaml:"service"`
	Urgency          string `yaml:"urgency"`
	EscalationPolicy string `yaml:"escalation_policy"`
	PagedWithin      string `yaml:"paged_within"`
}

// Load reads a routing test file; every problem is reported with its line.
func Load(path, reported string) ([]model.RouteCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &input.Error{File: reported, Msg: "cannot read routing tests", Err: err}
	}
	f, err := input.ParseYAML(reported, data)
	if err != nil {
		return nil, err
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, &input.Error{File: reported, Msg: "routing tests file is empty"}
	}
	var file File
	root := f.Docs[0].Body
	if err := input.CheckShape(reported, root, reflect.TypeOf(file)); err != nil {
		return nil, err
	}
	if err := input.DecodeYAML(root, &file, true); err != nil {
		return nil, input.YAMLError(reported, err)
	}
	p := &input.YAMLProblems{File: reported, Root: root}
	if file.Version != 1 {
		p.Add("$.version", "version must be 1, found %d", file.Version)
	}
	var out []model.RouteCase
	for i, c := range file.Cases {
		at := fmt.Sprintf("$.cases[%d]", i)
		rc := model.RouteCase{Name: c.Name, Alarm: c.Alarm, Service: c.Expect.Service, Urgency: c.Expect.Urgency,
			EscalationPolicy: c.Expect.EscalationPolicy, Location: model.Location{File: reported, Line: p.Line(at)}}
		switch {
		case c.Name == "":
			p.Add(at, "case has no name")
		case (c.Alarm == "") == (c.Event == nil):
			p.Add(at, "case %q needs an alarm or an event, not both", c.Name)
		case c.Event != nil && (c.Event.AlarmName == "" || c.Event.Topic == ""):
			p.Add(at+".event", "an event needs alarm_name and topic (the SNS topic ARN the alarm notifies)")
		}
		if c.Expect == (Expect{}) {
			p.Add(at+".expect", "case %q expects nothing", c.Name)
		}
		if c.Expect.PagedWithin != "" {
			d, err := model.ParseWindow(c.Expect.PagedWithin)
			if err != nil {
				p.Add(at+".expect.paged_within", "%v", err)
			}
			rc.PagedWithin = d
		}
		if e := c.Event; e != nil {
			a := &model.Alarm{Name: e.AlarmName, Source: model.SourceLive, Kind: model.KindMetric, Region: e.Region,
				AlarmActions: []string{e.Topic}, ActionsEnabled: true}
			if e.Threshold != nil {
				a.Threshold = model.Known(*e.Threshold)
			}
			for k, v := range e.Dimensions {
				a.Dimensions = append(a.Dimensions, model.Dimension{Name: k, Value: v})
			}
			sort.Slice(a.Dimensions, func(i, j int) bool { return a.Dimensions[i].Name < a.Dimensions[j].Name })
			rc.Event = a
		}
		out = append(out, rc)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
