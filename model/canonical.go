package model

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CanonicalAlarm is an alarm as every comparison and checksum reads it: what
// decides when it fires and whom it notifies, in one form whatever wrote it
// (Terraform, CloudFormation or CloudWatch itself). Defaults are filled in
// (treat-missing-data, datapoints to alarm), sets sorted, composite rules
// and metric-math expressions written one way. Drift checks, template change
// detection and attestation checksums all read this form, so they agree.
// The JSON names are the attestation's, whose checksums cover this form.
// Its threshold and slices may be the alarm's own (those already in order):
// read it, never change it.
type CanonicalAlarm struct {
	Name              string        `json:"name"`
	Kind              AlarmKind     `json:"kind"`
	Threshold         *float64      `json:"threshold,omitempty"`
	Operator          string        `json:"operator,omitempty"`
	Period            int           `json:"period,omitempty"`
	EvaluationPeriods int           `json:"evaluationPeriods,omitempty"`
	DatapointsToAlarm int           `json:"datapointsToAlarm,omitempty"`
	Statistic         string        `json:"statistic,omitempty"`
	Namespace         string        `json:"namespace,omitempty"`
	MetricName        string        `json:"metricName,omitempty"`
	Dimensions        []Dimension   `json:"dimensions,omitempty"`
	Metrics           []MetricQuery `json:"metrics,omitempty"`
	TreatMissingData  string        `json:"treatMissingData"`
	ActionsEnabled    bool          `json:"actionsEnabled"`
	AlarmActions      []string      `json:"alarmActions"`
	OKActions         []string      `json:"okActions"`
	InsufficientData  []string      `json:"insufficientDataActions"`
	AlarmRule         string        `json:"alarmRule,omitempty"`
}

// written is what the alarm's canonical form is made of, as written: nothing
// sorted, parsed or defaulted.
func (a *Alarm) written() CanonicalAlarm {
	c := CanonicalAlarm{Name: a.Name, Kind: a.Kind, Operator: a.Operator, Period: a.Period, EvaluationPeriods: a.EvaluationPeriods,
		DatapointsToAlarm: a.DatapointsToAlarm, Statistic: a.Statistic, Namespace: a.Namespace, MetricName: a.MetricName,
		Dimensions: a.Dimensions, Metrics: a.Metrics, TreatMissingData: a.TreatMissingData, ActionsEnabled: a.ActionsEnabled,
		AlarmActions: a.AlarmActions, OKActions: a.OKActions, InsufficientData: a.InsufficientData, AlarmRule: a.AlarmRule}
	if a.Threshold.Known {
		c.Threshold = &a.Threshold.Value
	}
	return c
}

// Canonical returns the alarm's canonical form.
func (a *Alarm) Canonical() CanonicalAlarm {
	c := a.written()
	c.DatapointsToAlarm, c.Statistic = a.EffectiveDatapoints(), a.Statistic+a.ExtendedStatistic
	c.Dimensions = sortedDimensions(a.Dimensions)
	c.AlarmActions, c.OKActions, c.InsufficientData = sortedSet(a.AlarmActions), sortedSet(a.OKActions), sortedSet(a.InsufficientData)
	if c.TreatMissingData == "" {
		c.TreatMissingData = "missing" // the CloudWatch and provider default
	}
	if a.AlarmRule != "" {
		c.AlarmRule = CanonicalRule(a.AlarmRule)
	}
	if len(a.Metrics) > 0 {
		c.Metrics = make([]MetricQuery, len(a.Metrics)) // never the alarm's: expressions are rewritten
		for i, q := range a.Metrics {
			q.Expression = CanonicalExpression(q.Expression)
			q.Dimensions = sortedDimensions(q.Dimensions)
			c.Metrics[i] = q
		}
		slices.SortFunc(c.Metrics, func(x, y MetricQuery) int { return strings.Compare(x.ID, y.ID) })
	}
	return c
}

// Equal reports whether two canonical forms are the same alarm configuration.
// (Field by field: alarm-drift compares every declared alarm with its live
// one, and reflection allocated for each. A test changes each field in turn.)
func (c CanonicalAlarm) Equal(o CanonicalAlarm) bool {
	return c.Name == o.Name && c.Kind == o.Kind && equalThreshold(c.Threshold, o.Threshold) &&
		c.Operator == o.Operator && c.Period == o.Period && c.EvaluationPeriods == o.EvaluationPeriods &&
		c.DatapointsToAlarm == o.DatapointsToAlarm && c.Statistic == o.Statistic && c.Namespace == o.Namespace &&
		c.MetricName == o.MetricName && slices.Equal(c.Dimensions, o.Dimensions) &&
		slices.EqualFunc(c.Metrics, o.Metrics, MetricQuery.equal) && c.TreatMissingData == o.TreatMissingData &&
		c.ActionsEnabled == o.ActionsEnabled && slices.Equal(c.AlarmActions, o.AlarmActions) &&
		slices.Equal(c.OKActions, o.OKActions) && slices.Equal(c.InsufficientData, o.InsufficientData) &&
		c.AlarmRule == o.AlarmRule
}

// WrittenAlike reports whether two alarms hold, field for field and in the
// same order, everything their canonical forms are made of; then those forms
// are equal, and need not be built. Most declared alarms are written exactly
// as their live copies, so alarm-drift asks this first. false says nothing
// either way: compare the canonical forms. (A test changes each field of an
// alarm in turn: whatever changes the canonical form must make this false.)
func WrittenAlike(a, b *Alarm) bool {
	return a.ExtendedStatistic == b.ExtendedStatistic && a.written().Equal(b.written())
}

func equalThreshold(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (q MetricQuery) equal(o MetricQuery) bool {
	return q.ID == o.ID && q.Expression == o.Expression && q.Label == o.Label && q.ReturnData == o.ReturnData &&
		q.Namespace == o.Namespace && q.MetricName == o.MetricName && slices.Equal(q.Dimensions, o.Dimensions) &&
		q.Period == o.Period && q.Stat == o.Stat
}

// sortedSet is s in order: s itself when it already is (canonical forms are
// only read), never nil (an empty set is written [] in checksums).
func sortedSet(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	if slices.IsSorted(s) {
		return s
	}
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// sortedDimensions is ds in name order: ds itself when it already is.
func sortedDimensions(ds []Dimension) []Dimension {
	if len(ds) == 0 {
		return nil
	}
	if slices.IsSortedFunc(ds, func(x, y Dimension) int { return strings.Compare(x.Name, y.Name) }) {
		return ds
	}
	out := slices.Clone(ds)
	slices.SortFunc(out, func(x, y Dimension) int { return strings.Compare(x.Name, y.Name) })
	return out
}

// CanonicalExpression writes a metric-math expression one way: its tokens
// separated by single spaces, except inside quotes and around brackets and
// commas (100*errors/requests and 100 * errors / requests are one
// expression; SUM(METRICS("e")) stays as written).
func CanonicalExpression(e string) string {
	if e == "" {
		return ""
	}
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.' }
	var b strings.Builder
	b.Grow(len(e) + len(e)/2)
	prev, first := "", true
	for i := 0; i < len(e); {
		c, size := utf8.DecodeRuneInString(e[i:])
		j := i + size
		switch {
		case unicode.IsSpace(c):
			i = j
			continue
		case c == '"' || c == '\'':
			for j < len(e) && rune(e[j]) != c {
				if e[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(e))
		case word(c):
			for j < len(e) {
				r, n := utf8.DecodeRuneInString(e[j:])
				if !word(r) {
					break
				}
				j += n
			}
		}
		t := e[i:j]
		i = j
		if !first && t != ")" && t != "," && t != "(" && prev != "(" {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		prev, first = t, false
	}
	return b.String()
}
