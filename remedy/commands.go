package remedy

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checks"
	"github.com/driftgate/driftgate/model"
)

// revert fills a live-drift finding's commands (to revert live to the
// declaration) and how to adopt live instead. driftgate never runs them.
func revert(f *checks.Finding, fs *sourceFiles) {
	rv := f.Revert
	if rv.Routing != nil {
		revertRouting(f, rv.Routing)
		return
	}
	d, l := rv.Declared, rv.Live
	if d == nil || l == nil {
		return
	}
	r := f.Remedy
	if r == nil {
		r = &checks.Remedy{}
		f.Remedy = r
	}
	switch d.Source {
	case model.SourceTerraform:
		if d.Address != "" {
			r.Commands = append(r.Commands, "terraform apply -target="+quote(d.Address))
		}
	case model.SourceCloudFormation:
		if stack, _, ok := strings.Cut(d.Address, "/"); ok && l.Region != "" {
			// A drift-aware change set brings the stack's resources back to
			// its template; parameters keep their values.
			r.Commands = append(r.Commands, "aws cloudformation create-change-set --region "+quote(l.Region)+" --stack-name "+quote(stack)+
				" --change-set-name driftgate-revert-drift --deployment-mode REVERT_DRIFT --use-previous-template")
		}
	}
	if cmd, ok := putAlarm(d, l); ok {
		r.Commands = append(r.Commands, cmd)
	}
	r.Adopt = adopt(f, fs)
}

// adopt says where to make the code say what live does.
func adopt(f *checks.Finding, fs *sourceFiles) string {
	d := f.Revert.Declared
	if d.IsSensitive(f.Attribute) {
		return fmt.Sprintf("adopt: set %s of %s in the code to the live value (sensitive: not shown)", f.Attribute, d.Address)
	}
	where := d.Location.String()
	if _, ok := properties[f.Attribute]; ok && d.Location.File != "" {
		fix := &checks.Fix{Source: d.Source, Resource: d.Address, File: d.Location.File, Attribute: f.Attribute}
		if d.Source == model.SourceCloudFormation {
			fix.Resource = d.Address[strings.LastIndex(d.Address, "/")+1:]
		}
		if ed, err := fs.locator(d.Source, d.Location.File); err == nil {
			if line, why := ed.locate(fix); why == "" {
				where = fmt.Sprintf("%s:%d", d.Location.File, line)
			} else {
				where = why
			}
		}
	}
	return fmt.Sprintf("adopt: set %s of %s to %s (%s)", f.Attribute, d.Address, f.Revert.LiveValue, where)
}

// putAlarm is the complete PutMetricAlarm (or PutCompositeAlarm) that sets
// the live alarm to its declaration: the compared attributes from the
// declaration, the rest (description, unit, suppressor) as live holds them,
// because the call replaces the whole alarm, actions included. None when the
// declaration holds sensitive or unknown values (terraform apply can set
// them; a command line would print them).
func putAlarm(d, l *model.Alarm) (string, bool) {
	if len(d.Sensitive) > 0 || len(d.Unknown) > 0 || l.Live == nil || l.Region == "" || d.Name == "" {
		return "", false
	}
	var args []string
	add := func(flag string, values ...string) {
		args = append(args, flag)
		for _, v := range values {
			args = append(args, quote(v))
		}
	}
	list := func(flag string, values []string) {
		if len(values) > 0 {
			add(flag, values...)
		}
	}
	add("--region", l.Region)
	add("--alarm-name", d.Name)
	if l.Live.Description != "" {
		add("--alarm-description", l.Live.Description)
	}
	if d.ActionsEnabled {
		args = append(args, "--actions-enabled")
	} else {
		args = append(args, "--no-actions-enabled")
	}
	list("--alarm-actions", d.AlarmActions)
	list("--ok-actions", d.OKActions)
	list("--insufficient-data-actions", d.InsufficientData)
	if d.Kind == model.KindComposite {
		add("--alarm-rule", d.AlarmRule)
		if s := l.Live.ActionsSuppressor; s != "" {
			add("--actions-suppressor", s)
			add("--actions-suppressor-wait-period", strconv.Itoa(l.Live.ActionsSuppressorWaitPeriod))
			add("--actions-suppressor-extension-period", strconv.Itoa(l.Live.ActionsSuppressorExtensionPeriod))
		}
		return "aws cloudwatch put-composite-alarm " + strings.Join(args, " "), true
	}
	if !d.Threshold.Known && l.Live.ThresholdMetricID == "" {
		return "", false
	}
	add("--evaluation-periods", strconv.Itoa(d.EvaluationPeriods))
	if d.Threshold.Known {
		add("--threshold", strconv.FormatFloat(d.Threshold.Value, 'g', -1, 64))
	}
	if l.Live.ThresholdMetricID != "" {
		add("--threshold-metric-id", l.Live.ThresholdMetricID)
	}
	add("--comparison-operator", d.Operator)
	if d.DatapointsToAlarm > 0 {
		add("--datapoints-to-alarm", strconv.Itoa(d.DatapointsToAlarm))
	}
	if d.TreatMissingData != "" {
		add("--treat-missing-data", d.TreatMissingData)
	}
	if v := l.Live.EvaluateLowSampleCountPercentile; v != "" {
		add("--evaluate-low-sample-count-percentile", v)
	}
	if l.Live.Unit != "" {
		add("--unit", l.Live.Unit)
	}
	if len(d.Metrics) > 0 {
		data, err := json.Marshal(metricQueries(d.Metrics))
		if err != nil {
			return "", false
		}
		add("--metrics", string(data))
	} else {
		add("--namespace", d.Namespace)
		add("--metric-name", d.MetricName)
		if d.ExtendedStatistic != "" {
			add("--extended-statistic", d.ExtendedStatistic)
		} else {
			add("--statistic", d.Statistic)
		}
		add("--period", strconv.Itoa(d.Period))
		if len(d.Dimensions) > 0 {
			var dims []string
			for _, dim := range d.Dimensions {
				dims = append(dims, "Name="+dim.Name+",Value="+dim.Value)
			}
			add("--dimensions", dims...)
		}
	}
	return "aws cloudwatch put-metric-alarm " + strings.Join(args, " "), true
}

// metricQueries is the declaration's metric math in the API's JSON shape.
func metricQueries(qs []model.MetricQuery) []map[string]any {
	out := make([]map[string]any, 0, len(qs))
	for _, q := range qs {
		m := map[string]any{"Id": q.ID, "ReturnData": q.ReturnData}
		if q.Expression != "" {
			m["Expression"] = q.Expression
			if q.Period > 0 {
				m["Period"] = q.Period
			}
		} else {
			var dims []map[string]string
			for _, d := range q.Dimensions {
				dims = append(dims, map[string]string{"Name": d.Name, "Value": d.Value})
			}
			metric := map[string]any{"Namespace": q.Namespace, "MetricName": q.MetricName}
			if len(dims) > 0 {
				metric["Dimensions"] = dims
			}
			m["MetricStat"] = map[string]any{"Metric": metric, "Period": q.Period, "Stat": q.Stat}
		}
		if q.Label != "" {
			m["Label"] = q.Label
		}
		out = append(out, m)
	}
	return out
}

var plain = regexp.MustCompile(`^[A-Za-z0-9_./:=,@+%-]+$`)

// quote makes a value one shell word: nothing in it is expanded or run.
func quote(s string) string {
	if plain.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// revertRouting fills the commands for a PagerDuty resource changed outside
// the code: terraform apply on its address, and the REST call where the drift
// is one field of it. The token is the caller's environment variable, never
// a value.
func revertRouting(f *checks.Finding, rv *checks.RoutingRevert) {
	r := f.Remedy
	if r == nil {
		r = &checks.Remedy{}
		f.Remedy = r
	}
	if rv.Address != "" {
		r.Commands = append(r.Commands, "terraform apply -target="+quote(rv.Address))
	}
	for _, c := range rv.Calls {
		body, err := json.Marshal(c.Body)
		if err != nil {
			continue
		}
		r.Commands = append(r.Commands, "curl -sS -X "+c.Method+` "${PAGERDUTY_API_URL:-https://api.pagerduty.com}`+c.Path+`"`+
			` -H "Authorization: Token token=$PAGERDUTY_TOKEN" -H 'Accept: application/vnd.pagerduty+json;version=2' -H 'Content-Type: application/json' -d `+quote(string(body)))
	}
	if rv.Attribute != "" && rv.LiveValue != "" {
		r.Adopt = fmt.Sprintf("adopt: set %s of %s to %s (%s)", rv.Attribute, rv.Address, rv.LiveValue, rv.Location)
	}
}
