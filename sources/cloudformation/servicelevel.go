package cloudformation

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/input"
	"github.com/driftgate/driftgate/model"
)

// TypeServiceSLO is an Application Signals service level objective.
const TypeServiceSLO = "AWS::ApplicationSignals::ServiceLevelObjective"

// ServiceSLOs maps the template's Application Signals SLOs into the model:
// name, attainment goal, interval and burn rate windows. An SLO whose goal or
// windows depend on something unknown (a parameter without a value) is left
// out, never guessed; one whose values are wrong is an error at its line.
func (t *Template) ServiceSLOs(opts Options) ([]*model.ServiceSLO, error) {
	stack := opts.Stack
	if stack == "" {
		stack = strings.TrimSuffix(filepath.Base(t.File), filepath.Ext(t.File))
	}
	r := newResolver(t, opts.Env)
	var out []*model.ServiceSLO
	var errs []error
	for _, res := range t.Resources {
		if res.Type != TypeServiceSLO || res.Condition != "" && r.condition(res.Condition) == triFalse {
			continue
		}
		props, known := r.eval(res.Properties)
		if !known || props == nil {
			continue
		}
		bad := func(v *Value, format string, args ...any) {
			line, col := res.Line, 1
			if v != nil && v.Line > 0 {
				line, col = v.Line, max(v.Column, 1)
			}
			errs = append(errs, &input.Error{File: t.File, Line: line, Column: col, Msg: fmt.Sprintf("%s (%s): ", res.LogicalID, TypeServiceSLO) + fmt.Sprintf(format, args...)})
		}
		slo := &model.ServiceSLO{Name: props.Get("Name").Text(), Source: model.SourceCloudFormation, Address: stack + "/" + res.LogicalID,
			Location: model.Location{File: t.File, Line: res.Line}}
		if slo.Name == "" {
			bad(nil, "Name is required")
			continue
		}
		goal := props.Get("Goal")
		attainment, ok := number(goal.Get("AttainmentGoal"))
		switch {
		case goal == nil || goal.Get("AttainmentGoal") == nil:
			attainment = 99 // CloudFormation's default attainment goal
		case !ok || !model.ValidGoal(attainment):
			bad(goal.Get("AttainmentGoal"), "AttainmentGoal must be a percentage between 0 and 100, found %s", shown(goal.Get("AttainmentGoal")))
			continue
		}
		slo.Goal = attainment / 100
		slo.Interval = 7 * 24 * time.Hour // the default: a rolling 7 days
		if in := goal.Get("Interval"); in != nil {
			length := in.Get("RollingInterval")
			if length == nil {
				length, slo.Calendar = in.Get("CalendarInterval"), true
			}
			if length != nil {
				n, _ := number(length.Get("Duration"))
				d, err := model.ServiceSLOInterval(int(n), length.Get("DurationUnit").Text())
				if err != nil {
					bad(length, "%v", err)
					continue
				}
				slo.Interval = d
			}
		}
		windowsOK := true
		var windows []*Value
		if v := props.Get("BurnRateConfigurations"); v != nil {
			windows = v.List
		}
		for _, b := range windows {
			m, ok := number(b.Get("LookBackWindowMinutes"))
			if !ok || m < 1 || m > 10080 || m != float64(int(m)) {
				bad(b, "LookBackWindowMinutes must be a whole number of minutes from 1 to 10080, found %s", shown(b.Get("LookBackWindowMinutes")))
				windowsOK = false
				continue
			}
			slo.BurnWindows = append(slo.BurnWindows, time.Duration(m)*time.Minute)
		}
		if windowsOK {
			out = append(out, slo)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out, errors.Join(errs...)
}

// number reads a number written as a number or as a string ("99.9").
func number(v *Value) (float64, bool) {
	if v == nil {
		return 0, false
	}
	if v.Kind == Number {
		return v.Num, true
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(v.Str), 64)
	return f, err == nil
}

// shown prints a scalar as the template wrote it, for messages.
func shown(v *Value) string {
	switch {
	case v == nil:
		return "nothing"
	case v.Kind == Number:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	}
	return strconv.Quote(v.Str)
}
